// `regulars bench import`: imports a generated orders CSV (one row per line item) into Postgres
// and compares it, in the same run, with a bare COPY of the same file into an equivalent table
// without indexes. Also reports the import's peak memory, the same rows merged by plain SQL (what
// the tables' keys and indexes cost by themselves), the stored rows written again into tables like
// theirs (what storing them costs any writer), and the same import on PGlite with its ratio to
// Postgres.
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { openDatabase, type Database } from "../../lib/db/client";
import { SeededRandom } from "../../lib/demo/seeded-random";
import { runImport } from "../../lib/ingest/run-import";
import { createShop } from "../../lib/shops/create-shop";
import { withBenchDatabase } from "./bench-database";
import { timeStoring } from "./storage-floor";

export interface ImportBenchResult {
  name: "import";
  rows: number;
  project_ms: number;
  baseline_ms: number;
  ratio: number;
  peak_rss_mb: number;
  /** Plain SQL merging the COPY'd rows into the real tables, no validation: what indexes and keys alone cost. */
  set_based_floor_ms: number;
  /** The floor's statements one by one: where the keys and indexes cost. */
  floor_steps_ms: Record<string, number>;
  /**
   * The floor's stored customers, orders and lines written again by INSERT … SELECT into tables
   * like theirs (keys and indexes, no row-level security, no triggers, no lookups): what storing the
   * rows costs any writer, whatever it does before. Its ratio to the baseline is the least the
   * import's can be.
   */
  storage_floor_ms: number;
  storage_floor_steps_ms: Record<string, number>;
  storage_floor_ratio: number;
  pglite_ms: number | null;
  /** PGlite's import time over Postgres's. */
  pglite_ratio: number | null;
  imported: number;
  rejected: number;
  database: string;
}

/** Writes `rows` order lines: about four lines per order, 50 orders per 1,000 customers. */
export async function writeOrdersCsv(file: string, rows: number): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const rng = new SeededRandom(`bench-import-${rows}`);
  const customers = Math.max(10, Math.round(rows / 20));
  async function* lines() {
    yield "order_id,customer_id,customer_email,placed_at,total,currency,product_id,product_name,category,quantity,price\n";
    let written = 0;
    let order = 0;
    let chunk = "";
    while (written < rows) {
      order += 1;
      const c = rng.int(1, customers);
      const day = new Date(Date.UTC(2024, 0, 1) + rng.int(0, 700) * 86_400_000 + rng.int(0, 86_399) * 1000).toISOString();
      const n = Math.min(rows - written, rng.int(1, 7));
      const items = Array.from({ length: n }, () => ({ p: rng.int(1, 500), q: rng.int(1, 3), price: rng.int(100, 9_999) }));
      const total = items.reduce((s, it) => s + it.q * it.price, 0);
      for (const it of items) {
        chunk += `O${order},C${c},c${c}@example.com,${day},${(total / 100).toFixed(2)},EUR,P${it.p},Product ${it.p},Category ${it.p % 12},${it.q},${(it.price / 100).toFixed(2)}\n`;
      }
      written += n;
      if (chunk.length > 1 << 20) {
        yield chunk;
        chunk = "";
      }
    }
    yield chunk;
  }
  await pipeline(lines, fs.createWriteStream(file));
}

async function timeImport(database: Database, file: string, label: string, log: (s: string) => void) {
  const { shopId } = await createShop({ name: `Bench ${label}`, ownerEmail: `bench-${Date.now()}@example.com`, ownerPassword: "bench password 1" }, { database });
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = performance.now();
  try {
    let logged = 0;
    const result = await runImport({ shopId, database }, file, { kind: "orders", fileName: path.basename(file) }, {
      onProgress: ({ rows }) => {
        if (Math.floor(rows / 100_000) === Math.floor(logged / 100_000)) return;
        logged = rows;
        log(`  ${label}: ${rows} rows`);
      },
    });
    return { ms: performance.now() - started, peak, result };
  } finally {
    clearInterval(sampler);
  }
}

export async function benchImport(options: { rows: number; url: string; pglite: boolean; dir: string; log: (s: string) => void }): Promise<ImportBenchResult> {
  const { rows, url, log } = options;
  const file = path.join(options.dir, `orders-${rows}.csv`);
  if (!fs.existsSync(file)) {
    log(`Writing ${rows} order lines to ${file}…`);
    await writeOrdersCsv(file, rows);
  }

  return withBenchDatabase(url, "import", async ({ database, raw }) => {
    log("Baseline: COPY into an unindexed table…");
    await raw`create table bench_copy (order_id text, customer_id text, customer_email text, placed_at timestamptz, total numeric,
      currency text, product_id text, product_name text, category text, quantity int, price numeric)`;
    const copyStarted = performance.now();
    await pipeline(fs.createReadStream(file), await raw`copy bench_copy from stdin with (format csv, header true)`.writable());
    const baselineMs = performance.now() - copyStarted;

    log("Regulars import into Postgres…");
    const project = await timeImport(database, file, "postgres", log);

    log("Floor: the same rows merged into the real tables by plain SQL…");
    const floor = await createShop({ name: "Bench floor", ownerEmail: `floor-${Date.now()}@example.com`, ownerPassword: "bench password 1" }, { database });
    // The import makes its time-ordered ids itself, as it reads; so does the floor, before its clock
    // starts (the columns' default, regulars_uuid7(), costs about 9 µs a row in SQL, which would
    // count a million calls the import never makes). Sequential ids grow the keys at one end, as
    // one import's UUIDv7 ids do.
    const id = (n: string) => `('00000000-0000-7000-8000-' || lpad(to_hex(${n}), 12, '0'))::uuid`;
    await raw.unsafe(`create table floor_customer_ids as select customer_id, ${id("row_number() over (order by customer_id)")} as id from (select distinct customer_id from bench_copy) c`);
    await raw.unsafe(`create table floor_order_ids as select order_id, ${id("row_number() over (order by order_id)")} as id from (select distinct order_id from bench_copy) o`);
    await raw.unsafe(`create table floor_lines as select ${id("row_number() over ()")} as id, * from bench_copy`);
    await raw`analyze floor_customer_ids, floor_order_ids, floor_lines`;
    const floorStarted = performance.now();
    const floorSteps: Record<string, number> = {};
    await raw.begin(async (q) => {
      const shop = floor.shopId;
      const step = async (name: string, query: () => Promise<unknown>) => {
        const started = performance.now();
        await query();
        floorSteps[name] = Math.round(performance.now() - started);
      };
      await step("customers", () => q`insert into customers (shop_id, id, external_id, email)
              select distinct on (s.customer_id) ${shop}::uuid, i.id, s.customer_id, s.customer_email
                from bench_copy s join floor_customer_ids i using (customer_id) order by s.customer_id`);
      await step("products", () => q`insert into products (shop_id, external_id, name, category)
              select distinct on (product_id) ${shop}::uuid, product_id, product_name, category from bench_copy order by product_id`);
      await step("orders", () => q`insert into orders (shop_id, id, external_id, customer_id, placed_at, total_minor, currency)
              select distinct on (s.order_id) ${shop}::uuid, i.id, s.order_id, c.id, s.placed_at, (s.total * 100)::bigint, s.currency
                from bench_copy s join floor_order_ids i using (order_id)
                join customers c on c.shop_id = ${shop}::uuid and c.external_id = s.customer_id order by s.order_id`);
      await step("order_items", () => q`insert into order_items (shop_id, id, order_id, product_id, name, category, quantity, price_minor)
              select ${shop}::uuid, s.id, o.id, p.id, s.product_name, s.category, s.quantity, (s.price * 100)::bigint
                from floor_lines s join orders o on o.shop_id = ${shop}::uuid and o.external_id = s.order_id
                join products p on p.shop_id = ${shop}::uuid and p.external_id = s.product_id`);
    });
    const floorMs = performance.now() - floorStarted;

    log("Storage floor: the stored rows written again into tables like theirs, with their keys and indexes…");
    const storageSteps: Record<string, number> = {};
    for (const table of ["customers", "orders", "order_items"]) storageSteps[table] = Math.round(await timeStoring(raw, table, floor.shopId));
    const storageMs = Object.values(storageSteps).reduce((a, b) => a + b, 0);

    let pglite: { ms: number } | null = null;
    if (options.pglite) {
      log("Regulars import into PGlite…");
      // On disk, as a shop runs it; in memory the data itself would count against the process.
      const pgliteDir = fs.mkdtempSync(path.join(options.dir, "pglite-"));
      const embedded = await openDatabase({ kind: "pglite", dir: pgliteDir });
      try {
        pglite = await timeImport(embedded, file, "pglite", log);
      } finally {
        await embedded.close();
        fs.rmSync(pgliteDir, { recursive: true, force: true });
      }
    }
    return {
      name: "import",
      rows,
      project_ms: Math.round(project.ms),
      baseline_ms: Math.round(baselineMs),
      ratio: Number((project.ms / baselineMs).toFixed(2)),
      peak_rss_mb: Math.round(project.peak / 2 ** 20),
      set_based_floor_ms: Math.round(floorMs),
      floor_steps_ms: floorSteps,
      storage_floor_ms: storageMs,
      storage_floor_steps_ms: storageSteps,
      storage_floor_ratio: Number((storageMs / baselineMs).toFixed(2)),
      pglite_ms: pglite && Math.round(pglite.ms),
      pglite_ratio: pglite && Number((pglite.ms / project.ms).toFixed(2)),
      imported: project.result.imported,
      rejected: project.result.rejected,
      database: "postgres",
    };
  });
}
