// The `regulars` command (DESIGN.md, Contracts). With --json a command prints one JSON object on
// stdout; errors go to stderr as one line with a non-zero exit code.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { createRequire } from "node:module";
import { ensureAuthSecret } from "../lib/auth/ensure-auth-secret";
import type { Database } from "../lib/db/client";
import { DEMO_OWNER, DEMO_VIEWER } from "../lib/demo/demo-accounts";
import { AppError, isAppError } from "../lib/errors";

// A command loads only the modules it uses (`await import` below; the build keeps each one a file
// of its own): `clv fit --summary` starts without the database drivers, drizzle or zod.
let client: typeof import("../lib/db/client") | undefined;
const loadClient = async () => (client ??= await import("../lib/db/client"));
const withShop: typeof import("../lib/db/tenant").withShop = async (shopId, fn) => (await import("../lib/db/tenant")).withShop(shopId, fn);

const root = process.env.REGULARS_ROOT ?? process.cwd();
const require = createRequire(import.meta.url);

const USAGE = `Usage: regulars <command> [options]

  migrate                                   apply database migrations
  demo [--reset] [--no-serve] [--port N]    load the demo shop and start the dashboard
  serve [--port N]                          start the dashboard (builds it first if needed)
  shop create --name N --owner-email E --owner-password P
         [--currency EUR] [--country GB] [--time-zone Europe/London]
  import customers|orders|consent|spend FILE --shop SHOP
         [--number-format 1,234.56|1.234,56] [--date-order day-first|month-first]
         [--time-zone Europe/London] [--map "Header=field" ...]
  segments refresh --shop SHOP              recompute scores, predictions and segment members
  customer get ID|EXTERNAL_ID|EMAIL --shop SHOP   (Regulars id, the platform's id or the email)
  metrics --shop SHOP [--from YYYY-MM] [--to YYYY-MM] [--channel C]   the dashboard's figures (value, CAC, NPS, opt-outs, retention)
  consent verify --shop SHOP [--checkpoint SEQ:HASH]   check the consent ledger's hash chain (exit 3 if broken)
  consent rebuild --shop SHOP [--repair]    derive consent state from the ledger and compare (or replace)
  worker [--once]                           send queued campaign messages (SMTP_URL, SMS_URL, else .data/outbox)
  purge --shop SHOP                         remove raw events past the shop's retention (never the ledger)
  stats lift --control CONV/N --treatment CONV/N   conversion lift with its 95 % interval and p-value
  stats nps --promoters P --passives Q --detractors D   Net Promoter Score with its standard error
  clv fit --summary FILE.csv [--horizon 52]  BG/NBD and Gamma-Gamma on a customer summary
  clv fit --shop SHOP [--horizon 52]         the same on a shop's orders (weeks)
         (columns id,frequency,recency,T[,monetary_value], one time unit; horizon in that unit)
  bench import [--rows 1000000] [--no-pglite]   import speed against a bare COPY (Postgres)
  bench clv [--customers 100000]            model fits on CDNOW and generated customers against scipy
  bench segments [--customers 100000] [--rows 1000000] [--runs 1]   segment refresh against one RFM aggregate
  bench targeting [--customers 100000] [--runs 3]   targeting an audience against one INSERT … SELECT of it (Postgres)
  bench send [--messages 10000] [--workers 2]   sending to a local SMTP server against nodemailer alone
  bench webhook [--seconds 30] [--concurrency 10]   accepted signed deliveries a second on next start against a bare node:http server (Postgres; needs next build)
  bench dashboard [--customers 100000] [--rows 1000000] [--requests 50]   the Overview's answer time (p50/p95) against the System status page (Postgres; needs next build)
  bench cli [--customers 5000]              this command's wall time (clv fit --summary) against node -e 0

  --json   print one JSON object on stdout
Database: DATABASE_URL (Postgres) or PGLITE_DIR (embedded, default .data/pglite).`;

const EXIT: Partial<Record<AppError["code"], number>> = {
  invalid_input: 2,
  conflict: 2,
  not_found: 4,
  database_unavailable: 5,
  database_locked: 5,
};

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: "boolean", default: false },
    reset: { type: "boolean", default: false },
    once: { type: "boolean", default: false },
    "no-serve": { type: "boolean", default: false },
    port: { type: "string" },
    shop: { type: "string" },
    name: { type: "string" },
    "owner-email": { type: "string" },
    "owner-password": { type: "string" },
    customers: { type: "string" },
    "number-format": { type: "string" },
    "date-order": { type: "string" },
    "time-zone": { type: "string" },
    currency: { type: "string" },
    country: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    channel: { type: "string" },
    map: { type: "string", multiple: true },
    rows: { type: "string" },
    requests: { type: "string" },
    runs: { type: "string" },
    seconds: { type: "string" },
    concurrency: { type: "string" },
    summary: { type: "string" },
    horizon: { type: "string" },
    checkpoint: { type: "string" },
    repair: { type: "boolean", default: false },
    "no-pglite": { type: "boolean", default: false },
    control: { type: "string" },
    messages: { type: "string" },
    workers: { type: "string" },
    treatment: { type: "string" },
    promoters: { type: "string" },
    passives: { type: "string" },
    detractors: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});

const log = (line: string) => {
  if (!opts.json) console.log(line);
  else console.error(line);
};
const out = (value: unknown, human: () => string) => console.log(opts.json ? JSON.stringify(value) : human());

function required(name: "shop" | "name" | "owner-email" | "owner-password"): string {
  const value = opts[name];
  if (!value) throw new AppError("invalid_input", `--${name} is required.`);
  return value;
}

async function open(): Promise<Database> {
  const { openDatabase, configFromEnv, setDatabase } = await loadClient();
  const database = await openDatabase(configFromEnv());
  setDatabase(database);
  return database;
}

async function resetData(): Promise<void> {
  const { openDatabase, configFromEnv } = await loadClient();
  const { sql } = await import("drizzle-orm");
  const config = configFromEnv();
  if (config.kind === "pglite") {
    if (config.dir) fs.rmSync(config.dir, { recursive: true, force: true });
    return;
  }
  // On a server, starting over means dropping every table Regulars created in this database.
  log(`Resetting all Regulars data in ${config.url.replace(/:[^:@/]*@/, ":***@")}`);
  const database = await openDatabase(config, { migrate: false });
  try {
    await database.db.execute(sql`drop schema if exists drizzle cascade`);
    await database.db.execute(sql`drop schema public cascade`);
    await database.db.execute(sql`create schema public`);
  } finally {
    await database.close();
  }
}

function newestSourceMtime(): number {
  let newest = 0;
  const visit = (p: string) => {
    const stat = fs.statSync(p, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) for (const entry of fs.readdirSync(p)) visit(path.join(p, entry));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const p of ["app", "components", "lib", "auth.ts", "proxy.ts", "instrumentation.ts", "next.config.mjs", "package-lock.json"]) {
    visit(path.join(root, p));
  }
  return newest;
}

function buildIfNeeded(): void {
  const buildId = path.join(root, ".next", "BUILD_ID");
  const built = fs.statSync(buildId, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (built > newestSourceMtime()) return;
  log("Building the dashboard (first run or code changed)…");
  const result = spawnSync(process.execPath, [require.resolve("next/dist/bin/next"), "build"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) throw new Error("The build failed; see the output above.");
}

async function serve(banner: string[], options: { worker?: boolean } = {}): Promise<void> {
  buildIfNeeded();
  const port = opts.port ?? process.env.PORT ?? "3000";
  const appUrl = process.env.APP_URL ?? `http://localhost:${port}`;
  // The demo sends what its owner approves: a worker process beside the dashboard on Postgres; on the
  // embedded database, which one process alone may open, inside the dashboard's process.
  const separateWorker = options.worker === true && Boolean(process.env.DATABASE_URL);
  const child = spawn(process.execPath, [require.resolve("next/dist/bin/next"), "start", "-p", port], {
    cwd: root,
    stdio: ["inherit", "pipe", "inherit"],
    env: { ...process.env, APP_URL: appUrl, ...(options.worker && !separateWorker ? { WORKER_IN_SERVER: "1" } : {}) },
  });
  const worker = separateWorker
    ? spawn(process.execPath, [path.join(root, "scripts/regulars.mjs"), "worker"], { cwd: root, stdio: "inherit", env: { ...process.env, APP_URL: appUrl } })
    : null;
  child.on("exit", () => worker?.kill("SIGTERM"));
  worker?.on("exit", (code, signal) => {
    if (signal !== "SIGTERM" && code !== 0) console.error(`The sending worker stopped (exit ${code ?? signal}); queued messages wait until it runs again (regulars worker).`);
  });
  let announced = false;
  child.stdout.on("data", (chunk: Buffer) => {
    process.stdout.write(chunk);
    if (!announced && /Ready|started server/i.test(chunk.toString())) {
      announced = true;
      console.log(["", `Regulars is running at http://localhost:${port}`, ...banner, "Press Ctrl+C to stop.", ""].join("\n"));
    }
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => (child.kill(signal), worker?.kill(signal)));
  await new Promise<void>((resolve) => child.on("exit", (code) => ((process.exitCode = code ?? 0), resolve())));
}

async function main(): Promise<void> {
  const [command, sub, arg] = positionals;
  if (opts.help || !command) {
    console.log(USAGE);
    return;
  }
  // A malformed setting fails here, with its name; a fit on a file needs no settings.
  if (!(command === "clv" && opts.summary)) (await import("../lib/env")).readEnv();
  switch (command) {
    case "migrate": {
      const database = await open();
      out({ ok: true, database: database.label }, () => `Migrations applied to ${database.label}.`);
      return;
    }
    case "demo": {
      ensureAuthSecret(root);
      if (opts.reset) await resetData();
      const database = await open();
      const customers = opts.customers ? Number(opts.customers) : undefined;
      const started = Date.now();
      const { ensureDemoShop } = await import("../lib/demo/ensure-demo-shop");
      const demo = await ensureDemoShop(database, { customers, onProgress: (s) => log(`  ${s}`) });
      log(demo.created ? `Demo shop loaded in ${((Date.now() - started) / 1000).toFixed(1)} s.` : "Reusing the demo shop already in the database.");
      await client?.closeDatabase();
      const login = { owner: DEMO_OWNER, viewer: DEMO_VIEWER };
      if (opts["no-serve"]) {
        out({ ...demo, database: database.label, login }, () => `Demo shop ${demo.shopId} in ${database.label}.`);
        return;
      }
      await serve([
        `Sign in as ${DEMO_OWNER.email} / ${DEMO_OWNER.password} (owner)`,
        `      or ${DEMO_VIEWER.email} / ${DEMO_VIEWER.password} (viewer, read-only)`,
        `Approved campaigns are sent by a worker running beside it${process.env.SMTP_URL ? "" : " (as files under .data/outbox; set SMTP_URL for a mail server)"}.`,
      ], { worker: true });
      return;
    }
    case "serve": {
      ensureAuthSecret(root);
      const database = await open(); // migrate, and fail here in one line if the database is not reachable
      await database.close();
      await serve([]);
      return;
    }
    case "shop": {
      if (sub !== "create") throw new AppError("invalid_input", `Unknown shop command "${sub ?? ""}". Use: shop create.`);
      const database = await open();
      const { createShop } = await import("../lib/shops/create-shop");
      const created = await createShop(
        {
          name: required("name"), ownerEmail: required("owner-email"), ownerPassword: required("owner-password"),
          currency: opts.currency, country: opts.country, timeZone: opts["time-zone"],
        },
        { database },
      );
      out(
        { shopId: created.shopId, apiKey: created.apiKey, webhookSecret: created.webhookSecret },
        () => `Shop ${created.shopId} created.\nAPI key (shown once): ${created.apiKey}\nWebhook secret: ${created.webhookSecret}`,
      );
      return;
    }
    case "import": {
      if (!sub || !arg) throw new AppError("invalid_input", "Use: import customers|orders|consent|spend FILE --shop SHOP_ID.");
      const { ImportKindSchema } = await import("../lib/ingest/schemas");
      const kind = ImportKindSchema.safeParse(sub);
      if (!kind.success) throw new AppError("invalid_input", `Unknown import kind "${sub}". Use customers, orders, consent or spend.`);
      if (!fs.existsSync(arg)) throw new AppError("invalid_input", `No file at ${arg}.`);
      const mapping = Object.fromEntries((opts.map ?? []).map((m) => {
        const at = m.lastIndexOf("=");
        if (at < 1) throw new AppError("invalid_input", `--map "${m}": use "Header=field".`);
        return [m.slice(0, at), m.slice(at + 1)];
      }));
      const settings = Object.fromEntries(
        Object.entries({ numberFormat: opts["number-format"], dateOrder: opts["date-order"], timeZone: opts["time-zone"], currency: opts.currency?.toUpperCase(), country: opts.country?.toUpperCase() }).filter(([, v]) => v !== undefined),
      );
      await open();
      const { runImport } = await import("../lib/ingest/run-import");
      const result = await runImport({ shopId: required("shop") }, arg, { kind: kind.data, fileName: path.basename(arg), settings, mapping }, {
        onProgress: ({ rows }) => opts.json || process.stderr.write(`\r  ${rows} rows`),
      });
      if (result.imported + result.updated - result.unchanged > 0) {
        // New data: segments and predictions follow, as they do after an import in the dashboard.
        const { refreshSegments } = await import("../lib/segments/refresh-segments");
        // The import is committed whatever happens here: a failed refresh is reported, not fatal.
        await refreshSegments(required("shop"), { trigger: "import" })
          .then((refreshed) => log(`\nSegments refreshed for ${refreshed.customers} customers with orders.`))
          .catch((e: unknown) => console.error(`regulars: the import is done, but segments were not refreshed: ${e instanceof Error ? e.message : String(e)}`));
      }
      out(result, () =>
        [
          `\nImported ${result.imported}, updated ${result.updated} (${result.unchanged} unchanged), rejected ${result.rejected} of ${result.total} rows.`,
          ...result.errors.slice(0, 20).map((e) => `  row ${e.row}, ${e.column}: ${e.message}`),
          ...result.ignoredColumns.map((c) => `  ignored, not stored: "${c.column}"${c.reason === "sensitive" ? " (sensitive category)" : ""}`),
          ...result.notes.map((n) => `  ${n}`),
        ].join("\n"),
      );
      return;
    }
    case "segments": {
      if (sub !== "refresh") throw new AppError("invalid_input", `Unknown segments command "${sub ?? ""}". Use: segments refresh --shop SHOP_ID.`);
      await open();
      const { refreshSegments } = await import("../lib/segments/refresh-segments");
      const result = await refreshSegments(required("shop"), { trigger: "cli", onProgress: (p) => opts.json || process.stderr.write(`\r  ${p.done}/${p.total} ${p.step}`.padEnd(60)) });
      out(
        { segments: result.segments.map(({ key, name, size }) => ({ key, name, size })), customers: result.customers, computedAt: result.computedAt, model: result.summary.model.status },
        () => [`\n${result.customers} customers with orders scored (${result.summary.model.message})`, ...result.segments.map((s) => `  ${s.name.padEnd(28)} ${s.size}`)].join("\n"),
      );
      return;
    }
    case "clv": {
      if (sub !== "fit") throw new AppError("invalid_input", `Unknown clv command "${sub ?? ""}". Use: clv fit --summary FILE.csv [--horizon WEEKS].`);
      if (!opts.summary && !opts.shop) throw new AppError("invalid_input", "Use: clv fit --summary FILE.csv [--horizon WEEKS], or clv fit --shop SHOP_ID [--horizon WEEKS].");
      if (opts.summary && !fs.existsSync(opts.summary)) throw new AppError("invalid_input", `No file at ${opts.summary}.`);
      const horizon = opts.horizon === undefined ? undefined : Number(opts.horizon);
      if (horizon !== undefined && !(horizon > 0)) throw new AppError("invalid_input", `--horizon must be a positive number of time units, not "${opts.horizon}".`);
      const { readSummaryCsv } = await import("../lib/predict/summary-csv");
      const { fitSummary, DEFAULT_HORIZON } = await import("../lib/predict/fit-summary");
      let fit;
      if (opts.summary) fit = fitSummary(readSummaryCsv(fs.readFileSync(opts.summary, "utf8")).rows, { horizon });
      else {
        // The shop's own orders, summarised in weeks (lib/segments/shop-clv-fit.ts).
        await open();
        const { fitShopClv } = await import("../lib/segments/shop-clv-fit");
        fit = await withShop(required("shop"), (tx) => fitShopClv(tx, { horizon }));
      }
      const { r, alpha, a, b, logLikelihood } = fit.bgnbd;
      const total = fit.customers.reduce((s, c) => s + c.expectedPurchases, 0);
      out(fit, () =>
        [
          `BG/NBD: r ${r.toFixed(3)}, alpha ${alpha.toFixed(3)}, a ${a.toFixed(3)}, b ${b.toFixed(3)} (log-likelihood ${logLikelihood.toFixed(1)})`,
          fit.gammaGamma ? `Gamma-Gamma: p ${fit.gammaGamma.p.toFixed(2)}, q ${fit.gammaGamma.q.toFixed(2)}, v ${fit.gammaGamma.v.toFixed(2)}` : "Gamma-Gamma: no monetary_value column",
          `${fit.customers.length} customers are expected to make ${total.toFixed(0)} repeat purchases in the next ${horizon ?? DEFAULT_HORIZON} time units. --json lists each customer.`,
        ].join("\n"),
      );
      return;
    }
    case "customer": {
      if (sub !== "get" || !arg) throw new AppError("invalid_input", "Use: customer get ID|EXTERNAL_ID|EMAIL --shop SHOP_ID.");
      await open();
      const { getCustomer } = await import("../lib/customers/get-customer");
      const { findCustomerId } = await import("../lib/customers/find-customer");
      const detail = await withShop(required("shop"), async (tx) => getCustomer(tx, await findCustomerId(tx, arg)));
      out(detail, () => `${detail.customer.email ?? detail.customer.id}: ${detail.totals.orders} orders`);
      return;
    }
    case "consent": {
      if (sub === "verify") {
        await open();
        const { parseCheckpoint } = await import("../lib/consent/verify-ledger");
        const { checkLedger } = await import("../lib/consent/ledger-checks");
        const checkpoint = opts.checkpoint === undefined ? null : parseCheckpoint(opts.checkpoint);
        const result = await withShop(required("shop"), (tx) => checkLedger(tx, { checkpoint, source: "cli" }));
        out(result, () =>
          [result.ok ? `ok: ${result.reason}` : `NOT OK: ${result.reason}`, ...(result.firstBadEventId ? [`First bad event: ${result.firstBadEventId}`] : []), `Checkpoint: ${result.headSeq}:${result.headHash ?? ""}`].join("\n"),
        );
        if (!result.ok) process.exitCode = 3;
        return;
      }
      if (sub === "rebuild") {
        await open();
        const { rebuildConsentState } = await import("../lib/consent/rebuild-consent-state");
        const result = await withShop(required("shop"), (tx) => rebuildConsentState(tx, { repair: opts.repair }));
        out(result, () =>
          result.matches
            ? `The stored consent state matches the ledger (${result.derived} customer × channel × purpose rows).`
            : `${result.differences.length} rows differ from the ledger${result.repaired ? "; replaced by the ledger's" : "; run again with --repair to replace them"}.`,
        );
        if (!result.matches && !result.repaired) process.exitCode = 3;
        return;
      }
      throw new AppError("invalid_input", `Unknown consent command "${sub ?? ""}". Use: consent verify --shop SHOP_ID [--checkpoint SEQ:HASH], or consent rebuild --shop SHOP_ID [--repair].`);
    }
    case "worker": {
      // The links in each message are signed with the dashboard's secret, so the pages can read them.
      ensureAuthSecret(root);
      await open();
      const { runWorker, newWorkerId } = await import("../lib/campaigns/run-worker");
      const { closeMailPools } = await import("../lib/mail/send-mail");
      const workerId = newWorkerId();
      const stop = new AbortController();
      for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => stop.abort());
      // WORKER_LEASE_MS: how long a claimed message stays this worker's before another may take it over.
      const leaseMs = process.env.WORKER_LEASE_MS ? Number(process.env.WORKER_LEASE_MS) : undefined;
      if (leaseMs !== undefined && !(Number.isInteger(leaseMs) && leaseMs >= 1000)) throw new AppError("invalid_input", "WORKER_LEASE_MS must be a whole number of milliseconds, at least 1000.");
      log(`Worker ${workerId} sending queued messages${opts.once ? " until none is due" : " (Ctrl+C to stop)"}…`);
      try {
        const tally = await runWorker({ workerId, once: opts.once, signal: stop.signal, leaseMs });
        out({ workerId, ...tally }, () => `Sent ${tally.sent}, skipped ${tally.skipped}, to retry ${tally.retry}, failed ${tally.failed}.`);
      } finally {
        closeMailPools();
      }
      return;
    }
    case "purge": {
      await open();
      const { purgeExpired } = await import("../lib/privacy/purge-expired");
      const result = await withShop(required("shop"), (tx) => purgeExpired(tx));
      out(result, () =>
        [
          `Removed ${result.removed} raw events past their retention (marketing ${result.retentionMonths.marketingMonths}, personalization ${result.retentionMonths.personalizationMonths}, other ${result.retentionMonths.otherMonths} months).`,
          ...Object.entries(result.byType).map(([type, n]) => `  ${type.padEnd(20)} ${n}`),
          `${result.remaining} kept${result.oldestKept ? `, the oldest from ${result.oldestKept}` : ""}. The consent ledger is never purged.`,
        ].join("\n"),
      );
      return;
    }
    case "stats": {
      const { statsCommand } = await import("./stats-command");
      const { value, text } = statsCommand(sub, opts);
      out(value, () => text);
      return;
    }
    case "metrics": {
      await open();
      const { getShopMetrics } = await import("../lib/metrics/get-shop-metrics");
      const { metricsText } = await import("./metrics-text");
      const metrics = await withShop(required("shop"), (tx) => getShopMetrics(tx, { from: opts.from, to: opts.to, channel: opts.channel }));
      const { overviewCards } = await import("../lib/metrics/overview-cards");
      out({ ...metrics, cards: overviewCards(metrics) }, () => metricsText(metrics));
      return;
    }
    case "bench": {
      if (sub === "clv") {
        const { benchClv } = await import("./bench/clv");
        const customers = Number(opts.customers ?? 100_000);
        if (!Number.isInteger(customers) || customers < 1) throw new AppError("invalid_input", "--customers must be a positive whole number.");
        const result = await benchClv({ dataDir: path.resolve(root, "../shared/data/cdnow"), customers, log });
        out(result, () => JSON.stringify(result, null, 2));
        return;
      }
      if (sub === "cli") {
        const { benchCli } = await import("./bench/cli");
        const customers = Number(opts.customers ?? 5_000);
        if (!Number.isInteger(customers) || customers < 1) throw new AppError("invalid_input", "--customers must be a positive whole number.");
        const result = await benchCli({ root, customers, log });
        out(result, () => JSON.stringify(result, null, 2));
        return;
      }
      if (sub === "segments") {
        const { benchSegments } = await import("./bench/segments");
        const url = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
        const customers = Number(opts.customers ?? 100_000);
        const rows = Number(opts.rows ?? 1_000_000);
        const runs = Number(opts.runs ?? 1);
        if (![customers, rows, runs].every((n) => Number.isInteger(n) && n > 0)) throw new AppError("invalid_input", "--customers, --rows and --runs must be positive whole numbers.");
        const result = await benchSegments({ customers, orders: rows, runs, url, log });
        out(result, () => JSON.stringify(result, null, 2));
        return;
      }
      if (sub === "dashboard") {
        const { benchDashboard } = await import("./bench/dashboard");
        const url = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
        const customers = Number(opts.customers ?? 100_000);
        const orders = Number(opts.rows ?? 1_000_000);
        const requests = Number(opts.requests ?? 50);
        if (![customers, orders, requests].every((n) => Number.isInteger(n) && n > 0)) throw new AppError("invalid_input", "--customers, --rows and --requests must be positive whole numbers.");
        const result = await benchDashboard({ root, url, customers, orders, requests, log });
        out(result, () => JSON.stringify(result, null, 2));
        return;
      }
      if (sub === "webhook") {
        const { benchWebhook } = await import("./bench/webhook");
        const url = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
        const seconds = Number(opts.seconds ?? 30);
        const connections = Number(opts.concurrency ?? 10);
        if (![seconds, connections].every((n) => Number.isInteger(n) && n > 0)) throw new AppError("invalid_input", "--seconds and --concurrency must be positive whole numbers.");
        const result = await benchWebhook({ root, seconds, connections, url, log });
        out(result, () => JSON.stringify(result, null, 2));
        return;
      }
      if (sub === "targeting") {
        const { benchTargeting } = await import("./bench/targeting");
        const url = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
        const customers = Number(opts.customers ?? 100_000);
        const runs = Number(opts.runs ?? 3);
        if (![customers, runs].every((n) => Number.isInteger(n) && n > 0)) throw new AppError("invalid_input", "--customers and --runs must be positive whole numbers.");
        const result = await benchTargeting({ customers, runs, url, log });
        out(result, () => JSON.stringify(result, null, 2));
        return;
      }
      if (sub === "send") {
        const { benchSend } = await import("./bench/send");
        const url = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
        const messages = Number(opts.messages ?? 10_000);
        const workers = Number(opts.workers ?? 2);
        if (![messages, workers].every((n) => Number.isInteger(n) && n > 0)) throw new AppError("invalid_input", "--messages and --workers must be positive whole numbers.");
        const result = await benchSend({ messages, workers, url, log });
        out(result, () => JSON.stringify(result, null, 2));
        return;
      }
      if (sub !== "import") throw new AppError("invalid_input", `Unknown benchmark "${sub ?? ""}". Available: import, clv, segments, targeting, send, webhook, dashboard, cli.`);
      const { benchImport } = await import("./bench/import");
      const url = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
      const rows = Number(opts.rows ?? 1_000_000);
      if (!Number.isInteger(rows) || rows < 1) throw new AppError("invalid_input", "--rows must be a positive whole number.");
      const result = await benchImport({ rows, url, pglite: !opts["no-pglite"], dir: path.join(root, ".data/bench"), log });
      out(result, () => JSON.stringify(result, null, 2));
      return;
    }
    default:
      throw new AppError("invalid_input", `Unknown command "${command}".\n${USAGE}`);
  }
}

main()
  .catch((e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    console.error(`regulars: ${message}`);
    process.exitCode = isAppError(e) ? (EXIT[e.code] ?? 1) : 1;
    if (isAppError(e)) for (const f of e.fields) console.error(`  ${f.field}: ${f.message}`);
  })
  .finally(() => client?.closeDatabase().catch(() => {}));
