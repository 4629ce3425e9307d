"use client";
// The ledger check: one button for the whole chain, and a small form to check it against a
// checkpoint (event number and hash) written down earlier. The result says ok or names the first
// event that does not fit, in plain words, and offers the head as the next checkpoint to keep.
import { useActionState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Field, FormMessage } from "@/components/ui/field";
import type { LedgerVerification } from "@/lib/consent/verify-ledger";

export interface VerifyState {
  result?: LedgerVerification;
  error?: string;
  fields?: Record<string, string>;
  checkedAt?: string;
}

export function VerifyPanel({
  action: serverAction,
  head,
}: {
  action: (prev: VerifyState, form: FormData) => Promise<VerifyState>;
  head: { seq: number; hash: string | null };
}) {
  const [state, action, pending] = useActionState<VerifyState, FormData>(serverAction, {});
  const result = state.result;
  const checkpoint = result ? (result.headHash ? `${result.headSeq}:${result.headHash}` : null) : head.hash ? `${head.seq}:${head.hash}` : null;
  return (
    <div className="space-y-4">
      <form action={action} className="flex flex-wrap items-center gap-3" aria-label="Verify the consent ledger">
        <Button type="submit" disabled={pending}>
          {pending ? "Verifying…" : "Verify"}
        </Button>
        <span className="text-sm text-slate-600">Recomputes every event&apos;s hash and checks each links to the one before.</span>
      </form>

      <div aria-live="polite">
        {result &&
          (result.ok ? (
            <div role="status" className="rounded-lg bg-brand-50 px-3 py-2 text-sm text-brand-700">
              <Badge tone="green">ok</Badge> <span className="ml-1">{result.reason}</span>
            </div>
          ) : (
            <div role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800">
              <Badge tone="red">not ok</Badge> <span className="ml-1">{result.reason}</span>
              {result.firstBadEventId && (
                <p className="mt-1 text-xs">
                  First event that does not fit: #{result.firstBadSeq} <code className="font-mono">{result.firstBadEventId}</code>
                </p>
              )}
            </div>
          ))}
        {state.error && !state.fields?.checkpoint && <FormMessage>{state.error}</FormMessage>}
      </div>

      <div className="rounded-lg border border-slate-200 bg-slate-50 px-3 py-2 text-sm">
        <p className="font-medium text-slate-700">Checkpoint</p>
        {checkpoint ? (
          <>
            <p className="text-xs text-slate-600">
              {result ? result.events : head.seq} events; the last is #{result ? result.headSeq : head.seq}. Write this down or send it somewhere safe: verifying against it later proves no event up to here was changed or removed.
            </p>
            <p className="mt-1 flex items-center gap-2">
              <code className="break-all font-mono text-xs text-slate-800" data-testid="checkpoint">
                {checkpoint}
              </code>
              <CopyButton text={checkpoint} label="Copy the checkpoint" />
            </p>
          </>
        ) : (
          <p className="text-xs text-slate-600">No events yet, so no checkpoint.</p>
        )}
      </div>

      <form action={action} className="flex flex-wrap items-end gap-3" aria-label="Checkpoint check" noValidate>
        <Field
          label="Verify against a checkpoint"
          name="checkpoint"
          id="checkpoint"
          placeholder="SEQ:HASH, e.g. 42:9f86d081884c7d65…"
          hint="An event number and its full hash, as shown above when you wrote it down."
          error={state.fields?.checkpoint}
          className="min-w-80 flex-1"
          autoComplete="off"
          spellCheck={false}
        />
        <Button type="submit" variant="secondary" disabled={pending}>
          Verify against checkpoint
        </Button>
      </form>
    </div>
  );
}
