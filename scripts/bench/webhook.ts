// `regulars bench webhook`: the sustained rate of accepted signed deliveries that the production
// server (`next start`) takes over HTTP, loaded by autocannon for N seconds (every request a new
// webhook-id with a fresh signature), against a bare node:http server doing the same signature
// check plus one INSERT of the delivery (webhook-baseline-server.ts), loaded the same way in the
// same run, on the same throwaway Postgres database. After each run the stored rows are compared
// with the answers: every accepted delivery must be stored exactly once. The same deliveries
// through receiveWebhook called in this process (no HTTP, no Next.js) split the gap between the
// framework and the app's own work.
import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { createShop } from "../../lib/shops/create-shop";
import { receiveWebhook } from "../../lib/webhooks/receive-event";
import { signWebhook } from "../../lib/webhooks/verify-webhook";
import { withBenchDatabase } from "./bench-database";
import { freePort, startNextServer, stopChild } from "./next-server";
import { checkStoredOnce, signedWebhookRequests, type DeliveryLedger, type StoredOnceCheck } from "./webhook-requests";

const CUSTOMERS = 500;
const WARM_UP_SECONDS = 3;

interface LoadRun {
  per_s: number;
  /** Non-2xx answers, connection errors and timeouts. */
  errors: number;
  latency_ms: { p50: number; p99: number };
  check: StoredOnceCheck;
}

export interface WebhookBenchResult {
  name: "webhook";
  seconds: number;
  connections: number;
  /** Milliseconds per 1,000 accepted deliveries at the sustained rate through `next start`. */
  project_ms: number;
  /** The same for the bare node:http server. */
  baseline_ms: number;
  /** project_ms ÷ baseline_ms (= the bare server's rate ÷ the app's): how many times slower; lower is better. */
  ratio: number;
  project_per_s: number;
  baseline_per_s: number;
  /** receiveWebhook called in this process, same concurrency: the app's own work without HTTP or Next.js. */
  in_process_per_s: number;
  /** The app's non-2xx answers, connection errors and timeouts (must be 0). */
  errors: number;
  baseline_errors: number;
  /** Every delivery the app accepted is one delivery row and one event, and nothing else was stored. */
  stored_exactly_once: boolean;
  project: LoadRun & { events: StoredOnceCheck };
  baseline_run: LoadRun;
  /** The machine's 1-minute load average at the start and the end: other work on it skews both sides. */
  load_average: [number, number];
  cores: number;
  database: string;
  baseline: string;
}

/** Rows stop changing once the server has finished the requests still in flight when the load stopped. */
async function settled(count: () => Promise<number>): Promise<void> {
  let last = -1;
  for (let i = 0; i < 40; i++) {
    const now = await count();
    if (now === last) return;
    last = now;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function load(url: string, options: { path: string; secret: string; prefix: string; seconds: number; connections: number }): Promise<{ result: autocannon.Result; ledger: DeliveryLedger }> {
  const { requests, ledger } = signedWebhookRequests({ path: options.path, secret: options.secret, prefix: options.prefix, customers: CUSTOMERS });
  const result = await autocannon({ url, connections: options.connections, pipelining: 1, duration: options.seconds, timeout: 30, requests });
  return { result, ledger };
}

function summarize(result: autocannon.Result, ledger: DeliveryLedger, check: StoredOnceCheck): LoadRun {
  return {
    per_s: Math.round(ledger.accepted.size / result.duration),
    errors: result.non2xx + result.errors + result.timeouts,
    latency_ms: { p50: result.latency.p50, p99: result.latency.p99 },
    check,
  };
}

async function startBaselineServer(root: string, env: Record<string, string>): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/bench/webhook-baseline-server.ts")], {
    cwd: root,
    env: { ...process.env, ...env, BENCH_PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
      if (output.includes("listening")) resolve();
    });
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.once("exit", (code) => reject(new Error(`The baseline server stopped (exit ${code}): ${output.slice(-2000)}`)));
  });
  const stop = () => stopChild(child);
  return { url: `http://127.0.0.1:${port}`, stop };
}

export async function benchWebhook(options: { root: string; seconds: number; connections: number; url: string; log: (s: string) => void }): Promise<WebhookBenchResult> {
  const { root, url, log, seconds, connections } = options;
  const loadAtStart = os.loadavg()[0]!;
  return withBenchDatabase(url, "webhook", async ({ database, raw, url: databaseUrl }) => {
    const { shopId, webhookSecret } = await createShop({ name: "Bench webhook", ownerEmail: `bench-${Date.now()}@example.com`, ownerPassword: "bench password 1" }, { database });
    // The customers exist already, so each delivery writes its delivery row and one event.
    await raw`insert into customers (shop_id, external_id) select ${shopId}::uuid, 'c-' || g from generate_series(0, ${CUSTOMERS - 1}) g`;
    const target = { path: `/api/webhooks/${shopId}`, secret: webhookSecret, connections };

    log("Starting next start against the benchmark database…");
    const next = await startNextServer({
      root,
      env: { DATABASE_URL: databaseUrl, WEBHOOKS_PER_MINUTE: "10000000", SEGMENT_REFRESH_HOURS: "0", WORKER_IN_SERVER: "0" },
    });
    let app: { result: autocannon.Result; ledger: DeliveryLedger };
    try {
      const nextUrl = `http://127.0.0.1:${next.port}`;
      log(`Warming up for ${WARM_UP_SECONDS} s…`);
      await load(nextUrl, { ...target, prefix: "warm-", seconds: WARM_UP_SECONDS });
      log(`Loading POST /api/webhooks/{shop} for ${seconds} s with ${connections} connections…`);
      app = await load(nextUrl, { ...target, prefix: "app-", seconds });
      await settled(async () => (await raw<{ n: number }[]>`select count(*)::int as n from webhook_deliveries where id like 'app-%'`)[0]!.n);
    } finally {
      await next.stop();
    }
    const deliveryIds = (await raw<{ id: string }[]>`select id from webhook_deliveries where id like 'app-%'`).map((r) => r.id);
    const eventIds = (await raw<{ id: string }[]>`select payload->>'productExternalId' as id from events where payload->>'productExternalId' like 'app-%'`).map((r) => r.id);
    const project = { ...summarize(app.result, app.ledger, checkStoredOnce(app.ledger, deliveryIds, connections)), events: checkStoredOnce(app.ledger, eventIds, connections) };

    log("Baseline: a bare node:http server, the same signature check and one INSERT…");
    await raw`create table bench_deliveries (like webhook_deliveries including defaults including indexes)`;
    const bare = await startBaselineServer(root, { DATABASE_URL: databaseUrl, BENCH_SHOP_ID: shopId, BENCH_SECRET: webhookSecret });
    let plain: { result: autocannon.Result; ledger: DeliveryLedger };
    try {
      await load(bare.url, { ...target, prefix: "warm-", seconds: WARM_UP_SECONDS });
      log(`Loading the baseline for ${seconds} s…`);
      plain = await load(bare.url, { ...target, prefix: "bare-", seconds });
      await settled(async () => (await raw<{ n: number }[]>`select count(*)::int as n from bench_deliveries where id like 'bare-%'`)[0]!.n);
    } finally {
      await bare.stop();
    }
    const bareIds = (await raw<{ id: string }[]>`select id from bench_deliveries where id like 'bare-%'`).map((r) => r.id);
    const baseline = summarize(plain.result, plain.ledger, checkStoredOnce(plain.ledger, bareIds, connections));

    log(`The same deliveries through receiveWebhook in this process for ${seconds} s…`);
    const inProcess = await receiveInProcess({ database, shopId, secret: webhookSecret, seconds, connections });

    const projectMs = 1_000_000 / Math.max(project.per_s, 1);
    const baselineMs = 1_000_000 / Math.max(baseline.per_s, 1);
    return {
      name: "webhook", seconds, connections,
      project_ms: Math.round(projectMs), baseline_ms: Math.round(baselineMs),
      ratio: Number((projectMs / baselineMs).toFixed(2)),
      project_per_s: project.per_s, baseline_per_s: baseline.per_s, in_process_per_s: inProcess,
      errors: project.errors, baseline_errors: baseline.errors,
      stored_exactly_once: project.check.ok && project.events.ok,
      project, baseline_run: baseline,
      load_average: [Number(loadAtStart.toFixed(2)), Number(os.loadavg()[0]!.toFixed(2))], cores: os.availableParallelism(),
      database: "postgres",
      baseline: "bare node:http in its own process: read the body, signatureMatches with the secret in memory, one INSERT … ON CONFLICT DO NOTHING of the delivery; same Postgres, pool of 10",
    };
  }, { max: 10, rawMax: 2 });
}

async function receiveInProcess(options: { database: Parameters<typeof receiveWebhook>[0]; shopId: string; secret: string; seconds: number; connections: number }): Promise<number> {
  const { database, shopId, secret } = options;
  const until = performance.now() + options.seconds * 1000;
  let accepted = 0;
  let seq = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: options.connections }, async () => {
    while (performance.now() < until) {
      const n = seq++;
      const id = `direct-${n}`;
      const ts = Math.floor(Date.now() / 1000);
      const body = JSON.stringify({ type: "product.viewed", timestamp: new Date().toISOString(), data: { customerExternalId: `c-${n % CUSTOMERS}`, productExternalId: id } });
      const answer = await receiveWebhook(database, { shopId, body, perMinute: Number.MAX_SAFE_INTEGER, headers: { id, timestamp: String(ts), signature: signWebhook(secret, id, ts, body) } });
      if (answer.status === 202) accepted++;
    }
  }));
  return Math.round(accepted / ((performance.now() - started) / 1000));
}
