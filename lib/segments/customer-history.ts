// Each customer's order history in one pass over the orders: counts, spend, first and last order,
// RFM quintiles, and the purchase days the value models count (orders on one day are one purchase, as in the
// published models). Days are the shop's local calendar days.
import { sql } from "drizzle-orm";
import { queryRows } from "../db/client";
import type { ShopTx } from "../db/tenant";

export interface CustomerHistory {
  customerId: string;
  orders: number;
  purchaseDays: number;
  revenueMinor: number;
  /** Mean spend per repeat purchase day (the first day left out), or null for one purchase day. */
  repeatAverageMinor: number | null;
  firstOrderAt: Date;
  lastOrderAt: Date;
  /** Local calendar days since 1970-01-01. */
  firstDay: number;
  lastDay: number;
  /** RFM scores 1–5: quintiles by percent rank within the shop, so equal values share a score. */
  recencyScore: number;
  frequencyScore: number;
  monetaryScore: number;
}

export interface ShopHistory {
  customers: CustomerHistory[];
  today: number;
  /** Median days between a customer's consecutive purchase days, over all customers; null with none. */
  medianGapDays: number | null;
  gaps: number;
}

export async function loadCustomerHistories(tx: ShopTx, options: { timeZone: string; now: Date }): Promise<ShopHistory> {
  const now = options.now.toISOString();
  const tz = options.timeZone;
  const rows = await queryRows<{
    customer_id: string; orders: number; days: number; revenue: number; repeat_avg: number | null;
    first_at: number; last_at: number; first_day: number; last_day: number; median_gap: number | null; gaps: number; today: number;
    r: number; f: number; m: number;
  }>(
    tx,
    sql`with l as (
          select o.customer_id, (o.placed_at at time zone ${tz})::date as day, o.placed_at, o.net_minor as total_minor
            from sales o join customers c on c.id = o.customer_id and c.erased_at is null
           where o.placed_at <= ${now}::timestamptz),
        d as materialized (
          select customer_id, day, count(*)::int as orders, sum(total_minor)::float8 as amount,
                 min(placed_at) as first_at, max(placed_at) as last_at,
                 row_number() over w as n, day - lag(day) over w as gap
            from l group by customer_id, day
          window w as (partition by customer_id order by day))
        select customer_id, sum(orders)::int as orders, count(*)::int as days, sum(amount)::float8 as revenue,
               avg(amount) filter (where n > 1)::float8 as repeat_avg, (extract(epoch from min(first_at)) * 1000)::float8 as first_at, (extract(epoch from max(last_at)) * 1000)::float8 as last_at,
               (min(day) - date '1970-01-01')::int as first_day, (max(day) - date '1970-01-01')::int as last_day,
               (select percentile_cont(0.5) within group (order by gap) from d)::float8 as median_gap,
               (select count(gap) from d)::int as gaps,
               ((${now}::timestamptz at time zone ${tz})::date - date '1970-01-01')::int as today,
               -- ntile would split a tie, putting two identical one-order customers in different groups.
               least(5, 1 + floor(5 * percent_rank() over (order by max(last_at))))::int as r,
               least(5, 1 + floor(5 * percent_rank() over (order by sum(orders))))::int as f,
               least(5, 1 + floor(5 * percent_rank() over (order by sum(amount))))::int as m
          from d group by customer_id`,
  );
  const today = rows[0]?.today ?? Math.floor(options.now.getTime() / 86_400_000);
  return {
    today,
    medianGapDays: rows[0]?.median_gap ?? null,
    gaps: rows[0]?.gaps ?? 0,
    customers: rows.map((r) => ({
      customerId: r.customer_id,
      orders: r.orders,
      purchaseDays: r.days,
      revenueMinor: Math.round(r.revenue),
      repeatAverageMinor: r.repeat_avg,
      firstOrderAt: new Date(r.first_at),
      lastOrderAt: new Date(r.last_at),
      firstDay: r.first_day,
      lastDay: r.last_day,
      recencyScore: r.r,
      frequencyScore: r.f,
      monetaryScore: r.m,
    })),
  };
}
