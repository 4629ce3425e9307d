// The dashboard's figures for one shop (`regulars metrics --json` and the Overview page): customer
// value, acquisition cost, retention and consent, NPS, opt-outs and revenue from campaigns against
// their holdouts, for a range of months in the shop's time zone and optionally one acquisition
// channel (which narrows the figures about acquired customers: value, cost, retention). Each
// statement is one pass over its table: the sales (twice: per customer, and per customer and
// month), spend, the consent ledger, survey answers, sends and campaign decisions.
import { sql } from "drizzle-orm";
import { queryRows } from "../db/client";
import type { ShopTx } from "../db/tenant";
import { getShop } from "../shops/get-shop";
import { listAcquisitionGroups } from "./list-acquisition-groups";
import { listConsentRate, type ConsentRateMonth } from "./list-consent-rate";
import { listRevenueByMonth, type MonthRevenue } from "./list-revenue-by-month";
import { listRetentionCohorts, type RetentionCohort } from "./list-retention-cohorts";
import { listSpend } from "./list-spend";
import { monthIn, rangeInstants, resolveRange, type MetricsRange } from "./metrics-range";
import { summarizeNps, type NpsSummary } from "./nps-summary";
import { listOptOutRates, type OptOutRates } from "./opt-out-rates";
import { summarizeCampaignRevenue, type CampaignRevenue } from "./summarize-campaign-revenue";
import type { Figure } from "./metric-result";
import { summarizeAcquisitionCost, type AcquisitionCost } from "./summarize-acquisition-cost";
import { summarizeCustomerValue, type CustomerValue } from "./summarize-customer-value";
import { summarizeRetention, type Retention } from "./summarize-retention";

export interface ShopMetricsOptions extends MetricsRange {
  now?: Date;
}

export interface ShopMetrics {
  shop: { id: string; currency: string; timeZone: string; marginBp: number };
  range: { from: string; to: string; channel: string | null; months: string[] };
  /** This month and the month of the shop's first order (null: none yet), in the shop's time zone. */
  currentMonth: string;
  firstOrderMonth: string | null;
  /** When the figures were computed, and the segment refresh predictions and stages come from. */
  computedAt: string;
  lastRefreshAt: string | null;
  /** Acquisition channels (first orders' channels) and spend channels seen, for a channel filter. */
  channels: string[];
  customerValue: CustomerValue;
  acquisition: AcquisitionCost;
  retention: Retention & { cohorts: RetentionCohort[] };
  consentRate: ConsentRateMonth[];
  nps: NpsSummary;
  optOuts: OptOutRates;
  campaignRevenue: Figure<CampaignRevenue>;
  /** Revenue per month for the chart: the range's months (at least 3, at most 36) up to its last. */
  revenueByMonth: MonthRevenue[];
}

export async function getShopMetrics(tx: ShopTx, options: ShopMetricsOptions = {}): Promise<ShopMetrics> {
  const now = options.now ?? new Date();
  const shop = await getShop(tx);
  const timeZone = shop.timeZone;
  const currentMonth = monthIn(now, timeZone);
  const [facts] = await queryRows<{ first_at: string | null; refreshed_at: string | null; model_message: string | null; channels: string[] | null }>(
    tx,
    sql`select (select min(placed_at) from sales)::text as first_at,
               r.finished_at::text as refreshed_at, r.summary -> 'model' ->> 'message' as model_message,
               (select array_agg(distinct channel order by channel) from (select channel from spend union select channel from sales) ch) as channels
          from (select 1) one
          left join lateral (select finished_at, summary from segment_refreshes where status = 'done' order by finished_at desc limit 1) r on true`,
  );
  const firstMonth = facts?.first_at ? monthIn(new Date(facts.first_at), timeZone) : null;
  const range = resolveRange({ from: options.from, to: options.to, channel: options.channel }, { currentMonth, firstMonth });
  const scope = { timeZone, now, from: range.from, to: range.to, channel: range.channel };

  const groups = await listAcquisitionGroups(tx, scope);
  const spend = await listSpend(tx, range);
  const cohorts = await listRetentionCohorts(tx, { ...scope, currentMonth });
  const consentRate = await listConsentRate(tx, { timeZone, now, months: range.months, currentMonth });
  const refreshed = Boolean(facts?.refreshed_at);
  const { start, end } = rangeInstants(range, timeZone);
  const nps = await summarizeNps(tx, { from: start, to: end < now ? end : now, timeZone, comments: 10 });
  const optOuts = await listOptOutRates(tx, { from: range.from, to: range.to });
  const campaignRevenue = await summarizeCampaignRevenue(tx, { start, end, now });
  const revenueByMonth = await listRevenueByMonth(tx, { months: Math.min(Math.max(range.months.length, 3), 36), to: range.to, timeZone, now });

  return {
    shop: { id: shop.id, currency: shop.currency, timeZone, marginBp: shop.marginBp },
    range,
    currentMonth,
    firstOrderMonth: firstMonth,
    computedAt: now.toISOString(),
    lastRefreshAt: facts?.refreshed_at ? new Date(facts.refreshed_at).toISOString() : null,
    channels: facts?.channels ?? [],
    customerValue: summarizeCustomerValue(groups, { marginBp: shop.marginBp, model: { refreshed, message: facts?.model_message ?? null } }),
    acquisition: summarizeAcquisitionCost(groups, spend, { marginBp: shop.marginBp, months: range.months }),
    retention: { ...summarizeRetention(groups, { refreshed }), cohorts },
    consentRate,
    nps,
    optOuts,
    campaignRevenue,
    revenueByMonth,
  };
}
