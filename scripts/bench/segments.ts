// `regulars bench segments`: refreshes every built-in segment (scores, value model, members) for a
// generated shop of 100,000 customers and 1,000,000 orders on Postgres, and compares it in the same
// run with one hand-written single-pass aggregate that computes recency, frequency and monetary
// value per customer (the least any RFM refresh must do). The aggregate reads the same `sales` view
// as the refresh (net of refunds, without cancelled orders), as the database owner with no
// row-level security: the strictest baseline. Each run starts from a shop without scores or
// members (a first refresh, everything written), then refreshes once more with nothing changed.
// After the runs it measures a floor: the purchase days the value model needs, in one aggregate,
// and the refresh's output stored again with nothing else (storage-floor.ts).
import postgres from "postgres";
import { refreshSegments, type RefreshProgress } from "../../lib/segments/refresh-segments";
import { createShop } from "../../lib/shops/create-shop";
import { withBenchDatabase } from "./bench-database";
import { timeStoring } from "./storage-floor";

export interface SegmentsBenchRun {
  baseline_ms: number;
  project_ms: number;
  ratio: number;
  /** A second refresh right after, with nothing changed: memberships that stay are not written again. */
  repeat_ms: number;
  /** Time to each step of the first refresh, from its progress reports. */
  steps_ms: Record<string, number>;
}

export interface SegmentsBenchResult {
  name: "segments";
  customers: number;
  orders: number;
  memberships: number;
  /** The median run's figures. */
  project_ms: number;
  baseline_ms: number;
  ratio: number;
  repeat_ms: number;
  runs: SegmentsBenchRun[];
  ratio_range: [number, number];
  model: string;
  database: string;
  baseline: string;
  /**
   * The least a refresh could spend, measured after the runs: one aggregate of every customer's
   * purchase days (the value model's input, which the baseline does not give), as the owner, and
   * the refresh's output, its scores and memberships, written again by INSERT … SELECT into tables
   * like theirs (keys and indexes, no row-level security, no triggers). Its ratio to the median
   * run's baseline: the least the refresh's own ratio can be.
   */
  floor_ms: { purchase_days: number; scores: number; members: number };
  floor_ratio: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function benchSegments(options: { customers: number; orders: number; runs?: number; url: string; log: (s: string) => void }): Promise<SegmentsBenchResult> {
  const { url, log } = options;
  return withBenchDatabase(url, "segments", async ({ database, raw }) => {
    const { shopId } = await createShop({ name: "Bench segments", ownerEmail: `bench-${Date.now()}@example.com`, ownerPassword: "bench password 1" }, { database });
    log(`Generating ${options.customers} customers and ${options.orders} orders…`);
    await generateShopData(raw, shopId, options);

    const runs: SegmentsBenchRun[] = [];
    let customers = 0;
    let model = "";
    for (let run = 1; run <= (options.runs ?? 1); run++) {
      // A shop that was never refreshed: no scores, no members.
      await raw`truncate customer_scores, segment_members`;
      log(`Run ${run}: baseline, one aggregate over the sales (recency, frequency, monetary per customer)…`);
      const baselineStarted = performance.now();
      const rfm = await raw`select customer_id, max(placed_at) as last_at, count(*)::int as orders, sum(net_minor)::float8 as revenue
                              from sales where shop_id = ${shopId}::uuid group by customer_id`;
      const baselineMs = performance.now() - baselineStarted;
      customers = rfm.length;

      log(`Run ${run}: Regulars, refresh of every built-in segment…`);
      const steps: Record<string, number> = {};
      let stepStarted = performance.now();
      let step = "";
      const onProgress = (p: RefreshProgress) => {
        const t = performance.now();
        if (step) steps[step] = Math.round(t - stepStarted);
        step = p.step;
        stepStarted = t;
      };
      const started = performance.now();
      const result = await refreshSegments(shopId, { database, trigger: "cli", onProgress });
      const projectMs = performance.now() - started;
      model = result.summary.model.status;

      log(`Run ${run}: the same refresh again, nothing changed…`);
      const repeatStarted = performance.now();
      await refreshSegments(shopId, { database, trigger: "cli" });
      const repeatMs = performance.now() - repeatStarted;
      runs.push({
        baseline_ms: Math.round(baselineMs),
        project_ms: Math.round(projectMs),
        ratio: Number((projectMs / baselineMs).toFixed(2)),
        repeat_ms: Math.round(repeatMs),
        steps_ms: steps,
      });
    }
    const [counted] = await raw<{ n: number }[]>`select count(*)::int as n from segment_members`;
    const ratios = runs.map((r) => r.ratio);
    const mid = runs.find((r) => r.ratio === median(ratios))!;

    log("Floor: every customer's purchase days in one aggregate, and the refresh's output written again into tables like its own…");
    const daysStarted = performance.now();
    await raw`select customer_id, count(*) as days, min(day) as first_day, max(day) as last_day, sum(amount) as revenue
                from (select customer_id, (placed_at at time zone (select time_zone from shops where id = ${shopId}::uuid))::date as day, sum(net_minor) as amount
                        from sales where shop_id = ${shopId}::uuid group by customer_id, day) d
               group by customer_id`;
    const floor = {
      purchase_days: Math.round(performance.now() - daysStarted),
      scores: Math.round(await timeStoring(raw, "customer_scores", shopId)),
      members: Math.round(await timeStoring(raw, "segment_members", shopId)),
    };
    const floorMs = floor.purchase_days + floor.scores + floor.members;
    return {
      name: "segments",
      customers,
      orders: options.orders,
      memberships: counted?.n ?? 0,
      project_ms: mid.project_ms,
      baseline_ms: mid.baseline_ms,
      ratio: mid.ratio,
      repeat_ms: mid.repeat_ms,
      runs,
      ratio_range: [Math.min(...ratios), Math.max(...ratios)],
      model,
      database: "postgres",
      baseline: "select customer_id, max(placed_at), count(*), sum(net_minor) from sales where shop_id = … group by customer_id (as the owner, no row-level security)",
      floor_ms: floor,
      floor_ratio: Number((floorMs / mid.baseline_ms).toFixed(2)),
    };
  });
}

/**
 * Deterministic (setseed, and customer ids from their number — well-formed version 4 UUIDs, as the
 * consent writer checks —, so the value model's resampling picks
 * the same customers in every run); a skewed customer pick gives regulars and one-timers, as in a real shop.
 */
export async function generateShopData(raw: postgres.Sql, shopId: string, options: { customers: number; orders: number }): Promise<void> {
  await raw.begin(async (q) => {
    await q`select setseed(0.42)`;
    await q`insert into customers (shop_id, id, external_id, email, created_at)
            select ${shopId}::uuid, overlay(overlay(md5('bench-customer-' || i) placing '4' from 13) placing '8' from 17)::uuid, 'C' || i, 'c' || i || '@example.com', now() - interval '800 days'
              from generate_series(1, ${options.customers}::int) i`;
    await q`create temp table ids as select id, row_number() over (order by external_id) as n from customers where shop_id = ${shopId}::uuid`;
    await q`create index on ids (n)`;
    await q`insert into orders (shop_id, id, external_id, customer_id, placed_at, total_minor, currency, channel)
            select ${shopId}::uuid, gen_random_uuid(), 'O' || g.i, ids.id, now() - (random() * 730) * interval '1 day', (500 + random() * 9500)::bigint, 'EUR', 'web'
              from (select i, 1 + floor(power(random(), 2) * ${options.customers}::int)::int as n from generate_series(1, ${options.orders}::int) i) g
              join ids using (n)`;
    await q`insert into order_items (shop_id, id, order_id, name, category, quantity, price_minor)
            select shop_id, gen_random_uuid(), id, 'Item', 'Category ' || (abs(hashtext(customer_id::text)) % 5 + floor(random() * 2)::int), 1, total_minor
              from orders where shop_id = ${shopId}::uuid`;
    await q`insert into events (shop_id, id, customer_id, type, occurred_at, payload)
            select ${shopId}::uuid, gen_random_uuid(), ids.id, (array['product.viewed', 'cart.updated'])[1 + floor(random() * 2)::int], now() - random() * interval '10 days', '{}'::jsonb
              from (select 1 + floor(random() * ${options.customers}::int)::int as n from generate_series(1, ${Math.round(options.customers / 5)}::int)) g join ids using (n)`;
    await q`analyze`;
  });
}
