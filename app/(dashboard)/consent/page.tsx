import type { Metadata } from "next";
import Link from "next/link";
import { requireShop } from "@/app/_server/require-shop";
import { loadShop } from "@/app/_server/loaders";
import { ConsentChart } from "@/components/charts/consent-chart";
import { ConsentLogTable, methodLabel } from "@/components/consent/consent-log-table";
import { VerifyPanel } from "@/components/consent/verify-panel";
import { formatCount } from "@/components/format";
import { Button, buttonClass } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { CONSENT_METHODS, countConsentByMonth, listConsentEvents, type ConsentLogQuery } from "@/lib/consent/list-consent-events";
import { getLedgerHead } from "@/lib/consent/verify-ledger";
import { withShop } from "@/lib/db/tenant";
import { verifyLedgerAction } from "./actions";

export const metadata: Metadata = { title: "Consent log" };

const FILTERS = ["q", "customer", "channel", "purpose", "method", "action", "from", "to"] as const;

export default async function ConsentLogPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const { shopId } = await requireShop();
  const params = await searchParams;
  const shop = await loadShop(shopId);
  const timeZone = shop.timeZone;
  const [log, months, head] = await withShop(shopId, async (tx) => [
    await listConsentEvents(tx, params, { timeZone }),
    await countConsentByMonth(tx, params, { timeZone }),
    await getLedgerHead(tx),
  ] as const);
  const query = log.query;
  const filtered = FILTERS.some((k) => query[k]);
  const filterParams = (over: Partial<Record<keyof ConsentLogQuery, string | number>> = {}) => {
    const sp = new URLSearchParams();
    for (const k of FILTERS) if (query[k]) sp.set(k, String(query[k]));
    for (const [k, v] of Object.entries(over)) if (v !== "" && v !== undefined) sp.set(k, String(v));
    return sp;
  };
  const href = (page: number) => `/consent?${filterParams({ page })}`;

  return (
    <>
      <PageHeader
        title="Consent log"
        description={`Every consent given and withdrawn, in order, each row chained to the one before by its hash. ${formatCount(log.ledgerEvents)} events in the ledger.`}
        actions={
          log.ledgerEvents > 0 ? (
            <a href={`/api/consent/export?${filterParams()}`} className={buttonClass("secondary")} download>
              Download CSV{filtered ? " (filtered)" : ""}
            </a>
          ) : undefined
        }
      />

      <Card className="mb-6">
        <CardTitle className="mb-3">Verify the ledger</CardTitle>
        <VerifyPanel action={verifyLedgerAction} head={head} />
      </Card>

      {log.ledgerEvents === 0 ? (
        <EmptyState title="No consent recorded yet">
          Consent arrives when a customer ticks a box at checkout, uses their preference page, unsubscribes, or when you import an
          explicit consent column. Nobody gets a marketing message before that.
        </EmptyState>
      ) : (
        <>
          <form key={filterParams().toString()} role="search" action="/consent" aria-label="Filter the consent log" className="mb-4 grid gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-4">
            {query.customer && <input type="hidden" name="customer" value={query.customer} />}
            <Labelled id="consent-q" label="Customer or request">
              <input id="consent-q" type="search" name="q" defaultValue={query.q} placeholder="Name, email, id, request id or hash" className={inputClass} />
            </Labelled>
            <Select id="consent-channel" name="channel" label="Channel" value={query.channel} options={["email", "sms", "push"].map((v) => [v, v])} />
            <Select id="consent-purpose" name="purpose" label="Purpose" value={query.purpose} options={["marketing", "personalization", "surveys"].map((v) => [v, v])} />
            <Select id="consent-method" name="method" label="Method" value={query.method} options={CONSENT_METHODS.map((m) => [m, methodLabel(m)])} />
            <Select id="consent-action" name="action" label="Decision" value={query.action} options={[["grant", "granted"], ["withdraw", "withdrew"]]} />
            <Labelled id="consent-from" label={`From (${timeZone})`}>
              <input id="consent-from" type="date" name="from" defaultValue={query.from} className={inputClass} />
            </Labelled>
            <Labelled id="consent-to" label={`To, inclusive (${timeZone})`}>
              <input id="consent-to" type="date" name="to" defaultValue={query.to} className={inputClass} />
            </Labelled>
            <div className="flex items-end gap-2">
              <Button type="submit" variant="secondary">
                Apply filters
              </Button>
              {filtered && (
                <Link href="/consent" className="px-2 py-2 text-sm text-slate-600 underline">
                  Clear
                </Link>
              )}
            </div>
          </form>

          {months.length > 0 && (
            <Card className="mb-6">
              <CardTitle className="mb-3">Grants and withdrawals per month</CardTitle>
              <ConsentChart data={months} />
            </Card>
          )}

          <p className="mb-2 text-sm text-slate-600" aria-live="polite">
            {filtered ? `${formatCount(log.total)} of ${formatCount(log.ledgerEvents)} events match the filters.` : `${formatCount(log.total)} events, newest first.`}
          </p>
          {log.rows.length === 0 ? (
            <EmptyState title="No events match">Widen the dates or clear a filter.</EmptyState>
          ) : (
            <div className="space-y-4">
              <ConsentLogTable rows={log.rows} timeZone={timeZone} />
              <Pagination page={query.page} pages={log.pages} href={href} />
            </div>
          )}
        </>
      )}
    </>
  );
}

const inputClass = "block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm";

function Labelled({ id, label, children }: { id: string; label: string; children: React.ReactNode }) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {children}
    </div>
  );
}

function Select({ id, name, label, value, options }: { id: string; name: string; label: string; value: string | undefined; options: (readonly [string, string])[] }) {
  return (
    <Labelled id={id} label={label}>
      <select id={id} name={name} defaultValue={value ?? ""} className={inputClass}>
        <option value="">All</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </Labelled>
  );
}
