// The figures behind the value charts: how predicted value is spread over customers, who the top
// customers are, and P(alive) against days since the last order. Each answers its n.
import { desc, eq, sql } from "drizzle-orm";
import { queryRows } from "../db/client";
import { customerScores, customers } from "../db/schema";
import type { ShopTx } from "../db/tenant";

export interface ValueHistogram {
  n: number;
  basis: "model" | "history" | "none";
  bins: { fromMinor: number; toMinor: number; customers: number }[];
  /** Customers above the last bin's upper edge (the top 1 %), counted in the last bin. */
  clippedAboveMinor: number;
}

export async function valueHistogram(tx: ShopTx, maxBins = 12): Promise<ValueHistogram> {
  const [range] = await queryRows<{ n: number; hi: number | null; model: number }>(
    tx,
    sql`select count(*)::int as n, percentile_cont(0.99) within group (order by predicted_value_minor)::float8 as hi,
               count(*) filter (where value_basis = 'model')::int as model
          from customer_scores`,
  );
  const n = range?.n ?? 0;
  if (!range || n === 0) return { n: 0, basis: "none", bins: [], clippedAboveMinor: 0 };
  // A round bin width (1, 2, 2.5 or 5 × 10^k minor units) so the labels read as round amounts.
  const width = niceCeiling(Math.max(100, range.hi ?? 100) / maxBins);
  const bins = Math.max(1, Math.ceil(Math.max(100, range.hi ?? 100) / width));
  const hi = bins * width;
  const counts = await queryRows<{ bin: number; customers: number }>(
    tx,
    sql`select least(${bins}::int, greatest(1, width_bucket(predicted_value_minor::float8, 0, ${hi}::float8, ${bins}::int)))::int as bin, count(*)::int as customers
          from customer_scores group by 1 order by 1`,
  );
  const byBin = new Map(counts.map((c) => [c.bin, c.customers]));
  return {
    n,
    basis: range.model === n ? "model" : "history",
    clippedAboveMinor: hi,
    bins: Array.from({ length: bins }, (_, i) => ({ fromMinor: Math.round(i * width), toMinor: Math.round((i + 1) * width), customers: byBin.get(i + 1) ?? 0 })),
  };
}

function niceCeiling(x: number): number {
  const step = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * step >= x) return m * step;
  return 10 * step;
}

export async function topCustomers(tx: ShopTx, limit = 10) {
  return tx
    .select({
      customerId: customerScores.customerId, firstName: customers.firstName, lastName: customers.lastName, email: customers.email,
      predictedValueMinor: customerScores.predictedValueMinor, low: customerScores.predictedValueLowMinor, high: customerScores.predictedValueHighMinor,
      pAlive: customerScores.pAlive, orders: customerScores.orders, valueBasis: customerScores.valueBasis,
    })
    .from(customerScores)
    .innerJoin(customers, eq(customers.id, customerScores.customerId))
    .orderBy(desc(customerScores.predictedValueMinor), customerScores.customerId)
    .limit(limit);
}

export interface AliveVsRecency {
  n: number;
  shown: number;
  points: { daysSinceLast: number; pAlive: number; purchaseDays: number }[];
}

/** Repeat customers only: for one purchase the model's P(alive) is 1 by construction and says nothing. */
export async function aliveVsRecency(tx: ShopTx, options: { now?: Date; limit?: number } = {}): Promise<AliveVsRecency> {
  const now = (options.now ?? new Date()).toISOString();
  const limit = options.limit ?? 600;
  const [count] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from customer_scores where p_alive is not null and purchase_days > 1`);
  // A stable sample (by hashed id) keeps the chart readable and the same between visits.
  const points = await queryRows<{ days: number; p: number; d: number }>(
    tx,
    sql`select floor(extract(epoch from (${now}::timestamptz - last_order_at)) / 86400)::int as days, p_alive::float8 as p, purchase_days as d
          from customer_scores where p_alive is not null and purchase_days > 1
         order by md5(customer_id::text) limit ${limit}`,
  );
  return { n: count?.n ?? 0, shown: points.length, points: points.map((p) => ({ daysSinceLast: p.days, pAlive: p.p, purchaseDays: p.d })) };
}
