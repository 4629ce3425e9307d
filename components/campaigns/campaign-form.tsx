"use client";
// The campaign form, for a new campaign or a draft being edited: audience, channel and purpose,
// holdout, schedule, cost and one to four variants with the merge fields they may use. The server
// checks everything again (and every template's fields) and answers errors per field.
import { startTransition, useActionState, useState } from "react";
import { createCampaignAction, updateCampaignAction, type CampaignFormState } from "@/app/(dashboard)/campaigns/actions";
import { Button } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";

const control = "block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm";

export interface CampaignFormProps {
  segments: { id: string; name: string; size: number | null }[];
  mergeFields: { key: string; help: string }[];
  currency: string;
  /** The draft being edited: its id and its stored values, named as the form's fields. */
  campaignId?: string;
  initial?: Record<string, string>;
}

export function CampaignForm({ segments, mergeFields, currency, campaignId, initial }: CampaignFormProps) {
  const [state, formAction, pending] = useActionState<CampaignFormState, FormData>(campaignId ? updateCampaignAction.bind(null, campaignId) : createCampaignAction, null);
  const values = state?.values ?? initial ?? {};
  const [count, setCount] = useState(() => Math.max(1, [0, 1, 2, 3].filter((i) => values[`variants.${i}.body`] !== undefined).length));
  const [channel, setChannel] = useState(values.channel ?? "email");
  const err = (field: string) => state?.fields.find((f) => f.field === field)?.message;

  return (
    <form
      action={formAction}
      // Submitting by hand keeps what the owner typed when the server answers with errors (a form
      // action would reset the fields); without JavaScript the action posts the form as usual.
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        startTransition(() => formAction(data));
      }}
      className="space-y-6"
      noValidate
    >
      {state && <FormMessage>{state.error}</FormMessage>}
      <section className="grid gap-4 rounded-xl border border-slate-200 bg-white p-5 shadow-sm sm:grid-cols-2">
        <Field label="Name" name="name" required defaultValue={values.name} error={err("name")} className="sm:col-span-2" />
        <Select label="Segment" name="segmentId" defaultValue={values.segmentId} error={err("segmentId")} hint="Who may get it; consent and caps narrow it further.">
          <option value="">Choose a segment…</option>
          {segments.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}{s.size !== null ? ` (${s.size} customers)` : ""}
            </option>
          ))}
        </Select>
        <Select label="Channel" name="channel" value={channel} onChange={(e) => setChannel(e.target.value)} error={err("channel")}>
          <option value="email">Email</option>
          <option value="sms">Text message (SMS)</option>
        </Select>
        <Select label="Purpose" name="purpose" defaultValue={values.purpose ?? "marketing"} error={err("purpose")} hint="Only customers who said yes to exactly this channel and purpose get it.">
          <option value="marketing">Offers and news (marketing)</option>
          <option value="personalization">Recommendations (personalization)</option>
          <option value="surveys">Surveys</option>
        </Select>
        <Field label="Holdout (%)" name="holdoutPct" type="number" min={0} max={50} step={1} defaultValue={values.holdoutPct ?? "10"} error={err("holdoutPct")}
          hint="This share gets nothing, to measure what the campaign earned (0–50 %)." />
        <Field label="Send at (UTC, optional)" name="scheduledAt" type="datetime-local" defaultValue={values.scheduledAt} error={err("scheduledAt")}
          hint="Empty: sent as soon as an owner approves it." />
        <Field label={`Cost (${currency}, optional)`} name="cost" inputMode="decimal" defaultValue={values.cost} error={err("costMinor")} hint="What the campaign costs you, for its return on spend." />
        <div className="space-y-1 sm:col-span-2">
          <label className="flex items-center gap-2 text-sm font-medium text-slate-700">
            <input type="checkbox" name="offer" defaultChecked={values.offer === "on"} aria-describedby="field-offer-hint" className="h-4 w-4 rounded border-slate-300" />
            This message is an offer (a discount, coupon or free extra)
          </label>
          <p id="field-offer-hint" className="text-xs text-slate-500">The fairness report shows which customers get offers and which never do.</p>
        </div>
      </section>

      <section aria-labelledby="variants-title" className="space-y-4">
        <div>
          <h2 id="variants-title" className="text-lg font-semibold">Messages</h2>
          <p className="text-sm text-slate-600">
            One to four variants; customers are split between them by their weights. Merge fields (a fallback after a bar, as in{" "}
            <code className="rounded bg-slate-100 px-1">{"{{first_name | there}}"}</code>):
          </p>
          <ul className="mt-2 grid gap-1 text-sm text-slate-700 sm:grid-cols-2" aria-label="Merge fields">
            {mergeFields.map((f) => (
              <li key={f.key}>
                <code className="rounded bg-slate-100 px-1">{`{{${f.key}}}`}</code> {f.help}
              </li>
            ))}
          </ul>
          <p className="mt-2 text-xs text-slate-500">Every message ends with why the customer got it, a link to their preferences and a one-click unsubscribe.</p>
        </div>
        {Array.from({ length: count }, (_, i) => (
          <fieldset key={i} className="grid gap-4 rounded-xl border border-slate-200 bg-white p-5 shadow-sm sm:grid-cols-4">
            <legend className="px-1 text-sm font-semibold text-slate-700">Variant {"ABCD"[i]}</legend>
            {channel === "email" && (
              <Field label="Subject" name={`variants.${i}.subject`} id={`variant-${i}-subject`} defaultValue={values[`variants.${i}.subject`]} error={err(`variants.${i}.subject`)} className="sm:col-span-3" />
            )}
            <Field label="Weight" name={`variants.${i}.weight`} id={`variant-${i}-weight`} type="number" min={1} max={100} defaultValue={values[`variants.${i}.weight`] ?? "1"} error={err(`variants.${i}.weight`)} />
            <div className="space-y-1 sm:col-span-4">
              <label htmlFor={`variant-${i}-body`} className="block text-sm font-medium text-slate-700">Message</label>
              <textarea id={`variant-${i}-body`} name={`variants.${i}.body`} rows={5} defaultValue={values[`variants.${i}.body`]} className={control}
                aria-invalid={err(`variants.${i}.body`) ? true : undefined} aria-describedby={err(`variants.${i}.body`) ? `variant-${i}-body-error` : undefined} />
              {err(`variants.${i}.body`) && <p id={`variant-${i}-body-error`} className="text-sm text-red-700">{err(`variants.${i}.body`)}</p>}
            </div>
          </fieldset>
        ))}
        {err("variants") && <p className="text-sm text-red-700">{err("variants")}</p>}
        <div className="flex gap-2">
          {count < 4 && <Button type="button" variant="secondary" onClick={() => setCount(count + 1)}>Add a variant</Button>}
          {count > 1 && <Button type="button" variant="ghost" onClick={() => setCount(count - 1)}>Remove the last variant</Button>}
        </div>
      </section>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>{pending ? "Saving…" : campaignId ? "Save changes" : "Save draft"}</Button>
        <p className="text-sm text-slate-600">A draft sends nothing. You can preview it, then an owner approves it.</p>
      </div>
    </form>
  );
}

function Select({ label, name, error, hint, children, ...rest }: React.SelectHTMLAttributes<HTMLSelectElement> & { label: string; name: string; error?: string; hint?: string }) {
  const id = `field-${name}`;
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">{label}</label>
      <select id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy} className={control} {...rest}>
        {children}
      </select>
      {hint && <p id={`${id}-hint`} className="text-xs text-slate-500">{hint}</p>}
      {error && <p id={`${id}-error`} className="text-sm text-red-700">{error}</p>}
    </div>
  );
}
