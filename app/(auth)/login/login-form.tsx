"use client";
import { useActionState } from "react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";
import { magicLinkAction, signInAction, type FormState } from "../actions";

export function LoginForm({ next, notice, magicLink }: { next: string; notice?: string; magicLink: boolean }) {
  const [state, action, pending] = useActionState<FormState, FormData>(signInAction, {});
  const [linkState, linkAction, linkPending] = useActionState<FormState, FormData>(magicLinkAction, {});
  return (
    <div className="space-y-6 rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="text-lg font-semibold">Sign in</h1>
      {notice && <FormMessage tone="success">{notice}</FormMessage>}
      <form action={action} className="space-y-4" noValidate>
        <input type="hidden" name="next" value={next} />
        {state.error && <FormMessage>{state.error}</FormMessage>}
        <Field label="Email" name="email" type="email" autoComplete="email" required defaultValue={state.values?.email} />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required />
        <Button type="submit" className="w-full" disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      {magicLink && (
        <form action={linkAction} className="space-y-3 border-t border-slate-200 pt-4" noValidate>
          <input type="hidden" name="next" value={next} />
          <Field label="Or get a sign-in link by email" name="email" id="magic-email" type="email" autoComplete="email" error={linkState.fields?.email} defaultValue={linkState.values?.email} />
          <Button type="submit" variant="secondary" className="w-full" disabled={linkPending}>
            Email me a link
          </Button>
        </form>
      )}
      <p className="text-center text-sm text-slate-600">
        New here?{" "}
        <Link href="/signup" className="font-medium text-brand-700 underline">
          Create a shop
        </Link>
      </p>
    </div>
  );
}
