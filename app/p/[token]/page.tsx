// The customer's preference center: no login, the link is the key. Reading it changes nothing,
// except that a browser's Global Privacy Control signal is honoured and recorded (once).
import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { publicRequest } from "@/app/_server/public-pages";
import { formatDate, formatDateTime } from "@/components/format";
import { BudgetForm, ChannelChoices, Section, type FormContext } from "@/components/privacy/preference-center";
import { ChannelSchema, PurposeSchema } from "@/lib/consent/schemas";
import { withShop } from "@/lib/db/tenant";
import { isAppError } from "@/lib/errors";
import { getPreferencePage } from "@/lib/privacy/get-preference-page";
import { honourGpc } from "@/lib/privacy/honour-gpc";
import { CHANNEL_WORDS, PURPOSE_WORDS } from "@/lib/privacy/preference-options";
import { formTokenFor, verifyPrivacyToken } from "@/lib/privacy/tokens";

export const metadata: Metadata = { title: "Your preferences", referrer: "no-referrer" };

function statusMessage(q: Record<string, string | string[] | undefined>): { tone: "ok" | "error"; text: string } | null {
  const channel = ChannelSchema.safeParse(q.channel);
  const purpose = PurposeSchema.safeParse(q.purpose);
  const what = channel.success && purpose.success ? `${PURPOSE_WORDS[purpose.data].title} by ${CHANNEL_WORDS[channel.data].toLowerCase()}` : "That choice";
  switch (q.status) {
    case "on":
      return { tone: "ok", text: `Saved. ${what} is now on.` };
    case "off":
      return { tone: "ok", text: `Saved. ${what} is now off, from this moment.` };
    case "unchanged":
      return { tone: "ok", text: `${what} was already as you chose; nothing changed.` };
    case "budget":
      return { tone: "ok", text: "Saved. Your weekly limit applies from now on." };
    case "invalid":
      return { tone: "error", text: "That was not saved: choose again from the options on this page." };
    case "form":
      return { tone: "error", text: "Nothing was changed: this page was sent from somewhere else or is out of date. Choose again here." };
    default:
      return null;
  }
}

export default async function PreferencePage({ params, searchParams }: { params: Promise<{ token: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { token } = await params;
  const link = verifyPrivacyToken(token, "preferences");
  if (!link) notFound();
  const request = publicRequest(await headers());
  const page = await withShop(link.shopId, async (tx) => {
    if (request.gpc) await honourGpc(tx, link.customerId, { requestId: request.requestId });
    return getPreferencePage(tx, link.customerId);
  }).catch((e: unknown) => {
    if (isAppError(e, "not_found")) notFound();
    throw e;
  });
  const status = statusMessage(await searchParams);

  if (page.erased) {
    return (
      <main className="mx-auto max-w-xl px-4 py-8">
        <p className="text-sm font-medium text-slate-600">{page.shop.name}</p>
        <h1 className="mt-1 text-2xl font-semibold text-slate-900">Your details were erased</h1>
        <p className="mt-3 text-slate-700">
          On {formatDate(page.erasedAt, page.shop.timeZone)} your name, email, phone and other details were erased. You will get no more messages from{" "}
          {page.shop.name}. The shop keeps its order records without your name, and the record of your consent choices (dates and codes, not your
          email) as proof of what you agreed to.
        </p>
      </main>
    );
  }

  const tz = page.customer.timeZone ?? page.shop.timeZone;
  const ctx: FormContext = { action: `/p/${token}/save`, formToken: formTokenFor(token, link.shopId), policyVersionId: page.policy?.id ?? null, timeZone: tz };
  const name = [page.customer.firstName, page.customer.lastName].filter(Boolean).join(" ");
  const gpcShown = request.gpc || page.gpcHonouredAt !== null;

  return (
    <main className="mx-auto max-w-xl space-y-4 px-4 py-6 sm:py-10">
      <header>
        <p className="text-sm font-medium text-slate-600">{page.shop.name}</p>
        <h1 className="mt-1 text-2xl font-semibold text-slate-900">{name ? `${name}, your preferences` : "Your preferences"}</h1>
        <p className="mt-2 text-slate-700">What {page.shop.name} may send you, what it knows about you and why. Every change takes one tap and applies at once.</p>
      </header>

      {status && (
        <p role="status" className={status.tone === "ok" ? "rounded-lg border border-brand-500 bg-brand-50 p-3 text-brand-700" : "rounded-lg border border-red-300 bg-red-50 p-3 text-red-800"}>
          {status.text}
        </p>
      )}

      {gpcShown && (
        <p className="rounded-lg border border-sky-300 bg-sky-50 p-3 text-sky-900" data-testid="gpc-notice">
          Your browser sends the Global Privacy Control signal. We honoured it{page.gpcHonouredAt ? ` on ${formatDate(page.gpcHonouredAt, tz)}` : ""}:
          nothing is personalised from your data, and {page.shop.name} shares your data with no one.
        </p>
      )}

      <Section id="choices" title="What you would like to get">
        {page.channels.length === 0 ? (
          <p className="text-slate-700">The shop holds no email address or phone number for you, so it cannot send you anything.</p>
        ) : (
          page.channels.map((c) => <ChannelChoices key={c.channel} channel={c.channel} choices={c.choices} ctx={ctx} />)
        )}
        <p className="mt-3 text-xs text-slate-600">Everything is off unless you turned it on. Turning something off takes effect before the next message.</p>
      </Section>

      <Section id="budget" title="How often">
        <BudgetForm budget={page.customer.contactBudgetPerWeek} shopCap={page.shop.frequencyCapPerWeek} ctx={ctx} />
      </Section>

      <Section id="messages" title="Messages you got, and why">
        {page.messages.length === 0 ? (
          <p className="text-slate-700">No messages sent to you yet.</p>
        ) : (
          <ul className="space-y-3">
            {page.messages.map((m) => (
              <li key={m.id} className="rounded-lg border border-slate-100 p-3">
                <p className="font-medium text-slate-900">{m.campaign}</p>
                <p className="text-sm text-slate-600">
                  {CHANNEL_WORDS[m.channel]} · {formatDateTime(m.sentAt, tz)}
                </p>
                <p className="mt-1 text-sm text-slate-800">
                  <span className="font-medium">Why: </span>
                  {m.why}
                </p>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section id="held" title="What we hold about you">
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-slate-600">Name</dt>
          <dd className="text-slate-900">{name || "—"}</dd>
          <dt className="text-slate-600">Email</dt>
          <dd className="break-all text-slate-900">{page.customer.email ?? "—"}</dd>
          <dt className="text-slate-600">Phone</dt>
          <dd className="text-slate-900">{page.customer.phone ?? "—"}</dd>
          <dt className="text-slate-600">Time zone</dt>
          <dd className="text-slate-900">{page.customer.timeZone ?? "—"}</dd>
          <dt className="text-slate-600">Language</dt>
          <dd className="text-slate-900">{page.customer.locale ?? "—"}</dd>
          <dt className="text-slate-600">Customer since</dt>
          <dd className="text-slate-900">{formatDate(page.customer.createdAt, tz)}</dd>
          <dt className="text-slate-600">Orders</dt>
          <dd className="text-slate-900">
            {page.orders.all}
            {page.orders.lastAt ? `, the last on ${formatDate(page.orders.lastAt, tz)}` : ""}
          </dd>
          {page.attributes.map((a) => (
            <div key={a.label} className="contents">
              <dt className="text-slate-600">{a.label}</dt>
              <dd className="text-slate-900">{a.value}</dd>
            </div>
          ))}
        </dl>
      </Section>

      <Section id="segments" title="Groups you are in, and why">
        {page.segments.length === 0 ? (
          <p className="text-slate-700">You are in no group right now.</p>
        ) : (
          <ul className="space-y-2 text-sm">
            {page.segments.map((s) => (
              <li key={s.name}>
                <span className="font-medium text-slate-900">{s.name}</span>
                <span className="block text-slate-700">{s.reason}</span>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section id="data" title="Your data">
        <div className="flex flex-col gap-3 sm:flex-row">
          <a href={`/p/${token}/export`} download className="inline-flex min-h-11 items-center justify-center rounded-lg border border-slate-400 bg-white px-4 py-2 text-sm font-semibold text-slate-900 hover:bg-slate-50">
            Download my data
          </a>
          <a href={`/p/${token}/erase`} className="inline-flex min-h-11 items-center justify-center rounded-lg border border-red-300 bg-white px-4 py-2 text-sm font-semibold text-red-800 hover:bg-red-50">
            Erase me
          </a>
        </div>
        <p className="mt-2 text-xs text-slate-600">The download is one JSON file with everything above, your orders and your full consent history.</p>
      </Section>

      <Section id="policy" title="Privacy and marketing policy">
        {page.policy ? (
          <details>
            <summary className="cursor-pointer text-sm font-medium text-brand-700">
              Version {page.policy.version}, in effect since {formatDate(page.policy.effectiveAt, tz)}
            </summary>
            <div className="mt-2 whitespace-pre-wrap text-sm text-slate-800">{page.policy.text}</div>
            <p className="mt-2 break-all font-mono text-xs text-slate-600">SHA-256 {page.policy.sha256}</p>
          </details>
        ) : (
          <p className="text-slate-700">The shop has not published a policy text yet.</p>
        )}
      </Section>

      <footer className="pb-6 text-center text-xs text-slate-600">This link is personal: it works for {Math.max(1, Math.round((link.expiresAt.getTime() - Date.now()) / 86_400_000))} more days. Please do not forward it.</footer>
    </main>
  );
}
