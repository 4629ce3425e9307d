"use client";
// The custom segment builder: AND/OR groups of conditions on the allowed fields, a live size
// preview with sample members and their reasons, and errors that name the rule ("rule 2.1").
// The server validates again on save; this form only offers what the rule schema allows.
import { useRouter } from "next/navigation";
import { useEffect, useId, useState, useTransition } from "react";
import { saveSegmentAction } from "@/app/(dashboard)/segments/actions";
import { formatCount } from "@/components/format";
import { Button } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";
import type { FieldError } from "@/lib/errors";
import { NUMBER_FIELDS, OP_WORDS, RULE_EVENT_TYPES, type Condition, type RuleGroup } from "@/lib/segments/rules";

type Field = Condition["field"];
const FIELD_LABELS: Record<Field, string> = {
  ...Object.fromEntries(Object.entries(NUMBER_FIELDS).map(([k, v]) => [k, v.label[0]!.toUpperCase() + v.label.slice(1)])),
  categoryBought: "Bought from category",
  eventSeen: "Did something on the site",
  consent: "Has agreed to",
  timeZone: "Time zone",
  locale: "Language",
  attribute: "Custom attribute",
} as Record<Field, string>;

const EVENT_LABELS: Record<(typeof RULE_EVENT_TYPES)[number], string> = {
  "product.viewed": "viewed a product",
  "cart.updated": "updated a cart",
  "checkout.started": "started a checkout",
  "cart.abandoned": "left a cart",
  "order.created": "placed an order",
};

function defaultCondition(field: Field, attributes: { key: string }[]): Condition {
  switch (field) {
    case "categoryBought":
      return { field, value: "" };
    case "eventSeen":
      return { field, event: "product.viewed", withinDays: 30 };
    case "consent":
      return { field, channel: "email", purpose: "marketing" };
    case "timeZone":
    case "locale":
      return { field, op: "is", value: "" };
    case "attribute":
      return { field, key: attributes[0]?.key ?? "", op: "is", value: "" };
    default:
      return { field, op: field === "daysSinceLastOrder" ? "lte" : "gte", value: field === "pAlive" ? 0.5 : 1 };
  }
}

const control = "rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm shadow-sm";

interface Preview {
  size: number;
  customers: number;
  sample: { customerId: string; name: string; reason: string }[];
}

export function RuleBuilder({
  id,
  initial,
  categories,
  attributes,
}: {
  id: string | null;
  initial: { name: string; description: string; rules: RuleGroup };
  categories: string[];
  attributes: { key: string; label: string }[];
}) {
  const router = useRouter();
  const [name, setName] = useState(initial.name);
  const [description, setDescription] = useState(initial.description);
  const [rules, setRules] = useState<RuleGroup>(initial.rules);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [previewError, setPreviewError] = useState<{ detail: string; errors: FieldError[] } | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [saveError, setSaveError] = useState<{ error: string; fields: FieldError[] } | null>(null);
  const [saving, startSaving] = useTransition();
  const categoriesId = useId();

  // Size preview while editing, a moment after the last change.
  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      setPreviewing(true);
      try {
        const res = await fetch("/api/segments/preview", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ name: name || "Preview", rules }),
          signal: controller.signal,
        });
        const body = await res.json();
        if (res.ok) {
          setPreview(body as Preview);
          setPreviewError(null);
        } else setPreviewError({ detail: body.detail ?? "The preview failed.", errors: body.errors ?? [] });
      } catch {
        if (!controller.signal.aborted) setPreviewError({ detail: "The preview could not be loaded.", errors: [] });
      } finally {
        if (!controller.signal.aborted) setPreviewing(false);
      }
    }, 400);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [name, rules]);

  function save() {
    setSaveError(null);
    startSaving(async () => {
      const result = await saveSegmentAction(id, { name, description: description || undefined, rules });
      if ("id" in result) router.push(`/segments/${result.id}`);
      else setSaveError(result);
    });
  }

  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
      <div className="space-y-4">
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Name" name="name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} />
          <Field label="Description (optional)" name="description" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={500} />
        </div>
        <datalist id={categoriesId}>
          {categories.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
        <GroupEditor
          group={rules}
          path={[]}
          onChange={setRules}
          categoriesId={categoriesId}
          attributes={attributes}
        />
        {saveError && (
          <FormMessage>
            {saveError.error}
          </FormMessage>
        )}
        <div className="flex gap-2">
          <Button onClick={save} disabled={saving}>
            {saving ? "Saving…" : "Save segment"}
          </Button>
          <Button variant="secondary" onClick={() => router.push(id ? `/segments/${id}` : "/segments")}>
            Cancel
          </Button>
        </div>
      </div>
      <aside aria-live="polite" aria-busy={previewing} className="space-y-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
        <h2 className="text-sm font-semibold text-slate-700">Preview</h2>
        {previewError ? (
          <div className="space-y-1 text-sm text-red-800" role="alert">
            {previewError.errors.length > 0 ? (
              <ul className="space-y-1">
                {previewError.errors.map((e) => (
                  <li key={`${e.field}-${e.message}`}>
                    {e.field}: {e.message}
                  </li>
                ))}
              </ul>
            ) : (
              <p>{previewError.detail}</p>
            )}
          </div>
        ) : preview ? (
          <>
            <p className="text-2xl font-semibold tabular-nums" data-testid="segment-size">
              {formatCount(preview.size)}{" "}
              <span className="text-sm font-normal text-slate-500">of {formatCount(preview.customers)} customers</span>
            </p>
            <ul className="space-y-2 text-sm">
              {preview.sample.map((s) => (
                <li key={s.customerId}>
                  <span className="font-medium">{s.name}</span>
                  <span className="block text-slate-600">{s.reason}</span>
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p className="text-sm text-slate-500">Counting…</p>
        )}
      </aside>
    </div>
  );
}

function GroupEditor({
  group,
  path,
  onChange,
  categoriesId,
  attributes,
  onRemove,
}: {
  group: RuleGroup;
  path: number[];
  onChange: (g: RuleGroup) => void;
  categoriesId: string;
  attributes: { key: string; label: string }[];
  onRemove?: () => void;
}) {
  const label = path.length ? `group ${path.join(".")}` : "the top group";
  const set = (i: number, c: Condition | RuleGroup) => onChange({ ...group, conditions: group.conditions.map((x, j) => (j === i ? c : x)) });
  const remove = (i: number) => onChange({ ...group, conditions: group.conditions.filter((_, j) => j !== i) });
  return (
    <fieldset className="space-y-2 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <legend className="sr-only">Conditions of {label}</legend>
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span>Customers matching</span>
        <select aria-label={`Match for ${label}`} className={control} value={group.match} onChange={(e) => onChange({ ...group, match: e.target.value as RuleGroup["match"] })}>
          <option value="all">all</option>
          <option value="any">any</option>
        </select>
        <span>of these:</span>
        {onRemove && (
          <button type="button" onClick={onRemove} className="ml-auto text-sm text-red-700 hover:underline">
            Remove group
          </button>
        )}
      </div>
      {group.conditions.length === 0 && <p className="text-sm text-amber-800">A group needs at least one condition.</p>}
      <ol className="space-y-2">
        {group.conditions.map((c, i) => {
          const at = [...path, i + 1];
          return (
            <li key={i} className="flex flex-wrap items-start gap-2">
              <span className="mt-1.5 w-10 text-xs text-slate-500">{at.join(".")}</span>
              {"match" in c ? (
                <div className="flex-1">
                  <GroupEditor group={c} path={at} onChange={(g) => set(i, g)} categoriesId={categoriesId} attributes={attributes} onRemove={() => remove(i)} />
                </div>
              ) : (
                <ConditionEditor condition={c} label={`rule ${at.join(".")}`} onChange={(n) => set(i, n)} onRemove={() => remove(i)} categoriesId={categoriesId} attributes={attributes} />
              )}
            </li>
          );
        })}
      </ol>
      <div className="flex gap-3 text-sm">
        <button type="button" className="text-brand-700 hover:underline" onClick={() => onChange({ ...group, conditions: [...group.conditions, defaultCondition("orderCount", attributes)] })}>
          + Condition
        </button>
        {path.length < 2 && (
          <button
            type="button"
            className="text-brand-700 hover:underline"
            onClick={() => onChange({ ...group, conditions: [...group.conditions, { match: group.match === "all" ? "any" : "all", conditions: [defaultCondition("orderCount", attributes)] }] })}
          >
            + Group
          </button>
        )}
      </div>
    </fieldset>
  );
}

function ConditionEditor({
  condition: c,
  label,
  onChange,
  onRemove,
  categoriesId,
  attributes,
}: {
  condition: Condition;
  label: string;
  onChange: (c: Condition) => void;
  onRemove: () => void;
  categoriesId: string;
  attributes: { key: string; label: string }[];
}) {
  const fields = (Object.keys(FIELD_LABELS) as Field[]).filter((f) => f !== "attribute" || attributes.length > 0);
  const number = (value: string) => (value === "" ? Number.NaN : Number(value));
  return (
    <div className="flex flex-1 flex-wrap items-center gap-2">
      <select aria-label={`Field of ${label}`} className={control} value={c.field} onChange={(e) => onChange(defaultCondition(e.target.value as Field, attributes))}>
        {fields.map((f) => (
          <option key={f} value={f}>
            {FIELD_LABELS[f]}
          </option>
        ))}
      </select>
      {(() => {
        switch (c.field) {
          case "categoryBought":
            return (
              <>
                <input aria-label={`Category of ${label}`} list={categoriesId} className={control} value={c.value} onChange={(e) => onChange({ ...c, value: e.target.value })} placeholder="Category" />
                <label className="flex items-center gap-1 text-sm">
                  in the last
                  <input
                    aria-label={`Days of ${label}`}
                    type="number"
                    min={1}
                    className={`${control} w-20`}
                    value={c.withinDays ?? ""}
                    placeholder="any"
                    onChange={(e) => onChange({ ...c, withinDays: e.target.value === "" ? undefined : number(e.target.value) })}
                  />
                  days
                </label>
              </>
            );
          case "eventSeen":
            return (
              <>
                <select aria-label={`Event of ${label}`} className={control} value={c.event} onChange={(e) => onChange({ ...c, event: e.target.value as typeof c.event })}>
                  {RULE_EVENT_TYPES.map((t) => (
                    <option key={t} value={t}>
                      {EVENT_LABELS[t]}
                    </option>
                  ))}
                </select>
                <label className="flex items-center gap-1 text-sm">
                  in the last
                  <input aria-label={`Days of ${label}`} type="number" min={1} className={`${control} w-20`} value={Number.isNaN(c.withinDays) ? "" : c.withinDays} onChange={(e) => onChange({ ...c, withinDays: number(e.target.value) })} />
                  days
                </label>
              </>
            );
          case "consent":
            return (
              <>
                <select aria-label={`Purpose of ${label}`} className={control} value={c.purpose} onChange={(e) => onChange({ ...c, purpose: e.target.value as typeof c.purpose })}>
                  <option value="marketing">marketing</option>
                  <option value="personalization">personalization</option>
                  <option value="surveys">surveys</option>
                </select>
                <span className="text-sm">by</span>
                <select aria-label={`Channel of ${label}`} className={control} value={c.channel} onChange={(e) => onChange({ ...c, channel: e.target.value as typeof c.channel })}>
                  <option value="email">email</option>
                  <option value="sms">SMS</option>
                  <option value="push">push</option>
                </select>
              </>
            );
          case "timeZone":
          case "locale":
          case "attribute":
            return (
              <>
                {c.field === "attribute" && (
                  <select aria-label={`Attribute of ${label}`} className={control} value={c.key} onChange={(e) => onChange({ ...c, key: e.target.value })}>
                    {attributes.map((a) => (
                      <option key={a.key} value={a.key}>
                        {a.label}
                      </option>
                    ))}
                  </select>
                )}
                <select aria-label={`Comparison of ${label}`} className={control} value={c.op} onChange={(e) => onChange({ ...c, op: e.target.value as "is" | "isNot" })}>
                  <option value="is">is</option>
                  <option value="isNot">is not</option>
                </select>
                <input
                  aria-label={`Value of ${label}`}
                  className={control}
                  value={c.value}
                  placeholder={c.field === "timeZone" ? "Europe/Berlin" : c.field === "locale" ? "de" : "value"}
                  onChange={(e) => onChange({ ...c, value: e.target.value })}
                />
              </>
            );
          default:
            return (
              <>
                <select aria-label={`Comparison of ${label}`} className={control} value={c.op} onChange={(e) => onChange({ ...c, op: e.target.value as typeof c.op })}>
                  {(Object.keys(OP_WORDS) as (keyof typeof OP_WORDS)[]).map((op) => (
                    <option key={op} value={op}>
                      {OP_WORDS[op]}
                    </option>
                  ))}
                </select>
                <input
                  aria-label={`Value of ${label}`}
                  type="number"
                  step="any"
                  className={`${control} w-28`}
                  value={Number.isNaN(c.value) ? "" : c.value}
                  onChange={(e) => onChange({ ...c, value: number(e.target.value) })}
                />
                <span className="text-xs text-slate-500">{NUMBER_FIELDS[c.field].unit}</span>
              </>
            );
        }
      })()}
      <button type="button" onClick={onRemove} className="ml-auto text-sm text-red-700 hover:underline" aria-label={`Remove ${label}`}>
        Remove
      </button>
    </div>
  );
}
