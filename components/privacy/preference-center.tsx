// The preference page's pieces. Plain HTML forms, one per choice, so every change is one click and
// works without JavaScript; the buttons say what they do and to what.
import { formatDate } from "@/components/format";
import { CHANNEL_WORDS, PURPOSE_WORDS, type ConsentChoice } from "@/lib/privacy/preference-options";
import type { Channel } from "@/lib/consent/schemas";

export interface FormContext {
  action: string;
  formToken: string;
  policyVersionId: string | null;
  timeZone: string;
}

function Hidden({ ctx, fields }: { ctx: FormContext; fields: Record<string, string> }) {
  return (
    <>
      <input type="hidden" name="form" value={ctx.formToken} />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
    </>
  );
}

export function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={`${id}-title`} id={id} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5">
      <h2 id={`${id}-title`} className="text-base font-semibold text-slate-900">
        {title}
      </h2>
      <div className="mt-3">{children}</div>
    </section>
  );
}

export function ChannelChoices({ channel, choices, ctx }: { channel: Channel; choices: ConsentChoice[]; ctx: FormContext }) {
  return (
    <div className="mt-4 first:mt-0">
      <h3 className="text-sm font-semibold uppercase tracking-wide text-slate-600">{CHANNEL_WORDS[channel]}</h3>
      <ul className="mt-2 divide-y divide-slate-100">
        {choices.map((c) => {
          const words = PURPOSE_WORDS[c.purpose];
          const label = `${words.title} by ${CHANNEL_WORDS[channel].toLowerCase()}`;
          return (
            <li key={c.purpose} className="flex items-center justify-between gap-3 py-3">
              <div className="min-w-0">
                <p className="font-medium text-slate-900">{words.title}</p>
                <p className="text-sm text-slate-600">{words.detail}</p>
                <p className="mt-0.5 text-sm" data-testid={`state-${channel}-${c.purpose}`}>
                  {c.granted ? (
                    <span className="font-medium text-brand-700">On{c.since ? ` since ${formatDate(c.since, ctx.timeZone)}` : ""}</span>
                  ) : (
                    <span className="text-slate-700">Off</span>
                  )}
                </p>
              </div>
              <form method="post" action={ctx.action} className="shrink-0">
                <Hidden ctx={ctx} fields={{ intent: "consent", channel, purpose: c.purpose, action: c.granted ? "withdraw" : "grant", policyVersionId: ctx.policyVersionId ?? "" }} />
                <button
                  type="submit"
                  aria-label={`${c.granted ? "Turn off" : "Turn on"}: ${label}`}
                  className={
                    c.granted
                      ? "min-h-11 rounded-lg border border-slate-400 bg-white px-4 py-2 text-sm font-semibold text-slate-900 hover:bg-slate-50"
                      : "min-h-11 rounded-lg bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700"
                  }
                >
                  {c.granted ? "Turn off" : "Turn on"}
                </button>
              </form>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

export function BudgetForm({ budget, shopCap, ctx }: { budget: number | null; shopCap: number; ctx: FormContext }) {
  const options: { value: string; label: string }[] = [
    { value: "none", label: "No limit of my own" },
    { value: "0", label: "No messages at all" },
    ...[1, 2, 3, 5, 7].map((n) => ({ value: String(n), label: `At most ${n} a week` })),
  ];
  if (budget !== null && !options.some((o) => o.value === String(budget))) options.push({ value: String(budget), label: `At most ${budget} a week` });
  return (
    <form method="post" action={ctx.action} className="flex flex-col gap-3 sm:flex-row sm:items-end">
      <Hidden ctx={ctx} fields={{ intent: "budget" }} />
      <div className="flex-1">
        <label htmlFor="budget-limit" className="block text-sm font-medium text-slate-800">
          How many messages a week, at most
        </label>
        <p id="budget-hint" className="text-sm text-slate-600">
          The shop never sends anyone more than {shopCap} a week; you can set a lower limit for yourself.
        </p>
        <select
          id="budget-limit"
          name="budget"
          aria-describedby="budget-hint"
          defaultValue={budget === null ? "none" : String(budget)}
          className="mt-1 block min-h-11 w-full rounded-lg border border-slate-400 bg-white px-3 py-2 text-base text-slate-900"
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="min-h-11 rounded-lg bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700">
        Save limit
      </button>
    </form>
  );
}
