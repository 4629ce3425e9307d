"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";
import { createApiKeyAction, revokeApiKeyAction, updateShopAction, type SettingsState } from "./actions";

export function ShopSettingsForm({
  shop,
  canEdit,
}: {
  shop: { name: string; currency: string; country: string | null; timeZone: string; marginPct: number; attributionDays: number };
  canEdit: boolean;
}) {
  const [state, action, pending] = useActionState<SettingsState, FormData>(updateShopAction, {});
  return (
    <form action={action} className="space-y-4" noValidate aria-label="Shop settings">
      {state.error && <FormMessage>{state.error}</FormMessage>}
      {state.notice && <FormMessage tone="success">{state.notice}</FormMessage>}
      <fieldset disabled={!canEdit} className="grid gap-4 sm:grid-cols-2">
        <Field label="Shop name" name="name" id="shop-name" defaultValue={shop.name} error={state.fields?.name} required />
        <Field label="Currency" name="currency" defaultValue={shop.currency} error={state.fields?.currency} maxLength={3} hint="Three letters, e.g. EUR, GBP, USD." />
        <Field
          label="Country"
          name="country"
          defaultValue={shop.country ?? ""}
          error={state.fields?.country}
          maxLength={2}
          hint="Two letters, e.g. GB, DE, US. Phone numbers without a country code are read as this country's."
        />
        <Field label="Time zone" name="timeZone" defaultValue={shop.timeZone} error={state.fields?.timeZone} />
        <Field
          label="Gross margin (%)"
          name="marginPct"
          type="number"
          min={0}
          max={100}
          step="0.1"
          defaultValue={shop.marginPct}
          error={state.fields?.marginPct}
          hint="Used for customer value and campaign return."
        />
        <Field
          label="Attribution window (days)"
          name="attributionDays"
          type="number"
          min={1}
          max={90}
          step="1"
          defaultValue={shop.attributionDays}
          error={state.fields?.attributionDays}
          hint="An order placed this many days after a campaign's message counts as its result (for the holdout: after the day they were held out)."
        />
      </fieldset>
      <Button type="submit" disabled={!canEdit || pending}>
        {pending ? "Saving…" : "Save settings"}
      </Button>
    </form>
  );
}

export function CreateApiKeyForm({ canEdit }: { canEdit: boolean }) {
  const [state, action, pending] = useActionState<SettingsState, FormData>(createApiKeyAction, {});
  return (
    <form action={action} className="space-y-3" noValidate aria-label="Create an API key">
      {state.error && <FormMessage>{state.error}</FormMessage>}
      {state.notice && <FormMessage tone="success">{state.notice}</FormMessage>}
      {state.secret && (
        <p className="break-all rounded-lg border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm" aria-label="New API key">
          {state.secret}
        </p>
      )}
      <fieldset disabled={!canEdit} className="flex flex-wrap items-end gap-3">
        <Field label="Key name" name="name" id="api-key-name" placeholder="e.g. Shopify sync" error={state.fields?.name} className="min-w-64" />
        <Button type="submit" disabled={!canEdit || pending}>
          Create key
        </Button>
      </fieldset>
    </form>
  );
}

export function RevokeApiKeyButton({ id, name, canEdit }: { id: string; name: string; canEdit: boolean }) {
  const [state, action, pending] = useActionState<SettingsState, FormData>(revokeApiKeyAction, {});
  return (
    <form action={action} className="inline">
      <input type="hidden" name="id" value={id} />
      <Button type="submit" variant="secondary" className="py-1" disabled={!canEdit || pending} aria-label={`Revoke ${name}`}>
        Revoke
      </Button>
      {state.error && <span className="ml-2 text-sm text-red-700">{state.error}</span>}
    </form>
  );
}
