// One pass over the shop's sales for the customer figures: every customer with a sale, grouped by
// acquisition cohort (the month of their first order, in the shop's time zone), acquisition channel
// (the channel of that first order), consent (a current marketing grant on any channel now, or
// erased) and lifecycle stage at the last segment refresh. Value, CAC, repeat and churn figures all
// add these groups up in code, so each of them costs no further scan of the orders.
import { sql } from "drizzle-orm";
import { queryRows } from "../db/client";
import type { ShopTx } from "../db/tenant";

/** Average days in a month of the Gregorian calendar, for tenure in months. */
export const DAYS_PER_MONTH = 365.2425 / 12;

export interface AcquisitionGroup {
  cohort: string; // YYYY-MM
  channel: string;
  consent: "opted_in" | "not_opted_in" | "erased";
  /** Lifecycle stage from the last segment refresh; null for a customer it has not scored. */
  lifecycle: string | null;
  customers: number;
  /** Customers with two or more sales. */
  repeaters: number;
  revenueMinor: number;
  /** Σ revenue² per customer, for the spread of revenue per customer. */
  revenueSquares: number;
  /** Σ months from each customer's first order to now. */
  tenureMonths: number;
  /** Customers whose predicted value the model computed (not the history fallback). */
  modelScored: number;
  predictedMinor: number;
  /** Σ per-customer 90 % bounds; null bounds count as the estimate itself. */
  predictedLowMinor: number;
  predictedHighMinor: number;
  /** Model-scored customers with a bootstrap interval of their own. */
  withInterval: number;
}

export async function listAcquisitionGroups(
  tx: ShopTx,
  options: { timeZone: string; now: Date; from: string; to: string; channel: string | null },
): Promise<AcquisitionGroup[]> {
  const now = options.now.toISOString(); // raw SQL takes ISO strings, not Dates
  const tz = options.timeZone;
  const rows = await queryRows<{
    cohort: string; channel: string; consent: AcquisitionGroup["consent"]; lifecycle: string | null;
    customers: number; repeaters: number; revenue: number; revenue_sq: number; tenure: number;
    model_scored: number; predicted: number; predicted_low: number; predicted_high: number; with_interval: number;
  }>(
    tx,
    sql`with per_customer as (
          select customer_id, min(placed_at) as first_at,
                 (array_agg(channel order by placed_at, id))[1] as channel,
                 count(*)::int as orders, sum(net_minor)::float8 as revenue
            from sales where placed_at <= ${now}::timestamptz
           group by customer_id
        ), acquired as (
          select p.*, to_char(p.first_at at time zone ${tz}, 'YYYY-MM') as cohort
            from per_customer p
        ), opted_in as (
          select distinct customer_id from consent_state where purpose = 'marketing' and granted
        )
        select a.cohort, a.channel,
               case when c.erased_at is not null then 'erased' when o.customer_id is not null then 'opted_in' else 'not_opted_in' end as consent,
               s.lifecycle,
               count(*)::int as customers,
               count(*) filter (where a.orders >= 2)::int as repeaters,
               coalesce(sum(a.revenue), 0)::float8 as revenue,
               coalesce(sum(a.revenue * a.revenue), 0)::float8 as revenue_sq,
               coalesce(sum(extract(epoch from (${now}::timestamptz - a.first_at)) / 86400 / ${DAYS_PER_MONTH}::float8), 0)::float8 as tenure,
               count(*) filter (where s.value_basis = 'model')::int as model_scored,
               coalesce(sum(s.predicted_value_minor) filter (where s.value_basis = 'model'), 0)::float8 as predicted,
               coalesce(sum(coalesce(s.predicted_value_low_minor, s.predicted_value_minor)) filter (where s.value_basis = 'model'), 0)::float8 as predicted_low,
               coalesce(sum(coalesce(s.predicted_value_high_minor, s.predicted_value_minor)) filter (where s.value_basis = 'model'), 0)::float8 as predicted_high,
               count(*) filter (where s.value_basis = 'model' and s.predicted_value_low_minor is not null)::int as with_interval
          from acquired a
          join customers c on c.id = a.customer_id
          left join opted_in o on o.customer_id = a.customer_id
          left join customer_scores s on s.shop_id = c.shop_id and s.customer_id = a.customer_id
         where a.cohort between ${options.from} and ${options.to}
           and (${options.channel}::text is null or a.channel = ${options.channel}::text)
         group by 1, 2, 3, 4
         order by 1, 2, 3, 4`,
  );
  return rows.map((r) => ({
    cohort: r.cohort, channel: r.channel, consent: r.consent, lifecycle: r.lifecycle,
    customers: r.customers, repeaters: r.repeaters, revenueMinor: Number(r.revenue), revenueSquares: Number(r.revenue_sq),
    tenureMonths: Number(r.tenure), modelScored: r.model_scored, predictedMinor: Number(r.predicted),
    predictedLowMinor: Number(r.predicted_low), predictedHighMinor: Number(r.predicted_high), withInterval: r.with_interval,
  }));
}

/** Adds up groups: the totals every figure starts from. */
export function addGroups(groups: readonly AcquisitionGroup[]) {
  const t = { customers: 0, repeaters: 0, revenueMinor: 0, revenueSquares: 0, tenureMonths: 0, modelScored: 0, predictedMinor: 0, predictedLowMinor: 0, predictedHighMinor: 0, withInterval: 0 };
  for (const g of groups) {
    t.customers += g.customers;
    t.repeaters += g.repeaters;
    t.revenueMinor += g.revenueMinor;
    t.revenueSquares += g.revenueSquares;
    t.tenureMonths += g.tenureMonths;
    t.modelScored += g.modelScored;
    t.predictedMinor += g.predictedMinor;
    t.predictedLowMinor += g.predictedLowMinor;
    t.predictedHighMinor += g.predictedHighMinor;
    t.withInterval += g.withInterval;
  }
  return t;
}

export type GroupTotals = ReturnType<typeof addGroups>;

/** Groups by a key, keys in order. */
export function groupBy<K extends string>(groups: readonly AcquisitionGroup[], key: (g: AcquisitionGroup) => K): Map<K, AcquisitionGroup[]> {
  const out = new Map<K, AcquisitionGroup[]>();
  for (const g of groups) {
    const k = key(g);
    const list = out.get(k);
    if (list) list.push(g);
    else out.set(k, [g]);
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
