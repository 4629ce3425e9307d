"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";
import type { SettingsState } from "./actions";
import { publishPolicyAction, updateRetentionAction } from "./consent-actions";

export function PublishPolicyForm({ canEdit, today, draft }: { canEdit: boolean; today: string; draft: string }) {
  const [state, action, pending] = useActionState<SettingsState, FormData>(publishPolicyAction, {});
  const textError = state.fields?.text;
  return (
    <form action={action} className="space-y-4" noValidate aria-label="Publish a policy version">
      {state.error && <FormMessage>{state.error}</FormMessage>}
      {state.notice && <FormMessage tone="success">{state.notice}</FormMessage>}
      <fieldset disabled={!canEdit} className="space-y-4">
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Version label" name="version" id="policy-version" placeholder="e.g. v3 or 2026-12" error={state.fields?.version} required maxLength={40} />
          <Field
            label="Takes effect on"
            name="effectiveAt"
            id="policy-effective"
            type="date"
            defaultValue={today}
            min={today}
            error={state.fields?.effectiveAt}
            hint="Consent given from this day on points at this version."
            required
          />
        </div>
        <div className="space-y-1">
          <label htmlFor="policy-text" className="block text-sm font-medium text-slate-700">
            Privacy and marketing text
          </label>
          <textarea
            id="policy-text"
            name="text"
            rows={8}
            defaultValue={draft}
            required
            aria-invalid={textError ? true : undefined}
            aria-describedby={`policy-text-hint${textError ? " policy-text-error" : ""}`}
            className={`block w-full rounded-lg border bg-white px-3 py-2 text-sm shadow-sm ${textError ? "border-red-500" : "border-slate-300"}`}
          />
          <p id="policy-text-hint" className="text-xs text-slate-500">
            What customers read on their preference page: what you keep, why, for how long, and how to withdraw. A published version never changes; publish a new one instead.
          </p>
          {textError && (
            <p id="policy-text-error" className="text-sm text-red-700">
              {textError}
            </p>
          )}
        </div>
      </fieldset>
      <Button type="submit" disabled={!canEdit || pending}>
        {pending ? "Publishing…" : "Publish version"}
      </Button>
    </form>
  );
}

export function RetentionForm({ canEdit, months }: { canEdit: boolean; months: { marketing: number; personalization: number; other: number } }) {
  const [state, action, pending] = useActionState<SettingsState, FormData>(updateRetentionAction, {});
  const field = (name: string, label: string, value: number, hint: string) => (
    <Field label={label} name={name} id={`retention-${name}`} type="number" min={1} max={120} step={1} defaultValue={value} error={state.fields?.[name]} hint={hint} required />
  );
  return (
    <form action={action} className="space-y-4" noValidate aria-label="Retention of raw events">
      {state.error && <FormMessage>{state.error}</FormMessage>}
      {state.notice && <FormMessage tone="success">{state.notice}</FormMessage>}
      <fieldset disabled={!canEdit} className="grid gap-4 sm:grid-cols-3">
        {field("marketingMonths", "Carts and checkouts (months)", months.marketing, "Marketing: abandoned-cart reminders look back 7 days.")}
        {field("personalizationMonths", "Product views (months)", months.personalization, "Personalization: browsing interest looks back 30 days.")}
        {field("otherMonths", "Other raw events (months)", months.other, "Events of no listed purpose.")}
      </fieldset>
      <Button type="submit" disabled={!canEdit || pending}>
        {pending ? "Saving…" : "Save retention"}
      </Button>
    </form>
  );
}
