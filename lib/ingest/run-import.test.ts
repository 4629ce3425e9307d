import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { asc, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { makeShop } from "../../test/factories";
import { queryRows, type Database } from "../db/client";
import { consentEvents, consentState, customers, importRejectedRows, imports, orderItems, orders, shops, spend } from "../db/schema";
import { withShop } from "../db/tenant";
import { runImport } from "./run-import";
import type { ImportOptions } from "./schemas";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "regulars-import-"));
let n = 0;
const file = (content: string) => {
  const p = path.join(dir, `import-${++n}.csv`);
  fs.writeFileSync(p, content);
  return p;
};

const CUSTOMERS = [
  "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Accepts SMS Marketing,Religion,Loyalty tier",
  "C1,Ann,Lee,ann@example.com,yes,no,x,gold",
  "C2,Bob,Ray,bob@example.com,,,,",
  "C3,Cy,Oh,not-an-email,yes,,,",
  "C1,Ann,Again,ann.two@example.com,no,,,",
  "C4,Di,Fox,di@example.com,maybe,,,",
].join("\n");

const ORDERS = [
  "order_id,customer_id,customer_email,placed_at,total,currency,product_id,product_name,category,quantity,price",
  "O1,C1,ann@example.com,2026-03-01 10:00,30.00,EUR,P1,Tube,Parts,2,10.00",
  "O1,C1,ann@example.com,2026-03-01 10:00,,EUR,P2,Coffee,Coffee,1,10.00",
  "O2,C9,new@example.com,2026-03-02,12.50,EUR,,,,,",
  "O3,,,2026-03-03,5.00,EUR,,,,,",
  "O4,C2,bob@example.com,2026-03-04,-5.00,EUR,,,,,",
].join("\n");

describe.each(engines())("imports on $name", (engine) => {
  let database: Database;
  let shopId: string;
  const now = new Date("2026-04-01T12:00:00Z");
  const run = (p: string, options: ImportOptions) => runImport({ shopId, database }, p, options, { now });

  beforeAll(async () => {
    database = await engine.open();
    shopId = (await makeShop(database)).shopId;
  });
  afterAll(() => database?.close());

  it("imports the good customer rows, reports each bad one, and never stores ignored or sensitive columns", async () => {
    const p = file(CUSTOMERS);
    const result = await run(p, { kind: "customers", fileName: "customers.csv" });
    expect(result).toMatchObject({ total: 5, imported: 2, updated: 0, rejected: 3 });
    expect(result.imported + result.updated + result.rejected).toBe(result.total);
    expect(result.errors).toEqual([
      { row: 4, column: "Email", message: '"not-an-email" is not an email address.' },
      { row: 5, column: "(row)", message: "The same customer appears earlier in this file (row 2); this row was not imported." },
      { row: 6, column: "Accepts Email Marketing", message: '"maybe" is neither yes nor no.' },
    ]);
    expect(result.ignoredColumns).toEqual([
      { column: "Religion", reason: "sensitive" },
      { column: "Loyalty tier", reason: "unknown" },
    ]);
    const stored = await withShop(shopId, (tx) => tx.select().from(customers).orderBy(asc(customers.externalId)), database);
    expect(stored.map((c) => [c.externalId, c.email, c.firstName])).toEqual([["C1", "ann@example.com", "Ann"], ["C2", "bob@example.com", "Bob"]]);
    expect(JSON.stringify(stored)).not.toContain("gold");

    const rejected = await withShop(shopId, (tx) => tx.select().from(importRejectedRows).where(eq(importRejectedRows.importId, result.importId)).orderBy(asc(importRejectedRows.row)), database);
    expect(rejected.map((r) => [r.row, r.values[0]])).toEqual([[4, "C3"], [5, "C1"], [6, "C4"]]);
  });

  it("creates consent only from the evidence column: a grant with method import, the file's hash and the row", async () => {
    const events = await withShop(shopId, (tx) => tx.select().from(consentEvents), database);
    expect(events).toHaveLength(1);
    const [imp] = await withShop(shopId, (tx) => tx.select().from(imports).orderBy(asc(imports.createdAt)).limit(1), database);
    expect(events[0]).toMatchObject({
      channel: "email", purpose: "marketing", action: "grant", method: "import", actorType: "import",
      evidence: { fileSha256: imp!.fileSha256, fileName: "customers.csv", row: 2, column: "Accepts Email Marketing" },
    });
    // Bob's empty cell and Ann's SMS "no" (with no SMS consent held) record nothing.
    const state = await withShop(shopId, (tx) => tx.select().from(consentState), database);
    expect(state.map((s) => [s.channel, s.granted])).toEqual([["email", true]]);
  });

  it("changes nothing when the same file comes again, and updates from an updated file", async () => {
    const again = await run(file(CUSTOMERS), { kind: "customers", fileName: "customers.csv" });
    expect(again).toMatchObject({ total: 5, imported: 0, updated: 2, unchanged: 2, rejected: 3 });
    expect((await withShop(shopId, (tx) => tx.select({ n: count() }).from(consentEvents), database))[0]?.n).toBe(1);

    const changed = await run(file("Customer ID,Email,Last Name,Accepts Email Marketing\nC2,bob@example.com,Rayner,\nC1,ann@example.com,,no\n"), { kind: "customers", fileName: "fix.csv" });
    expect(changed).toMatchObject({ total: 2, imported: 0, updated: 2, unchanged: 0, rejected: 0 });
    const bob = await withShop(shopId, (tx) => tx.select().from(customers).where(eq(customers.externalId, "C2")), database);
    expect(bob[0]).toMatchObject({ firstName: "Bob", lastName: "Rayner" });
    const state = await withShop(shopId, (tx) => tx.select().from(consentState), database);
    expect(state.map((s) => [s.channel, s.granted])).toEqual([["email", false]]);
  });

  it("groups order lines, creates unknown customers, and is idempotent", async () => {
    const p = file(ORDERS);
    const result = await run(p, { kind: "orders", fileName: "orders.csv" });
    expect(result).toMatchObject({ total: 5, imported: 3, updated: 0, rejected: 2 });
    expect(result.errors.map((e) => [e.row, e.column])).toEqual([[5, "(row)"], [6, "total"]]);
    const o1 = await withShop(shopId, (tx) => tx.select().from(orders).where(eq(orders.externalId, "O1")), database);
    expect(o1[0]?.totalMinor).toBe(3000);
    const items = await withShop(shopId, (tx) => tx.select().from(orderItems).where(eq(orderItems.orderId, o1[0]!.id)), database);
    expect(items.map((i) => [i.name, i.quantity, i.priceMinor]).sort()).toEqual([["Coffee", 1, 1000], ["Tube", 2, 1000]]);
    const created = await withShop(shopId, (tx) => tx.select().from(customers).where(eq(customers.externalId, "C9")), database);
    expect(created[0]?.email).toBe("new@example.com");

    const again = await run(p, { kind: "orders", fileName: "orders.csv" });
    expect(again).toMatchObject({ total: 5, imported: 0, updated: 3, unchanged: 3, rejected: 2 });
    const itemsAfter = await withShop(shopId, (tx) => tx.select().from(orderItems).where(eq(orderItems.orderId, o1[0]!.id)), database);
    expect(itemsAfter.map((i) => i.id).sort()).toEqual(items.map((i) => i.id).sort());
  });

  it("keeps an order whole when its lines cross a batch of a thousand rows, and a second run changes nothing", async () => {
    // 995 one-line orders, then one order of 12 lines across row 1,000, then 10 more one-line orders.
    const lines = ["order_id,customer_email,placed_at,currency,product_name,quantity,price"];
    for (let i = 0; i < 995; i++) lines.push(`S${i},s${i % 50}@example.com,2026-02-01,EUR,Mug,1,4.00`);
    for (let j = 0; j < 12; j++) lines.push(`BIG,big@example.com,2026-02-02,EUR,Part ${j},1,1.00`);
    for (let i = 995; i < 1005; i++) lines.push(`S${i},s${i % 50}@example.com,2026-02-01,EUR,Mug,1,4.00`);
    const p = file(lines.join("\n"));
    const inBatchesOf1000 = (path: string) => runImport({ shopId, database }, path, { kind: "orders", fileName: "many.csv" }, { now, batchSize: 1000 });
    const first = await inBatchesOf1000(p);
    expect(first).toMatchObject({ total: 1017, imported: 1017, rejected: 0 });
    const [big] = await withShop(shopId, (tx) => tx.select().from(orders).where(eq(orders.externalId, "BIG")), database);
    expect(big?.totalMinor).toBe(1200);
    const items = await withShop(shopId, (tx) => tx.select().from(orderItems).where(eq(orderItems.orderId, big!.id)), database);
    expect(items).toHaveLength(12);

    const again = await inBatchesOf1000(p);
    expect(again).toMatchObject({ total: 1017, imported: 0, updated: 1017, unchanged: 1017, rejected: 0 });
  });

  it("keeps every line of an order whose lines lie far apart, with memory bounded", async () => {
    // FAR's lines open and close the file; in between, more than a batch of rows and more orders than the import remembers.
    const lines = ["order_id,customer_email,placed_at,currency,product_name,quantity,price"];
    lines.push("FAR,far@example.com,2026-02-03,EUR,First part,1,2.00");
    for (let i = 0; i < 1100; i++) lines.push(`M${i},m${i % 40}@example.com,2026-02-03,EUR,Mug,1,4.00`);
    lines.push("FAR,far@example.com,2026-02-03,EUR,Last part,1,3.00");
    const p = file(lines.join("\n"));
    const result = await runImport({ shopId, database }, p, { kind: "orders", fileName: "far.csv" }, { now, memoLimit: 5, batchSize: 1000 });
    expect(result).toMatchObject({ total: 1102, imported: 1102, rejected: 0 });
    const [far] = await withShop(shopId, (tx) => tx.select().from(orders).where(eq(orders.externalId, "FAR")), database);
    expect(far?.totalMinor).toBe(500);
    const items = await withShop(shopId, (tx) => tx.select().from(orderItems).where(eq(orderItems.orderId, far!.id)), database);
    expect(items.map((i) => i.name).sort()).toEqual(["First part", "Last part"]);
  });

  it("reads amounts and dates by the owner's settings", async () => {
    const result = await run(file("Bestellnummer;E-Mail;Datum;Summe\nB1;eva@example.com;31.03.2026 18:30;1.234,50\n"), {
      kind: "orders", fileName: "de.csv",
      settings: { numberFormat: "1.234,56", dateOrder: "day-first", timeZone: "Europe/Berlin" },
      mapping: { Bestellnummer: "orderId", "E-Mail": "customerEmail", Datum: "placedAt", Summe: "total" },
    });
    expect(result).toMatchObject({ imported: 1, rejected: 0 });
    const [b1] = await withShop(shopId, (tx) => tx.select().from(orders).where(eq(orders.externalId, "B1")), database);
    expect(b1).toMatchObject({ totalMinor: 123450, placedAt: new Date("2026-03-31T16:30:00Z") });
  });

  it("reads dates without a zone in the shop's time zone unless told otherwise", async () => {
    await withShop(shopId, (tx) => tx.update(shops).set({ timeZone: "Europe/Berlin" }).where(eq(shops.id, shopId)), database);
    await run(file("order_id,customer_email,placed_at,total\nZ1,tz@example.com,2026-01-10 09:00,1.00\n"), { kind: "orders", fileName: "tz.csv" });
    const [z1] = await withShop(shopId, (tx) => tx.select().from(orders).where(eq(orders.externalId, "Z1")), database);
    expect(z1?.placedAt.toISOString()).toBe("2026-01-10T08:00:00.000Z");
    await expect(run(file("order_id,customer_email,placed_at,total\nZ2,tz@example.com,2026-01-10,1.00\n"), { kind: "orders", fileName: "x.csv", settings: { timeZone: "Mars/Olympus" } })).rejects.toThrow(/time zone/);
  });

  it("imports consent evidence and spend, refusing unknown customers and doubled months", async () => {
    const consent = await run(file("customer_email,channel,purpose,action,occurred_at\nbob@example.com,sms,marketing,grant,2026-03-01T09:00:00Z\nzed@example.com,email,marketing,grant,2026-03-01\n"), { kind: "consent", fileName: "consent.csv" });
    expect(consent).toMatchObject({ total: 2, imported: 1, rejected: 1 });
    expect(consent.errors[0]?.message).toBe("No customer zed@example.com in this shop; import the customers first.");
    const spent = await run(file("month,channel,amount\n2026-01,Paid Social,\"1,200.00\"\n2026-01,paid social,5\n2026-02,search,-1\n"), { kind: "spend", fileName: "spend.csv" });
    expect(spent).toMatchObject({ total: 3, imported: 1, rejected: 2 });
    const rows = await withShop(shopId, (tx) => tx.select().from(spend), database);
    expect(rows.map((r) => [r.channel, r.month, r.amountMinor])).toEqual([["paid_social", "2026-01-01", 120000]]);
  });

  it("changes nothing when a file fails as a whole", async () => {
    const before = (await withShop(shopId, (tx) => tx.select({ n: count() }).from(imports), database))[0]?.n;
    await expect(run(file("email,first_name\nx@example.com,X\n"), { kind: "orders", fileName: "wrong.csv" })).rejects.toThrow(/does not look like a file of orders/);
    await expect(run(file(""), { kind: "customers", fileName: "empty.csv" })).rejects.toThrow(/empty/);
    const after = (await withShop(shopId, (tx) => tx.select({ n: count() }).from(imports), database))[0]?.n;
    expect(after).toBe(before);
    expect((await withShop(shopId, (tx) => tx.select().from(customers).where(eq(customers.email, "x@example.com")), database))).toEqual([]);
  });

  it("tells the planner about a new shop's rows as soon as the first batch of its import is in", async () => {
    // Without it, statistics gathered before the shop existed say it has no orders, and every
    // later batch's lookups walk all of the shop's rows: an import slows down with every batch.
    const fresh = (await makeShop(database, "New shop")).shopId;
    const lines = ["order_id,customer_email,placed_at,currency,product_name,quantity,price"];
    for (let i = 0; i < 2500; i++) lines.push(`N${i},n${i % 400}@example.com,2026-02-01,EUR,Mug,1,4.00`);
    const checks: Promise<boolean>[] = [];
    const shopsKnown = async () => {
      const [stats] = await queryRows<{ vals: string | null }>(database.db, sql`select most_common_vals::text as vals from pg_stats where tablename = 'orders' and attname = 'shop_id'`);
      return stats?.vals?.includes(fresh) ?? false;
    };
    expect(await shopsKnown()).toBe(false);
    await runImport({ shopId: fresh, database }, file(lines.join("\n")), { kind: "orders", fileName: "new-shop.csv" }, {
      now, batchSize: 1000, onProgress: () => void checks.push(shopsKnown()),
    });
    expect(checks).toHaveLength(3);
    expect(await checks[0]).toBe(true);
  });
});
