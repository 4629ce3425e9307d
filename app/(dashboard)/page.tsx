import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { loadShop } from "@/app/_server/loaders";
import { loadOverviewMetrics, type OverviewQuery } from "@/app/_server/overview";
import { requireShop } from "@/app/_server/require-shop";
import { IntervalLineChart } from "@/components/charts/interval-line-chart";
import { RevenueChart } from "@/components/charts/revenue-chart";
import { formatCount, formatDateTime, formatMoney } from "@/components/format";
import { CohortHeatmap } from "@/components/overview/cohort-heatmap";
import { MetricCard } from "@/components/overview/metric-card";
import { RangeFilter } from "@/components/overview/range-filter";
import { Card, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Explain } from "@/components/ui/explain";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { getLedgerStatus } from "@/lib/consent/ledger-checks";
import { listConsentEvents } from "@/lib/consent/list-consent-events";
import { withShop } from "@/lib/db/tenant";
import type { ShopMetrics } from "@/lib/metrics/get-shop-metrics";
import { addMonths } from "@/lib/metrics/metrics-range";
import { overviewCards, percent } from "@/lib/metrics/overview-cards";
import { wilsonInterval } from "@/lib/metrics/stats/wilson-interval";

export const metadata: Metadata = { title: "Overview" };

type Params = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);

const monthLabel = (m: string) => new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${m}-01T00:00:00Z`));

export default async function OverviewPage({ searchParams }: { searchParams: Params }) {
  const { shopId } = await requireShop();
  const params = await searchParams;
  const query: OverviewQuery = { from: one(params.from), to: one(params.to), channel: one(params.channel) };
  const { snapshot, problem } = await loadOverviewMetrics(shopId, query.from, query.to, query.channel);
  const { metrics } = snapshot;
  const { range } = metrics;
  const current = metrics.currentMonth;
  const presets = [
    { label: "Last 3 months", from: addMonths(current, -2), to: current },
    { label: "Last 12 months", from: addMonths(current, -11), to: current },
    ...(metrics.firstOrderMonth ? [{ label: "Since the first order", from: metrics.firstOrderMonth, to: current }] : []),
  ];
  const cards = overviewCards(metrics);
  return (
    <>
      <PageHeader
        title="Overview"
        description={`Is it worth it, and is it decent? ${monthLabel(range.from)} to ${monthLabel(range.to)}${range.channel ? `, customers first acquired through ${range.channel}` : ""}; months in ${metrics.shop.timeZone}.`}
      />
      <div className="mb-6 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
        <RangeFilter from={range.from} to={range.to} channel={range.channel ?? ""} channels={metrics.channels} presets={presets} />
        <p className="mt-3 text-xs text-slate-500" data-testid="figures-as-of">
          Figures as of {formatDateTime(snapshot.computedAt, metrics.shop.timeZone)}
          {snapshot.stale ? "; being brought up to date — reload in a moment for the latest" : ""}. Recomputed after each import and segment refresh, and
          on the next visit once they are a minute old.
        </p>
        {problem && (
          <p role="alert" className="mt-3 text-sm text-red-700">
            {problem} Showing the default range instead.
          </p>
        )}
      </div>

      <section aria-label="Key figures" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {cards.map((c) => (
          <MetricCard
            key={c.key}
            label={c.label}
            value={c.value}
            n={c.n}
            interval={c.interval}
            note={c.note}
            trend={c.trend}
            explain={c.explain}
            empty={c.empty ? { text: c.empty.text, href: c.empty.href, action: c.empty.action } : undefined}
          />
        ))}
      </section>

      <div className="mt-6 grid gap-6 xl:grid-cols-3">
        <div className="space-y-6 xl:col-span-2">
          <RevenueOverTime metrics={metrics} />
          <RetentionCard metrics={metrics} />
          <div className="grid gap-6 lg:grid-cols-2">
            <NpsCard metrics={metrics} />
            <OptOutCard metrics={metrics} />
          </div>
          <AcquisitionCard metrics={metrics} />
        </div>
        <aside aria-label="Consent log" className="space-y-6">
          <Suspense fallback={<Skeleton className="h-96" />}>
            <ConsentSide shopId={shopId} />
          </Suspense>
          <ConsentRateCard metrics={metrics} />
        </aside>
      </div>
    </>
  );
}

function RevenueOverTime({ metrics }: { metrics: ShopMetrics }) {
  const rows = metrics.revenueByMonth;
  const span = rows.length;
  const shop = metrics.shop;
  const orders = rows.reduce((n, m) => n + m.orders, 0);
  if (orders === 0) {
    return <EmptyState title="No orders in these months">Import your orders (Imports) and revenue over time appears here.</EmptyState>;
  }
  return (
    <Card>
      <div className="mb-4 flex flex-wrap items-baseline justify-between gap-2">
        <CardTitle>Revenue per month</CardTitle>
        <p className="text-xs text-slate-500">
          n = {formatCount(orders)} orders over {span} months, {shop.timeZone}; net of refunds, without cancelled orders
        </p>
      </div>
      <RevenueChart
        currency={shop.currency}
        data={rows.map((m) => ({
          month: m.month,
          revenue: m.revenueMinor / 100,
          orders: m.orders,
          partial: m.partial ? { daysCovered: m.daysCovered, daysInMonth: m.daysInMonth } : undefined,
        }))}
      />
    </Card>
  );
}

function RetentionCard({ metrics }: { metrics: ShopMetrics }) {
  const cohorts = metrics.retention.cohorts.slice(-12);
  const width = Math.min(12, Math.max(0, ...cohorts.map((c) => c.cells.length)));
  const churn = metrics.retention.churnByLifecycle;
  const optIn = metrics.retention.optInComparison;
  return (
    <Card>
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <CardTitle>Retention by month of first order</CardTitle>
        <Explain>
          Each row is the customers whose first order fell in that month (in your time zone); each cell the share of them who ordered in the month that
          many months later. M0 is everyone. The current month is still under way. The last 12 cohorts of the range are shown.
        </Explain>
      </div>
      {cohorts.length === 0 ? (
        <p className="text-sm text-slate-600">No new customers in these months: import orders, or widen the range.</p>
      ) : (
        <CohortHeatmap
          months={width}
          rows={cohorts.map((c) => ({ cohort: c.cohort, size: c.customers, shares: Array.from({ length: width }, (_, i) => c.cells[i]?.share ?? null) }))}
        />
      )}
      <div className="mt-4 grid gap-4 border-t border-slate-100 pt-4 text-sm sm:grid-cols-2">
        <div>
          <h3 className="font-medium text-slate-800">Customers by lifecycle stage</h3>
          {churn.status === "no_data" ? (
            <p className="mt-1 text-slate-600">{churn.hint}</p>
          ) : (
            <>
              <ul className="mt-2 space-y-1">
                {churn.stages.map((s) => (
                  <li key={s.stage} className="flex items-center gap-2">
                    <span className="w-24 shrink-0 text-slate-600">{s.name}</span>
                    <span className="h-2 rounded bg-brand-500" style={{ width: `${Math.max(2, s.share * 100)}%` }} aria-hidden="true" />
                    <span className="tabular-nums text-slate-700">{percent(s.share)}</span>
                  </li>
                ))}
              </ul>
              <p className="mt-2 text-xs text-slate-500">
                n = {formatCount(churn.n)} customers; churned {percent(churn.churned.rate)} (95 % interval {percent(churn.churned.interval.low)} to{" "}
                {percent(churn.churned.interval.high)})
              </p>
            </>
          )}
        </div>
        <div>
          <h3 className="font-medium text-slate-800">Opted in against not opted in</h3>
          {optIn.status === "no_data" ? (
            <p className="mt-1 text-slate-600">{optIn.hint}</p>
          ) : (
            <>
              <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
                {([["Opted in", optIn.optedIn], ["Not opted in", optIn.notOptedIn]] as const).map(([label, side]) => (
                  <div key={label} className="contents">
                    <dt className="text-slate-600">{label}</dt>
                    <dd className="tabular-nums text-slate-800">
                      {side.repeat.status === "ok" ? `${percent(side.repeat.rate)} came back` : "—"}, {formatMoney(side.revenuePerCustomerMinor, metrics.shop.currency)} each
                      <span className="text-xs text-slate-500"> (n = {formatCount(side.n)})</span>
                    </dd>
                  </div>
                ))}
              </dl>
              <p className="mt-2 text-xs text-amber-800">Not causal: {optIn.explanation}</p>
            </>
          )}
        </div>
      </div>
    </Card>
  );
}

function NpsCard({ metrics }: { metrics: ShopMetrics }) {
  const nps = metrics.nps;
  const data = nps.byMonth.map((m) => ({
    month: m.month,
    value: m.score.enough ? Math.round(m.score.nps) : null,
    lo: m.score.enough ? Math.round(m.score.ci95[0]) : null,
    hi: m.score.enough ? Math.round(m.score.ci95[1]) : null,
    n: m.n,
  }));
  return (
    <Card>
      <CardTitle className="mb-3">NPS over time</CardTitle>
      {nps.overall.n === 0 ? (
        <p className="text-sm text-slate-600">No survey answers in these months. Switch on the post-purchase survey under Settings → Automations.</p>
      ) : (
        <>
          <IntervalLineChart data={data} name="NPS" caption={`NPS per month with its 95 % interval; n = ${formatCount(nps.overall.n)} answers`} domain={[-100, 100]} />
          {nps.bySegment.length > 0 && (
            <details className="mt-3 text-sm">
              <summary className="cursor-pointer text-brand-700">By segment ({nps.bySegment.length})</summary>
              <ul className="mt-2 space-y-1">
                {nps.bySegment.slice(0, 8).map((g) => (
                  <li key={g.segmentId} className="flex justify-between gap-2">
                    <span className="text-slate-700">{g.name}</span>
                    <span className="tabular-nums text-slate-600">
                      {g.score.enough ? `${Math.round(g.score.nps)} (${Math.round(g.score.ci95[0])} to ${Math.round(g.score.ci95[1])})` : "—"} · n = {formatCount(g.n)}
                      {g.rough ? ", rough" : ""}
                    </span>
                  </li>
                ))}
              </ul>
              <p className="mt-1 text-xs text-slate-500">Segments as they are now, not when the customer answered.</p>
            </details>
          )}
          {nps.comments.length > 0 && (
            <details className="mt-3 text-sm">
              <summary className="cursor-pointer text-brand-700">Latest comments ({nps.comments.length})</summary>
              <ul className="mt-2 space-y-2">
                {nps.comments.map((c, i) => (
                  <li key={i} className="border-l-2 border-slate-200 pl-2">
                    <span className="font-medium tabular-nums">{c.score}</span> — {c.comment}
                    <span className="block text-xs text-slate-500">{c.customerName ?? "a customer"}, {formatDateTime(c.respondedAt, metrics.shop.timeZone)}</span>
                  </li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
    </Card>
  );
}

function OptOutCard({ metrics }: { metrics: ShopMetrics }) {
  const o = metrics.optOuts;
  const data = o.byMonth.map((m) => ({
    month: m.month,
    value: m.rate.enough ? m.rate.rate * 100 : null,
    lo: m.rate.enough ? m.rate.ci95[0] * 100 : null,
    hi: m.rate.enough ? m.rate.ci95[1] * 100 : null,
    n: m.delivered,
  }));
  return (
    <Card>
      <CardTitle className="mb-3">Opt-outs over time</CardTitle>
      {o.total.delivered === 0 ? (
        <p className="text-sm text-slate-600">No messages delivered in these months.</p>
      ) : (
        <>
          <IntervalLineChart
            data={data}
            name="Opt-out rate"
            unit=" %"
            caption={`Opt-out rate per month of sending with its 95 % interval; n = ${formatCount(o.total.delivered)} delivered. ${o.guardrail.sentence}`}
            threshold={{ value: o.guardrail.rate * 100, label: "guardrail" }}
          />
          <ul className="mt-2 text-xs text-slate-600">
            {o.byChannel.map((c) => (
              <li key={c.channel}>
                {c.channel}: {c.rate.enough ? `${percent(c.rate.rate)} (95 % interval ${percent(c.rate.ci95[0])} to ${percent(c.rate.ci95[1])})` : "—"}, n = {formatCount(c.delivered)} delivered
              </li>
            ))}
          </ul>
          <p className="mt-2 text-xs text-slate-500">
            Privacy complaints: {formatCount(o.complaints.total)}.{" "}
            <Link href="/campaigns" className="text-brand-700 underline">
              Per campaign
            </Link>
          </p>
        </>
      )}
    </Card>
  );
}

function AcquisitionCard({ metrics }: { metrics: ShopMetrics }) {
  const currency = metrics.shop.currency;
  const rows = metrics.acquisition.byChannel;
  const value = new Map(metrics.customerValue.byChannel.map((g) => [g.key, g]));
  return (
    <Card>
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <CardTitle>Value and cost by acquisition channel</CardTitle>
        <Explain>
          A customer&apos;s channel is the one of their first order; spend is matched to it by name. CAC is spend ÷ new customers; CLTV:CAC compares the
          margin those customers brought in so far with it. {metrics.acquisition.rule}
        </Explain>
      </div>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600">No orders or spend in these months.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="min-w-full text-sm">
            <caption className="sr-only">Customer value, acquisition cost and CLTV:CAC per channel</caption>
            <thead className="text-left text-xs text-slate-500">
              <tr>
                <th scope="col" className="py-1 pr-3 font-medium">Channel</th>
                <th scope="col" className="py-1 pr-3 text-right font-medium">New customers</th>
                <th scope="col" className="py-1 pr-3 text-right font-medium">Predicted CLTV</th>
                <th scope="col" className="py-1 pr-3 text-right font-medium">Spend</th>
                <th scope="col" className="py-1 pr-3 text-right font-medium">CAC</th>
                <th scope="col" className="py-1 text-right font-medium">CLTV:CAC</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((r) => {
                const predicted = value.get(r.channel)?.predicted;
                return (
                  <tr key={r.channel}>
                    <th scope="row" className="py-1.5 pr-3 text-left font-medium text-slate-800">{r.channel}</th>
                    <td className="py-1.5 pr-3 text-right tabular-nums">{formatCount(r.newCustomers)}</td>
                    <td className="py-1.5 pr-3 text-right tabular-nums">{predicted?.status === "ok" ? formatMoney(predicted.cltvMinor, currency) : "—"}</td>
                    <td className="py-1.5 pr-3 text-right tabular-nums">{r.spendMinor > 0 ? formatMoney(r.spendMinor, currency) : "—"}</td>
                    <td className="py-1.5 pr-3 text-right tabular-nums">{r.cac.status === "ok" ? formatMoney(r.cac.cacMinor, currency) : "—"}</td>
                    <td className="py-1.5 text-right tabular-nums">
                      {r.cltvToCac.status === "ok" ? `${r.cltvToCac.ratio.toFixed(1)} (${r.cltvToCac.verdict.replace("_", " ")})` : "—"}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

function ConsentRateCard({ metrics }: { metrics: ShopMetrics }) {
  const months = metrics.consentRate.filter((m) => m.customers > 0);
  const data = months.map((m) => {
    const w = wilsonInterval(m.channels.email.granted, m.customers);
    return { month: m.month, value: w.enough ? w.rate * 100 : null, lo: w.enough ? w.ci95[0] * 100 : null, hi: w.enough ? w.ci95[1] * 100 : null, n: m.customers };
  });
  return (
    <Card>
      <CardTitle className="mb-3">Consent rate over time</CardTitle>
      {data.length === 0 ? (
        <p className="text-sm text-slate-600">No customers yet.</p>
      ) : (
        <IntervalLineChart data={data} name="Email marketing" unit=" %" domain={[0, 100]} caption="Share of customers with an email marketing grant at each month's end, with its 95 % interval" />
      )}
    </Card>
  );
}

const METHOD_WORDS: Record<string, string> = {
  checkout: "at checkout",
  preference_page: "on their preference page",
  one_click_unsubscribe: "by one-click unsubscribe",
  import: "by import",
  api: "through the API",
  owner_on_behalf: "by the owner on their behalf",
  gpc: "by Global Privacy Control",
};

async function ConsentSide({ shopId }: { shopId: string }) {
  const shop = await loadShop(shopId);
  const { log, ledger } = await withShop(shopId, async (tx) => ({
    log: await listConsentEvents(tx, { pageSize: 10 }, { timeZone: shop.timeZone }),
    ledger: await getLedgerStatus(tx),
  }));
  const check = ledger.lastCheck;
  return (
    <>
      <Card>
        <div className="flex items-baseline justify-between gap-2">
          <CardTitle>Consent log chain</CardTitle>
          <Explain>
            Every grant and withdrawal is written once, never edited, and carries a hash of the one before it. Checking the chain recomputes every hash: an
            edited or deleted event breaks it from that point on.
          </Explain>
        </div>
        {ledger.headSeq === 0 ? (
          <p className="mt-2 text-sm text-slate-600">No consent recorded yet.</p>
        ) : check === null ? (
          <p className="mt-2 text-sm text-amber-800">{formatCount(ledger.headSeq)} events, never checked. Check it on the consent log page.</p>
        ) : (
          <p className={`mt-2 text-sm ${check.ok ? "text-brand-700" : "text-red-700"}`} data-testid="ledger-status">
            {check.ok ? "Intact" : "Broken"}: {formatCount(check.events)} events checked {formatDateTime(check.checkedAt, shop.timeZone)}
            {ledger.eventsSinceCheck > 0 ? `; ${formatCount(ledger.eventsSinceCheck)} newer events not yet checked` : ""}.
          </p>
        )}
      </Card>
      <Card>
        <div className="mb-2 flex items-baseline justify-between gap-2">
          <CardTitle>Latest consent events</CardTitle>
          <Link href="/consent" className="text-sm text-brand-700 hover:underline">
            All consent events
          </Link>
        </div>
        {log.rows.length === 0 ? (
          <p className="text-sm text-slate-600">None yet. Consent arrives at checkout, on preference pages, by unsubscribe or by import.</p>
        ) : (
          <ol className="divide-y divide-slate-100 text-sm">
            {log.rows.map((e) => (
              <li key={e.id} className="py-2">
                <span className={e.action === "grant" ? "font-medium text-brand-700" : "font-medium text-red-700"}>{e.action === "grant" ? "Granted" : "Withdrew"}</span>{" "}
                {e.channel} {e.purpose}
                <span className="text-slate-600"> {METHOD_WORDS[e.method] ?? e.method}</span>
                <span className="block text-xs text-slate-500">
                  {e.customerErased ? "erased customer" : (e.customerName ?? e.customerEmail ?? "a customer")} · {formatDateTime(e.occurredAt, shop.timeZone)} · #{e.seq}
                </span>
              </li>
            ))}
          </ol>
        )}
      </Card>
    </>
  );
}
