// Revenue and orders per calendar month in the shop's time zone, every month present (zeros too)
// so a chart never skips a gap. The last month is the current one and is not over: it is marked
// partial with the days it covers so far, so a chart does not show it as a month of collapsed sales.
import { sql } from "drizzle-orm";
import { queryRows } from "../db/client";
import type { ShopTx } from "../db/tenant";

export interface MonthRevenue {
  month: string; // YYYY-MM
  revenueMinor: number;
  orders: number;
  customers: number;
  /** The current month, counted to today (in the shop's time zone) rather than to its end. */
  partial: boolean;
  /** Days of the month the figures cover: today's day of the month for the current one. */
  daysCovered: number;
  daysInMonth: number;
}

export async function listRevenueByMonth(
  tx: ShopTx,
  /** `months` months ending with `to` (YYYY-MM; the current month when absent or later). */
  options: { months?: number; timeZone?: string; now?: Date; to?: string } = {},
): Promise<MonthRevenue[]> {
  const months = options.months ?? 24;
  const tz = options.timeZone ?? "UTC";
  const now = (options.now ?? new Date()).toISOString(); // raw SQL takes ISO strings, not Dates
  const rows = await queryRows<{ month: string; revenue: number; orders: number; customers: number; partial: boolean; days_covered: number; days_in_month: number }>(
    tx,
    sql`with today as (
          select date_trunc('month', ${now}::timestamptz at time zone ${tz}) as this_month,
                 (${now}::timestamptz at time zone ${tz})::date as today
        ), bounds as (
          select least(this_month, coalesce(to_timestamp(${options.to ?? null}::text, 'YYYY-MM')::timestamp, this_month)) as last_month, this_month, today
            from today
        ), series as (
          select generate_series(last_month - make_interval(months => ${months - 1}), last_month, interval '1 month') as month
            from bounds
        ), agg as (
          select date_trunc('month', placed_at at time zone ${tz}) as month,
                 sum(net_minor)::float8 as revenue, count(*)::int as orders, count(distinct customer_id)::int as customers
            from sales
           where placed_at <= ${now}::timestamptz
             and placed_at >= ((select last_month from bounds) - make_interval(months => ${months - 1})) at time zone ${tz}
             and placed_at < ((select last_month from bounds) + interval '1 month') at time zone ${tz}
           group by 1
        )
        select to_char(s.month, 'YYYY-MM') as month, coalesce(a.revenue, 0)::float8 as revenue,
               coalesce(a.orders, 0)::int as orders, coalesce(a.customers, 0)::int as customers,
               s.month = b.this_month as partial,
               extract(day from (s.month + interval '1 month' - interval '1 day'))::int as days_in_month,
               case when s.month = b.this_month then extract(day from b.today)::int
                    else extract(day from (s.month + interval '1 month' - interval '1 day'))::int end as days_covered
          from series s cross join bounds b left join agg a on a.month = s.month
         order by s.month`,
  );
  return rows.map((r) => ({
    month: r.month,
    revenueMinor: Number(r.revenue),
    orders: r.orders,
    customers: r.customers,
    partial: r.partial,
    daysCovered: r.days_covered,
    daysInMonth: r.days_in_month,
  }));
}
