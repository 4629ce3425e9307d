"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";
import { acceptAsMemberAction, createAccountAndAcceptAction, type AcceptState } from "./actions";

export function AcceptForm({ token, shopName }: { token: string; shopName: string }) {
  const [state, action, pending] = useActionState<AcceptState, FormData>(acceptAsMemberAction, {});
  return (
    <form action={action} className="space-y-3">
      <input type="hidden" name="token" value={token} />
      {state.error && <FormMessage>{state.error}</FormMessage>}
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Joining…" : `Join ${shopName}`}
      </Button>
    </form>
  );
}

export function NewAccountForm({ token, email }: { token: string; email: string }) {
  const [state, action, pending] = useActionState<AcceptState, FormData>(createAccountAndAcceptAction, {});
  return (
    <form action={action} className="space-y-4" noValidate aria-label="Create your account">
      <input type="hidden" name="token" value={token} />
      {state.error && <FormMessage>{state.error}</FormMessage>}
      <Field label="Email" name="email" id="invite-email" type="email" value={email} readOnly disabled />
      <Field label="Your name" name="name" id="invite-name" autoComplete="name" defaultValue={state.values?.name} error={state.fields?.name} required />
      <Field
        label="Choose a password"
        name="password"
        id="invite-password"
        type="password"
        autoComplete="new-password"
        error={state.fields?.password}
        hint="At least 10 characters."
        required
      />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Creating your account…" : "Create account and join"}
      </Button>
    </form>
  );
}
