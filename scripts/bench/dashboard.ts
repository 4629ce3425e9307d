// `regulars bench dashboard`: how long the production server (`next start`) takes to answer the
// Overview for a shop of 100,000 customers and 1,000,000 orders on Postgres, signed in as its
// owner, over 50 requests with a warm server (p50 and p95 of the whole answer, streamed parts
// included), against the System status page (one trivial query behind the same sign-in, layout and
// framework) requested alternately in the same run. The shop has what the Overview reads: spend,
// consent events, survey answers, a campaign with a holdout that was sent, opt-outs, and a segment
// refresh's scores. Then, in this process, each statement group of the Overview timed on its own,
// to say which dominate. The warm requests are served from the figures' kept snapshot (computed on
// the first, lib/metrics/metrics-snapshots.ts); `cold_ms` is that first, computing answer.
import os from "node:os";
import { sql } from "drizzle-orm";
import { approveCampaign, createCampaign } from "../../lib/campaigns/campaign-lifecycle";
import { targetAudience } from "../../lib/campaigns/target-audience";
import { getLedgerStatus } from "../../lib/consent/ledger-checks";
import { recordConsentEvents } from "../../lib/consent/record-consent-events";
import type { ConsentEventInput } from "../../lib/consent/schemas";
import { listConsentEvents } from "../../lib/consent/list-consent-events";
import { queryRows, type Database } from "../../lib/db/client";
import { withShop, type ShopTx } from "../../lib/db/tenant";
import { getShopMetrics } from "../../lib/metrics/get-shop-metrics";
import { listAcquisitionGroups } from "../../lib/metrics/list-acquisition-groups";
import { listConsentRate } from "../../lib/metrics/list-consent-rate";
import { listRetentionCohorts } from "../../lib/metrics/list-retention-cohorts";
import { listRevenueByMonth } from "../../lib/metrics/list-revenue-by-month";
import { monthIn, rangeInstants, resolveRange } from "../../lib/metrics/metrics-range";
import { summarizeNps } from "../../lib/metrics/nps-summary";
import { listOptOutRates } from "../../lib/metrics/opt-out-rates";
import { summarizeCampaignRevenue } from "../../lib/metrics/summarize-campaign-revenue";
import { refreshSegments } from "../../lib/segments/refresh-segments";
import { createShop } from "../../lib/shops/create-shop";
import { withBenchDatabase } from "./bench-database";
import { signInCookie, startNextServer } from "./next-server";
import { generateShopData } from "./segments";

const OWNER = { email: "bench-dashboard@example.com", password: "bench dashboard password" };

export interface DashboardBenchResult {
  name: "dashboard";
  customers: number;
  orders: number;
  requests: number;
  /** p95 of the Overview's answer, ms. */
  project_ms: number;
  /** p95 of the System status page's answer, ms. */
  baseline_ms: number;
  /** project_ms ÷ baseline_ms: how many times longer the Overview takes than a page with one trivial query. */
  ratio: number;
  overview_ms: { p50: number; p95: number; max: number };
  /** The first Overview after the data was loaded: its figures computed while the owner waits (no kept snapshot yet). */
  cold_ms: number;
  status_ms: { p50: number; p95: number; max: number };
  target_p95_ms: 500;
  meets_target: boolean;
  /** The Overview's statement groups, each run once in this process after the load (ms), slowest first. */
  queries_ms: Record<string, number>;
  load_average: [number, number];
  cores: number;
  database: "postgres";
  baseline: string;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
};
const summary = (values: number[]) => ({ p50: Math.round(percentile(values, 0.5)), p95: Math.round(percentile(values, 0.95)), max: Math.round(Math.max(...values)) });

/** What the Overview reads besides orders: spend, consent, answers, a sent campaign with a holdout, opt-outs. */
async function seedMarketing(bench: { database: Database; raw: import("postgres").Sql }, shopId: string, userId: string, log: (s: string) => void) {
  const { raw, database } = bench;
  log("Spend, consent events and survey answers…");
  await raw.begin(async (q) => {
    await q`select setseed(0.17)`;
    await q`insert into spend (shop_id, channel, month, amount_minor)
            select ${shopId}::uuid, ch, (date_trunc('month', now()) - make_interval(months => m))::date, (20000 + random() * 80000)::bigint
              from generate_series(0, 23) m cross join unnest(array['web', 'search', 'print']) ch`;
    await q`insert into survey_responses (shop_id, customer_id, score, comment, responded_at)
            select ${shopId}::uuid, id, least(10, floor(random() * 11.5))::int, case when random() < 0.2 then 'Bench comment' end, now() - random() * interval '700 days'
              from customers where shop_id = ${shopId}::uuid and random() < 0.05`;
    await q`analyze`;
  });

  // Four in ten customers granted email marketing at checkout at some point in the last two years;
  // one in twenty of them withdrew a month later. Written through the ledger's own writer (the
  // database refuses events that do not continue the hash chain), in order, a batch at a time.
  const grants = await raw<{ customer_id: string; at: Date; withdrew: boolean }[]>`
    select id as customer_id, now() - (abs(hashtext(id::text)) % 700) * interval '1 day' as at, abs(hashtext(id::text || 'w')) % 20 = 0 as withdrew
      from customers where shop_id = ${shopId}::uuid and abs(hashtext(id::text || 'g')) % 10 < 4`;
  const events: ConsentEventInput[] = grants.flatMap((g): ConsentEventInput[] => [
    { customerId: g.customer_id, channel: "email" as const, purpose: "marketing" as const, action: "grant" as const, method: "checkout" as const, actorType: "customer" as const, evidence: { form: "checkout" }, occurredAt: g.at },
    ...(g.withdrew && g.at.getTime() + 30 * 86_400_000 < Date.now()
      ? [{ customerId: g.customer_id, channel: "email" as const, purpose: "marketing" as const, action: "withdraw" as const, method: "preference_page" as const, actorType: "customer" as const, evidence: {}, occurredAt: new Date(g.at.getTime() + 30 * 86_400_000) }]
      : []),
  ]).sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  for (let i = 0; i < events.length; i += 5_000) {
    await withShop(shopId, (tx) => recordConsentEvents(tx, events.slice(i, i + 5_000)), database);
  }
  log(`${events.length} consent events recorded.`);

  log("Segment refresh (scores and predicted value)…");
  await refreshSegments(shopId, { database, trigger: "cli" });

  log("A campaign with a 10 % holdout to the largest segment, targeted 40 days ago and sent…");
  const [segment] = await raw<{ id: string }[]>`select segment_id as id from segment_members where shop_id = ${shopId}::uuid group by segment_id order by count(*) desc limit 1`;
  const decidedAt = new Date(Date.now() - 40 * 86_400_000);
  const actor = { userId, role: "owner" as const };
  await withShop(shopId, async (tx) => {
    const { id } = await createCampaign(tx, actor, { name: "Bench spring offer", channel: "email", purpose: "marketing", segmentId: segment!.id, holdoutPct: 10, costMinor: 50_000, variants: [{ subject: "Spring", body: "Hello {{first_name | there}}" }] });
    await approveCampaign(tx, actor, id, { now: decidedAt });
    await targetAudience(tx, id, { trigger: "bench", now: decidedAt });
  }, database);
  await raw`update sends set status = 'sent', sent_at = send_after + interval '5 minutes', attempts = 1 where shop_id = ${shopId}::uuid and status = 'queued'`;
  // One in two hundred recipients used the message's one-click unsubscribe, a day after it.
  const unsubscribed = await raw<{ id: string; customer_id: string; sent_at: Date }[]>`
    select id, customer_id, sent_at from sends where shop_id = ${shopId}::uuid and status = 'sent' and abs(hashtext(id::text)) % 200 = 0 order by sent_at`;
  await withShop(shopId, (tx) => recordConsentEvents(tx, unsubscribed.map((u) => ({
    customerId: u.customer_id, channel: "email" as const, purpose: "marketing" as const, action: "withdraw" as const, method: "one_click_unsubscribe" as const,
    actorType: "customer" as const, evidence: { sendId: u.id }, occurredAt: new Date(u.sent_at.getTime() + 86_400_000),
  }))), database);
  await raw`analyze`;
}

/** The Overview's statement groups, each timed once (the page runs them in this order). */
async function timeQueries(shopId: string, database: Database): Promise<Record<string, number>> {
  const times: Record<string, number> = {};
  const time = async (name: string, run: (tx: ShopTx) => Promise<unknown>) => {
    const started = performance.now();
    await withShop(shopId, run, database);
    times[name] = Math.round(performance.now() - started);
  };
  const [shop] = await withShop(shopId, (tx) => queryRows<{ time_zone: string }>(tx, sql`select time_zone from shops`), database);
  const timeZone = shop!.time_zone;
  const now = new Date();
  const currentMonth = monthIn(now, timeZone);
  const [first] = await withShop(shopId, (tx) => queryRows<{ at: string }>(tx, sql`select min(placed_at)::text as at from sales`), database);
  const range = resolveRange({}, { currentMonth, firstMonth: first?.at ? monthIn(new Date(first.at), timeZone) : null });
  const scope = { timeZone, now, from: range.from, to: range.to, channel: null };
  const { start, end } = rangeInstants(range, timeZone);
  await time("whole getShopMetrics", (tx) => getShopMetrics(tx, { now }));
  await time("acquisition groups (sales per customer, scores, consent state)", (tx) => listAcquisitionGroups(tx, scope));
  await time("retention cohorts (sales per customer and month)", (tx) => listRetentionCohorts(tx, { ...scope, currentMonth }));
  await time("consent rate over time (ledger)", (tx) => listConsentRate(tx, { timeZone, now, months: range.months, currentMonth }));
  await time("NPS (survey answers)", (tx) => summarizeNps(tx, { from: start, to: now, timeZone, comments: 10 }));
  await time("opt-out rates (sends, one-click withdrawals)", (tx) => listOptOutRates(tx, range));
  await time("revenue from campaigns (decisions, sends, sales in window)", (tx) => summarizeCampaignRevenue(tx, { start, end, now }));
  await time("revenue per month (sales)", (tx) => listRevenueByMonth(tx, { months: range.months.length, timeZone, now }));
  await time("latest consent events and chain status", async (tx) => {
    await listConsentEvents(tx, { pageSize: 10 }, { timeZone });
    await getLedgerStatus(tx);
  });
  return Object.fromEntries(Object.entries(times).sort((a, b) => b[1] - a[1]));
}

export async function benchDashboard(options: { root: string; url: string; customers: number; orders: number; requests: number; log: (s: string) => void }): Promise<DashboardBenchResult> {
  const { log } = options;
  return withBenchDatabase(options.url, "dashboard", async (bench) => {
    const { shopId, userId } = await createShop({ name: "Bench dashboard", ownerEmail: OWNER.email, ownerPassword: OWNER.password }, { database: bench.database });
    log(`Generating ${options.customers} customers and ${options.orders} orders…`);
    await generateShopData(bench.raw, shopId, options);
    await seedMarketing(bench, shopId, userId, log);

    log("Starting the production server…");
    const server = await startNextServer({ root: options.root, env: { DATABASE_URL: bench.url } });
    const load: [number, number] = [os.loadavg()[0]!, 0];
    try {
      const cookie = await signInCookie(server.url, OWNER.email, OWNER.password);
      const get = async (path: string) => {
        const started = performance.now();
        const response = await fetch(`${server.url}${path}`, { headers: { cookie }, redirect: "manual" });
        const body = await response.text();
        const ms = performance.now() - started;
        if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${body.slice(0, 300)}`);
        return { ms, body };
      };
      const first = await get("/");
      if (!first.body.includes("Predicted CLTV")) throw new Error("The Overview did not show its figures; is the build current?");
      for (let i = 0; i < 5; i++) {
        await get("/");
        await get("/status");
      }
      log(`${options.requests} requests each, alternating…`);
      const overview: number[] = [];
      const status: number[] = [];
      for (let i = 0; i < options.requests; i++) {
        overview.push((await get("/")).ms);
        status.push((await get("/status")).ms);
      }
      load[1] = os.loadavg()[0]!;
      log("Each statement group of the Overview on its own…");
      const queries = await timeQueries(shopId, bench.database);
      const o = summary(overview);
      const s = summary(status);
      return {
        name: "dashboard",
        customers: options.customers,
        orders: options.orders,
        requests: options.requests,
        project_ms: o.p95,
        baseline_ms: s.p95,
        ratio: Number((o.p95 / s.p95).toFixed(2)),
        overview_ms: o,
        cold_ms: Math.round(first.ms),
        status_ms: s,
        target_p95_ms: 500,
        meets_target: o.p95 <= 500,
        queries_ms: queries,
        load_average: [Number(load[0].toFixed(2)), Number(load[1].toFixed(2))],
        cores: os.cpus().length,
        database: "postgres",
        baseline: "GET /status (System status: the same sign-in, layout and framework, one trivial query), alternating with GET / in the same run",
      };
    } finally {
      await server.stop();
    }
  });
}
