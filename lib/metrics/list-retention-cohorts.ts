// Retention as a heat map: monthly acquisition cohorts (the month of a customer's first order, in
// the shop's time zone) × months since that first order, each cell the share of the cohort that
// ordered in that month. One pass over the sales: each sale is bucketed into its local month once.
// Cells after the current month are not there; the current month's are marked partial.
import { sql } from "drizzle-orm";
import { queryRows } from "../db/client";
import type { ShopTx } from "../db/tenant";
import { addMonths, monthsBetween } from "./metrics-range";

export interface RetentionCell {
  monthsSince: number;
  month: string;
  /** Customers of the cohort with at least one order in this month. */
  customers: number;
  share: number;
  /** The current month, still under way. */
  partial: boolean;
}

export interface RetentionCohort {
  cohort: string;
  /** Customers acquired that month: the share's n. */
  customers: number;
  cells: RetentionCell[];
}

export async function listRetentionCohorts(
  tx: ShopTx,
  options: { timeZone: string; now: Date; from: string; to: string; channel: string | null; currentMonth: string },
): Promise<RetentionCohort[]> {
  const now = options.now.toISOString();
  const rows = await queryRows<{ cohort: string; month: string; customers: number }>(
    tx,
    sql`with local as (
          select customer_id, id, channel, placed_at,
                 to_char(placed_at at time zone ${options.timeZone}, 'YYYY-MM') as month
            from sales where placed_at <= ${now}::timestamptz
        ), firsts as (
          select customer_id, min(month) as cohort, (array_agg(channel order by placed_at, id))[1] as channel
            from local group by customer_id
        ), active as (
          select distinct customer_id, month from local
        )
        select f.cohort, a.month, count(*)::int as customers
          from active a join firsts f using (customer_id)
         where f.cohort between ${options.from} and ${options.to}
           and (${options.channel}::text is null or f.channel = ${options.channel}::text)
         group by 1, 2
         order by 1, 2`,
  );
  const byCohort = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const m = byCohort.get(r.cohort) ?? new Map<string, number>();
    m.set(r.month, r.customers);
    byCohort.set(r.cohort, m);
  }
  return [...byCohort].map(([cohort, months]) => {
    // Month 0 holds everyone: the first order is in it.
    const size = months.get(cohort) ?? 0;
    const span = Math.max(0, monthsBetween(cohort, options.currentMonth));
    const cells = Array.from({ length: span + 1 }, (_, k) => {
      const month = addMonths(cohort, k);
      const customers = months.get(month) ?? 0;
      return { monthsSince: k, month, customers, share: size > 0 ? customers / size : 0, partial: month === options.currentMonth };
    });
    return { cohort, customers: size, cells };
  });
}
