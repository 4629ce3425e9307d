// `regulars bench targeting`: targets a campaign at an audience of 100,000 consenting customers on
// Postgres (a decision per customer and a queued message each, with consent receipts, caps, quiet
// hours and the holdout, in one transaction) and compares it, in the same run, with one
// INSERT … SELECT that writes the same rows into the same tables: the audience read as targeting
// reads it (members, customers, grants), and for each of them the decision and the message that
// run wrote — kept aside, removed, and written again by the baseline, through the same indexes,
// keys and triggers. So the ratio is what deciding costs over writing its outcome. The earlier
// baseline, the audience's customer, email and receipt into a table without indexes (which writes
// a tenth of the bytes into no index at all), is still timed and reported as `bare_*`. Tables are
// vacuumed between timings, so no timing meets another's dead rows. The fixture writes the derived
// consent state directly (one grant per customer), as the ledger would leave it.
import { campaigns, variants } from "../../lib/db/schema";
import { withShop } from "../../lib/db/tenant";
import { targetAudience } from "../../lib/campaigns/target-audience";
import { createShop } from "../../lib/shops/create-shop";
import { withBenchDatabase } from "./bench-database";

export interface TargetingBenchResult {
  name: "targeting";
  customers: number;
  project_ms: number;
  baseline_ms: number;
  ratio: number;
  queued: number;
  holdout: number;
  runs_ms: { project: number[]; baseline: number[]; bare: number[] };
  /** The earlier baseline: the audience's customer, email and receipt into a table without indexes. */
  bare_baseline_ms: number;
  bare_ratio: number;
  database: string;
  baseline: string;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function benchTargeting(options: { customers: number; runs: number; url: string; log: (s: string) => void }): Promise<TargetingBenchResult> {
  const { url, log } = options;
  return withBenchDatabase(url, "targeting", async ({ database, raw }) => {
    const { shopId } = await createShop({ name: "Bench targeting", ownerEmail: `bench-${Date.now()}@example.com`, ownerPassword: "bench password 1" }, { database });
    log(`Generating ${options.customers} consenting customers in one segment…`);
    const segmentId = await raw.begin(async (q) => {
      await q`update shops set quiet_hours_start = 0, quiet_hours_end = 0 where id = ${shopId}::uuid`;
      await q`insert into customers (shop_id, id, external_id, email, first_name)
              select ${shopId}::uuid, gen_random_uuid(), 'C' || i, 'c' || i || '@example.com', 'Name ' || i
                from generate_series(1, ${options.customers}::int) i`;
      const [seg] = await q<{ id: string }[]>`insert into segments (shop_id, key, name, kind, rules) values (${shopId}::uuid, 'custom-everyone', 'Everyone', 'custom', '{}') returning id`;
      await q`insert into segment_members (shop_id, segment_id, customer_id) select ${shopId}::uuid, ${seg!.id}::uuid, id from customers where shop_id = ${shopId}::uuid`;
      await q`insert into consent_state (shop_id, customer_id, channel, purpose, granted, event_id, event_hash, updated_at)
              select ${shopId}::uuid, id, 'email', 'marketing', true, gen_random_uuid(), encode(sha256(id::text::bytea), 'hex'), now() - interval '30 days'
                from customers where shop_id = ${shopId}::uuid`;
      return seg!.id;
    });
    await raw`analyze`;

    const project: number[] = [];
    const baseline: number[] = [];
    const bare: number[] = [];
    let queued = 0;
    let holdout = 0;
    const audience = raw`select m.customer_id from segment_members m join customers c on c.id = m.customer_id
                           join consent_state cs on cs.customer_id = m.customer_id and cs.channel = 'email' and cs.purpose = 'marketing'
                          where m.segment_id = ${segmentId}::uuid`;
    for (let run = 1; run <= options.runs; run++) {
      log(`Run ${run}: the earlier baseline, the audience into a table without indexes…`);
      await raw`drop table if exists bench_audience`;
      await raw`create table bench_audience (customer_id uuid, email text, event_id uuid, event_hash text)`;
      let t = performance.now();
      await raw`insert into bench_audience select m.customer_id, c.email, cs.event_id, cs.event_hash
                  from segment_members m join customers c on c.id = m.customer_id
                  join consent_state cs on cs.customer_id = m.customer_id and cs.channel = 'email' and cs.purpose = 'marketing'
                 where m.segment_id = ${segmentId}::uuid`;
      bare.push(performance.now() - t);

      log(`Run ${run}: Regulars, targeting the campaign…`);
      const campaignId = await withShop(shopId, async (tx) => {
        const [c] = await tx.insert(campaigns).values({ shopId, name: `Bench ${run}`, channel: "email", purpose: "marketing", segmentId, status: "approved", holdoutPct: 10 }).returning({ id: campaigns.id });
        await tx.insert(variants).values({ shopId, campaignId: c!.id, key: "A", subject: "Hi", body: "Hello {{first_name}}" });
        return c!.id;
      }, database);
      await raw`vacuum analyze sends, campaign_decisions`;
      t = performance.now();
      const result = await withShop(shopId, (tx) => targetAudience(tx, campaignId, { trigger: "bench" }), database);
      project.push(performance.now() - t);
      queued = result.funnel.queued;
      holdout = result.funnel.holdout;

      log(`Run ${run}: baseline, the same rows into the same tables in one INSERT … SELECT…`);
      await raw`drop table if exists bench_decisions, bench_sends`;
      await raw`create table bench_decisions as select * from campaign_decisions where run_id = ${result.runId}::uuid`;
      await raw`create table bench_sends as select * from sends where run_id = ${result.runId}::uuid`;
      await raw`delete from sends`;
      await raw`delete from campaign_decisions where run_id = ${result.runId}::uuid`;
      await raw`vacuum analyze sends, campaign_decisions, bench_decisions, bench_sends`;
      t = performance.now();
      await raw`with a as (${audience}),
                     d as (insert into campaign_decisions select b.* from a join bench_decisions b on b.customer_id = a.customer_id)
                insert into sends select b.* from a join bench_sends b on b.customer_id = a.customer_id`;
      baseline.push(performance.now() - t);
      // Each run starts from an empty outbox (the customers' caps untouched).
      await raw`delete from sends`;
    }
    const p = median(project);
    const b = median(baseline);
    return {
      name: "targeting",
      customers: options.customers,
      project_ms: Math.round(p),
      baseline_ms: Math.round(b),
      ratio: Number((p / b).toFixed(2)),
      queued,
      holdout,
      runs_ms: { project: project.map(Math.round), baseline: baseline.map(Math.round), bare: bare.map(Math.round) },
      bare_baseline_ms: Math.round(median(bare)),
      bare_ratio: Number((p / median(bare)).toFixed(2)),
      database: "postgres",
      baseline: "one INSERT … SELECT (as the database owner) of the audience (members with a grant) joined to the decision and the message targeting wrote for each, into campaign_decisions and sends: the same rows through the same indexes, keys and triggers",
    };
  });
}
