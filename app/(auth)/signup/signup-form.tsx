"use client";
import { useActionState } from "react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";
import { signUpAction, type FormState } from "../actions";

export function SignupForm() {
  const [state, action, pending] = useActionState<FormState, FormData>(signUpAction, {});
  return (
    <div className="space-y-6 rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="text-lg font-semibold">Create your shop</h1>
      <form action={action} className="space-y-4" noValidate>
        {state.error && <FormMessage>{state.error}</FormMessage>}
        <Field label="Shop name" name="shopName" required autoComplete="organization" defaultValue={state.values?.shopName} error={state.fields?.shopName} />
        <div className="grid grid-cols-2 gap-4">
          <Field label="Currency" name="currency" defaultValue={state.values?.currency ?? "EUR"} maxLength={3} hint="e.g. EUR, GBP, USD" error={state.fields?.currency} />
          <Field label="Country" name="country" autoComplete="country" defaultValue={state.values?.country} maxLength={2} hint="e.g. GB, DE, US" error={state.fields?.country} />
        </div>
        <Field label="Your name" name="name" autoComplete="name" defaultValue={state.values?.name} error={state.fields?.name} />
        <Field label="Email" name="email" type="email" required autoComplete="email" defaultValue={state.values?.email} error={state.fields?.email} />
        <Field
          label="Password"
          name="password"
          type="password"
          required
          autoComplete="new-password"
          hint="At least 10 characters; not a common password."
          error={state.fields?.password}
        />
        <Button type="submit" className="w-full" disabled={pending}>
          {pending ? "Creating…" : "Create shop"}
        </Button>
      </form>
      <p className="text-center text-sm text-slate-600">
        Already have an account?{" "}
        <Link href="/login" className="font-medium text-brand-700 underline">
          Sign in
        </Link>
      </p>
    </div>
  );
}
