"use client";
// A small form for an owner to withdraw consent the customer asked to withdraw in person, by phone
// or by letter. It only withdraws; a note saying how the customer asked is required.
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/field";

export interface WithdrawState {
  error?: string;
  notice?: string;
  fields?: Record<string, string>;
}

const selectClass = "block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm";

export function WithdrawOnBehalfForm({
  customerId,
  action: serverAction,
}: {
  customerId: string;
  action: (prev: WithdrawState, form: FormData) => Promise<WithdrawState>;
}) {
  const [state, action, pending] = useActionState<WithdrawState, FormData>(serverAction, {});
  const noteError = state.fields?.note;
  return (
    <form action={action} className="space-y-3" noValidate aria-label="Withdraw consent on the customer's behalf">
      {state.error && !noteError && <FormMessage>{state.error}</FormMessage>}
      {state.notice && <FormMessage tone="success">{state.notice}</FormMessage>}
      <input type="hidden" name="customerId" value={customerId} />
      <div className="grid gap-3 sm:grid-cols-2">
        <div className="space-y-1">
          <label htmlFor="withdraw-channel" className="block text-sm font-medium text-slate-700">
            Channel
          </label>
          <select id="withdraw-channel" name="channel" defaultValue="all" className={selectClass}>
            <option value="all">All channels</option>
            <option value="email">Email</option>
            <option value="sms">SMS</option>
            <option value="push">Push</option>
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor="withdraw-purpose" className="block text-sm font-medium text-slate-700">
            Purpose
          </label>
          <select id="withdraw-purpose" name="purpose" defaultValue="all" className={selectClass}>
            <option value="all">All purposes</option>
            <option value="marketing">Marketing</option>
            <option value="personalization">Personalization</option>
            <option value="surveys">Surveys</option>
          </select>
        </div>
      </div>
      <div className="space-y-1">
        <label htmlFor="withdraw-note" className="block text-sm font-medium text-slate-700">
          How did the customer ask?
        </label>
        <input
          id="withdraw-note"
          name="note"
          required
          maxLength={500}
          placeholder="e.g. asked at the till on 3 May"
          aria-invalid={noteError ? true : undefined}
          aria-describedby={`withdraw-note-hint${noteError ? " withdraw-note-error" : ""}`}
          className={`${selectClass} ${noteError ? "border-red-500" : ""}`}
        />
        <p id="withdraw-note-hint" className="text-xs text-slate-500">
          Recorded in the consent log with your name. You can withdraw for a customer, never grant: consent has to come from them.
        </p>
        {noteError && (
          <p id="withdraw-note-error" className="text-sm text-red-700">
            {noteError}
          </p>
        )}
      </div>
      <Button type="submit" variant="danger" disabled={pending}>
        {pending ? "Withdrawing…" : "Withdraw consent"}
      </Button>
    </form>
  );
}
