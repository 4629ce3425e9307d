// Each customer's order history in one pass over the sales (net of refunds, without cancelled or
// failed orders): counts, spend, first and last order, RFM quintiles, and the purchase days the
// value models count (orders on one day are one purchase, as in the published models). Days are
// the shop's local calendar days. A refresh keeps the result in a temporary table of its own
// transaction: the scores are written from it in SQL, and only the model's inputs travel to the
// application and back.
import { sql, type SQL } from "drizzle-orm";
import { queryRows } from "../db/client";
import type { ShopTx } from "../db/tenant";

/** What the value model needs of a customer (lib/segments/shop-value-model.ts). */
export interface CustomerHistory {
  purchaseDays: number;
  revenueMinor: number;
  /** Mean spend per repeat purchase day (the first day left out), or null for one purchase day. */
  repeatAverageMinor: number | null;
  /** Local calendar days since 1970-01-01. */
  firstDay: number;
  lastDay: number;
  /**
   * A number from the customer's id, the same in every refresh: a large shop's value model is
   * fitted on the customers with the smallest (shop-value-model.ts). Without it, their position is used.
   */
  sampleKey?: number;
}

export interface ShopHistory {
  /** Ordered by customer id: the n-th customer is row n of the staged table. */
  customers: CustomerHistory[];
  today: number;
  /** Median days between a customer's consecutive purchase days, over all customers; null with none. */
  medianGapDays: number | null;
  gaps: number;
}

/** The temporary tables a refresh stages the histories and the gaps between purchase days in; they go with the transaction. */
export const STAGED_HISTORY = "refresh_history";
const STAGED_GAPS = "refresh_gaps";

/**
 * Every order of a current customer with its local day, walked in order of time per customer: the
 * days since the customer's previous order (0 on the same day) and the day of their first order.
 * Walking by time lets the database read the orders through the (shop, customer, time) index with
 * no sort; the local day never goes back as time goes on.
 */
function walkedOrders(options: { timeZone: string; now: string }) {
  return sql`select customer_id, day, amount, placed_at, day - lag(day) over w as gap, first_value(day) over w as first_day
    from (select o.customer_id, (o.placed_at at time zone ${options.timeZone})::date as day, o.net_minor::float8 as amount, o.placed_at
            from sales o
           where o.placed_at <= ${options.now}::timestamptz and o.customer_id is not null
             and not exists (select 1 from customers c where c.id = o.customer_id and c.erased_at is not null)) s
  window w as (partition by customer_id order by placed_at)`;
}

/**
 * One row per customer: n (by customer id), customer_id, orders, purchase_days, revenue, repeat_avg
 * (spend after the first purchase day per repeat purchase day), first/last_order_at, first/last_day,
 * and the three RFM scores.
 */
function perCustomer(walked: SQL) {
  return sql`select row_number() over (order by p.customer_id)::int as n, p.customer_id, p.orders, p.purchase_days, p.revenue,
           case when p.purchase_days > 1 then (p.revenue - p.first_day_amount) / (p.purchase_days - 1) end as repeat_avg,
           p.first_order_at, p.last_order_at, p.first_day, p.last_day, hashtext(p.customer_id::text) as sample_key,
           -- ntile would split a tie, putting two identical one-order customers in different groups.
           least(5, 1 + floor(5 * percent_rank() over (order by p.last_order_at)))::int as recency_score,
           least(5, 1 + floor(5 * percent_rank() over (order by p.orders)))::int as frequency_score,
           least(5, 1 + floor(5 * percent_rank() over (order by p.revenue)))::int as monetary_score
      from (select customer_id, count(*)::int as orders, 1 + (count(*) filter (where gap > 0))::int as purchase_days, sum(amount) as revenue,
                   sum(amount) filter (where day = first_day) as first_day_amount,
                   min(placed_at) as first_order_at, max(placed_at) as last_order_at,
                   (min(day) - date '1970-01-01')::int as first_day, (max(day) - date '1970-01-01')::int as last_day
              from ${walked} w group by customer_id) p`;
}

/** percentile_cont(0.5) of all gaps, from how many gaps there are of each length (ascending). */
function medianOf(histogram: { gap: number; count: number }[]): { median: number | null; gaps: number } {
  const gaps = histogram.reduce((s, h) => s + h.count, 0);
  if (gaps === 0) return { median: null, gaps };
  const at = (k: number) => {
    let seen = 0;
    for (const h of histogram) if ((seen += h.count) > k) return h.gap;
    return histogram[histogram.length - 1]!.gap;
  };
  const middle = (gaps - 1) / 2;
  return { median: (at(Math.floor(middle)) + at(Math.ceil(middle))) / 2, gaps };
}

interface HistoryRow {
  n: number; purchase_days: number; revenue: number; repeat_avg: number | null; first_day: number; last_day: number; sample_key: number;
}

const modelInput = (r: HistoryRow): CustomerHistory => ({
  purchaseDays: r.purchase_days,
  revenueMinor: Math.round(r.revenue),
  repeatAverageMinor: r.repeat_avg,
  firstDay: r.first_day,
  lastDay: r.last_day,
  sampleKey: r.sample_key,
});

const todayOf = (options: { timeZone: string; now: string }) => sql`((${options.now}::timestamptz at time zone ${options.timeZone})::date - date '1970-01-01')::int`;

/**
 * Stages every customer's history in STAGED_HISTORY (the columns of perCustomer) and answers the
 * model's inputs in the order of n, with the shop's median gap between purchase days.
 */
export async function stageCustomerHistories(tx: ShopTx, options: { timeZone: string; now: Date }): Promise<ShopHistory> {
  const o = { timeZone: options.timeZone, now: options.now.toISOString() };
  const history = sql.identifier(STAGED_HISTORY);
  const gaps = sql.identifier(STAGED_GAPS);
  await tx.execute(sql`create temporary table ${history} (
    n int, customer_id uuid, orders int, purchase_days int, revenue float8, repeat_avg float8, first_order_at timestamptz,
    last_order_at timestamptz, first_day int, last_day int, sample_key int, recency_score int, frequency_score int, monetary_score int) on commit drop`);
  await tx.execute(sql`create temporary table ${gaps} (gap int, count int) on commit drop`);
  // One walk over the orders feeds both: the customers' histories, and how often each gap occurs.
  await tx.execute(sql`with walked as materialized (${walkedOrders(o)}),
      counted as (insert into ${gaps} select gap, count(*) from walked where gap > 0 group by gap)
    insert into ${history} ${perCustomer(sql`walked`)}`);
  const [rows, histogram, [day]] = [
    await queryRows<HistoryRow>(tx, sql`select n, purchase_days, revenue, repeat_avg, first_day, last_day, sample_key from ${history} order by n`),
    await queryRows<{ gap: number; count: number }>(tx, sql`select gap, count from ${gaps} order by gap`),
    await queryRows<{ today: number }>(tx, sql`select ${todayOf(o)} as today`),
  ];
  const { median, gaps: count } = medianOf(histogram);
  return { today: day!.today, medianGapDays: median, gaps: count, customers: rows.map(modelInput) };
}

/** The same histories read directly, with each customer's id (for `clv fit --shop`). */
export async function loadCustomerHistories(tx: ShopTx, options: { timeZone: string; now: Date }): Promise<{ today: number; customers: (CustomerHistory & { customerId: string })[] }> {
  const o = { timeZone: options.timeZone, now: options.now.toISOString() };
  const rows = await queryRows<HistoryRow & { customer_id: string }>(tx, sql`select * from (${perCustomer(sql`(${walkedOrders(o)})`)}) h order by n`);
  const [day] = await queryRows<{ today: number }>(tx, sql`select ${todayOf(o)} as today`);
  return { today: day!.today, customers: rows.map((r) => ({ ...modelInput(r), customerId: r.customer_id })) };
}
