// `regulars bench webhook`: signed deliveries through the webhook's own code (read, rate limit,
// verify the signature, dedupe by webhook-id, parse, store the event in the shop's transaction)
// against a baseline doing only the least any receiver must: one plain INSERT of the same payload
// per delivery, as the database owner, with the same concurrency, in the same run and database.
// It also checks that every accepted delivery is stored exactly once, and that a replay of all of
// them stores nothing more.
import { randomUUID } from "node:crypto";
import { createShop } from "../../lib/shops/create-shop";
import { readWebhookRequest } from "../../lib/webhooks/read-webhook-request";
import { receiveWebhook } from "../../lib/webhooks/receive-event";
import { signWebhook } from "../../lib/webhooks/verify-webhook";
import { withBenchDatabase } from "./bench-database";

export interface WebhookBenchResult {
  name: "webhook";
  deliveries: number;
  concurrency: number;
  project_ms: number;
  baseline_ms: number;
  ratio: number;
  project_per_s: number;
  baseline_per_s: number;
  errors: number;
  stored_exactly_once: boolean;
  replays_stored_nothing: boolean;
  database: string;
  baseline: string;
}

async function inParallel(n: number, concurrency: number, work: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) await work(next++);
  }));
  return performance.now() - started;
}

export async function benchWebhook(options: { deliveries: number; concurrency: number; url: string; log: (s: string) => void }): Promise<WebhookBenchResult> {
  const { url, log, deliveries, concurrency } = options;
  return withBenchDatabase(url, "webhook", async ({ database, raw }) => {
    const { shopId, webhookSecret } = await createShop({ name: "Bench webhook", ownerEmail: `bench-${Date.now()}@example.com`, ownerPassword: "bench password 1" }, { database });
    const ids = Array.from({ length: deliveries }, () => `msg_${randomUUID()}`);
    const bodies = ids.map((_, i) => JSON.stringify({ type: "product.viewed", timestamp: new Date().toISOString(), data: { customerExternalId: `c-${i % 500}`, productExternalId: `p-${i % 97}` } }));
    // The customers exist already, so both sides write one event row per delivery.
    await raw`insert into customers (shop_id, external_id) select ${shopId}::uuid, 'c-' || g from generate_series(0, 499) g`;
    const customerIds = new Map((await raw<{ id: string; external_id: string }[]>`select id, external_id from customers`).map((r) => [r.external_id, r.id]));

    let errors = 0;
    const deliver = async (i: number) => {
      const ts = Math.floor(Date.now() / 1000);
      const request = new Request(`http://bench/api/webhooks/${shopId}`, {
        method: "POST", body: bodies[i]!,
        headers: { "content-type": "application/json", "webhook-id": ids[i]!, "webhook-timestamp": String(ts), "webhook-signature": signWebhook(webhookSecret, ids[i]!, ts, bodies[i]!) },
      });
      const { headers, body } = await readWebhookRequest(request);
      const answer = await receiveWebhook(database, { shopId, headers, body, perMinute: Number.MAX_SAFE_INTEGER });
      if (answer.status !== 202) errors++;
    };
    log(`Delivering ${deliveries} signed webhooks, ${concurrency} at a time…`);
    const project = await inParallel(deliveries, concurrency, (i) => deliver(i).catch(() => void errors++));

    log("Baseline: the same payloads as plain inserts…");
    await raw`create table bench_plain (id text primary key, customer_id uuid, type text, occurred_at timestamptz, payload jsonb)`;
    const baseline = await inParallel(deliveries, concurrency, async (i) => {
      const event = JSON.parse(bodies[i]!) as { type: string; timestamp: string; data: { customerExternalId: string; productExternalId: string } };
      await raw`insert into bench_plain values (${ids[i]!}, ${customerIds.get(event.data.customerExternalId)!}::uuid, ${event.type}, ${event.timestamp}::timestamptz, ${raw.json({ productExternalId: event.data.productExternalId })})`;
    });

    const count = async () => (await raw<{ events: number; deliveries: number }[]>`select (select count(*)::int from events) as events, (select count(*)::int from webhook_deliveries) as deliveries`)[0]!;
    const stored = await count();
    log("Replaying every delivery once more…");
    let replayErrors = 0;
    await inParallel(deliveries, concurrency, async (i) => {
      const ts = Math.floor(Date.now() / 1000);
      const answer = await receiveWebhook(database, { shopId, body: bodies[i]!, perMinute: Number.MAX_SAFE_INTEGER,
        headers: { id: ids[i]!, timestamp: String(ts), signature: signWebhook(webhookSecret, ids[i]!, ts, bodies[i]!) } });
      if (answer.status !== 200) replayErrors++;
    });
    const after = await count();
    const ratio = Math.round((project / baseline) * 100) / 100;
    return {
      name: "webhook", deliveries, concurrency,
      project_ms: Math.round(project), baseline_ms: Math.round(baseline), ratio,
      project_per_s: Math.round(deliveries / (project / 1000)), baseline_per_s: Math.round(deliveries / (baseline / 1000)),
      errors,
      stored_exactly_once: stored.events === deliveries - errors && stored.deliveries === deliveries - errors,
      replays_stored_nothing: replayErrors === 0 && after.events === stored.events && after.deliveries === stored.deliveries,
      database: "postgres",
      baseline: "one INSERT of the same payload per delivery, as the owner, same concurrency",
    };
  }, { max: concurrency, rawMax: concurrency });
}
