import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, asc, eq, inArray, like, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { makeShop } from "../../test/factories";
import { refusal } from "../../test/refusal";
import type { Database } from "../db/client";
import { customers, importRejectedRows, imports, orderItems, orders, products } from "../db/schema";
import { withShop } from "../db/tenant";
import { ImportAborted, runImport } from "./run-import";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "regulars-orders-"));
let n = 0;
const file = (lines: string[]) => {
  const p = path.join(dir, `orders-${++n}.csv`);
  fs.writeFileSync(p, lines.join("\n") + "\n");
  return p;
};

const HEADER = "order_id,customer_id,customer_email,customer_phone,placed_at,total,currency,status,refunded,cancelled_at,product_id,product_name,category,quantity,price";
const ORDERS = [
  HEADER,
  // An order of two lines; the total is on its first line only, as store exports write it.
  "A1,C1,ann@example.com,,2026-03-01 10:00,30.00,EUR,,,,P1,Tube,Parts,2,10.00",
  "A1,C1,ann@example.com,,2026-03-01 10:00,,EUR,,,,P2,Coffee,Coffee,1,10.00",
  // No total: the sum of the lines.
  "A2,C2,bob@example.com,,2026-03-02,,EUR,,,,P1,Tube,Parts,1,10.00",
  // Partly refunded, said on the first line only.
  "A3,C1,ann@example.com,,2026-03-03,20.00,EUR,paid,5.00,,P2,Coffee,Coffee,1,12.00",
  "A3,C1,ann@example.com,,2026-03-03,,EUR,,,,P3,Filter,Coffee,1,8.00",
  // Cancelled.
  "A4,C2,bob@example.com,,2026-03-04,9.00,EUR,,,2026-03-05,P3,Filter,Coffee,1,9.00",
  // Two orders that name their customer by phone alone.
  "A5,,,+441632960123,2026-03-06,4.00,EUR,,,,P4,Mug,,1,4.00",
  "A6,,,+441632960123,2026-03-07,6.00,EUR,,,,P4,Mug,,1,6.00",
];

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe.each(engines())("order imports on $name", (engine) => {
  let database: Database;
  let shopId: string;
  const now = new Date("2026-04-01T12:00:00Z");
  const run = (p: string, batchSize?: number) => runImport({ shopId, database }, p, { kind: "orders", fileName: path.basename(p) }, { now, batchSize });
  const inShop = <T>(fn: Parameters<typeof withShop<T>>[1]) => withShop(shopId, fn, database);
  const storedOrders = (ids: string[]) =>
    inShop((tx) => tx.select().from(orders).where(inArray(orders.externalId, ids)).orderBy(asc(orders.externalId)));
  const storedLines = (orderId: string) => inShop((tx) => tx.select().from(orderItems).where(eq(orderItems.orderId, orderId)).orderBy(asc(orderItems.id)));
  const snapshot = async (ids: string[]) => {
    const os = await storedOrders(ids);
    return Promise.all(os.map(async (o) => ({ ...o, lines: await storedLines(o.id) })));
  };

  beforeAll(async () => {
    database = await engine.open();
    shopId = (await makeShop(database)).shopId;
  });
  afterAll(() => database?.close());

  it("stores orders with their lines, totals, status, refunds and cancellation, under time-ordered ids", async () => {
    const result = await run(file(ORDERS));
    expect(result).toMatchObject({ total: 8, imported: 8, updated: 0, unchanged: 0, rejected: 0 });
    const stored = await snapshot(["A1", "A2", "A3", "A4", "A5", "A6"]);
    expect(stored.map((o) => [o.externalId, o.totalMinor, o.status, o.refundedMinor, o.cancelledAt?.toISOString() ?? null])).toEqual([
      ["A1", 3000, "paid", 0, null],
      ["A2", 1000, "paid", 0, null],
      ["A3", 2000, "partially_refunded", 500, null],
      ["A4", 900, "cancelled", 0, "2026-03-05T00:00:00.000Z"],
      ["A5", 400, "paid", 0, null],
      ["A6", 600, "paid", 0, null],
    ]);
    expect(stored[0]!.lines.map((l) => [l.name, l.quantity, l.priceMinor])).toEqual([["Tube", 2, 1000], ["Coffee", 1, 1000]]);
    expect(stored[2]!.lines.map((l) => l.name)).toEqual(["Coffee", "Filter"]);
    // New orders and lines get UUIDv7 ids, in the order of the file.
    const orderIds = stored.map((o) => o.id);
    const lineIds = stored.flatMap((o) => o.lines.map((l) => l.id));
    for (const id of [...orderIds, ...lineIds]) expect(id).toMatch(UUID_V7);
    expect([...orderIds].sort()).toEqual(orderIds);
    expect([...lineIds].sort()).toEqual(lineIds);
    expect(stored.every((o) => o.importId === result.importId)).toBe(true);
  });

  it("finds a customer by phone when the order gives neither id nor email, and creates one with that phone once", async () => {
    const [a5, a6] = await storedOrders(["A5", "A6"]);
    expect(a5!.customerId).toBe(a6!.customerId);
    const [byPhone] = await inShop((tx) => tx.select().from(customers).where(eq(customers.id, a5!.customerId)));
    expect(byPhone).toMatchObject({ phone: "+441632960123", externalId: null, email: null });

    // A customer the shop already has with a phone gets the orders that name that phone.
    await runImport({ shopId, database }, file(["Customer ID,Email,Phone", "C7,cy@example.com,+441632960777"]), { kind: "customers", fileName: "c.csv" }, { now });
    const [cy] = await inShop((tx) => tx.select().from(customers).where(eq(customers.externalId, "C7")));
    const result = await run(file([HEADER, "A7,,,+441632960777,2026-03-08,3.00,EUR,,,,P4,Mug,,1,3.00"]));
    expect(result).toMatchObject({ imported: 1, rejected: 0 });
    const [a7] = await storedOrders(["A7"]);
    expect(a7!.customerId).toBe(cy!.id);
  });

  it("answers unchanged for every row of the same file and changes nothing", async () => {
    const ids = ["A1", "A2", "A3", "A4", "A5", "A6"];
    const before = await snapshot(ids);
    const again = await run(file(ORDERS));
    expect(again).toMatchObject({ total: 8, imported: 0, updated: 8, unchanged: 8, rejected: 0 });
    expect(await snapshot(ids)).toEqual(before);
  });

  it("updates a changed order and replaces its lines, and leaves the others alone", async () => {
    const before = await snapshot(["A1", "A2", "A3"]);
    const changed = ORDERS.map((line) =>
      line
        .replace("A1,C1,ann@example.com,,2026-03-01 10:00,30.00,EUR,,,,P1,Tube,Parts,2,10.00", "A1,C1,ann@example.com,,2026-03-01 10:00,40.00,EUR,,,,P1,Tube,Parts,3,10.00")
        .replace("A3,C1,ann@example.com,,2026-03-03,20.00,EUR,paid,5.00", "A3,C1,ann@example.com,,2026-03-03,20.00,EUR,refunded,"),
    );
    const result = await run(file(changed));
    // A1's two rows and A3's two rows are updated; the four other rows are unchanged.
    expect(result).toMatchObject({ total: 8, imported: 0, updated: 8, unchanged: 4, rejected: 0 });
    const after = await snapshot(["A1", "A2", "A3"]);
    expect(after[0]).toMatchObject({ id: before[0]!.id, totalMinor: 4000 });
    expect(after[0]!.lines.map((l) => [l.name, l.quantity])).toEqual([["Tube", 3], ["Coffee", 1]]);
    expect(after[0]!.lines.some((l) => before[0]!.lines.some((b) => b.id === l.id))).toBe(false);
    expect(after[1]).toEqual(before[1]);
    // A status alone changes the order, not its lines.
    expect(after[2]).toMatchObject({ status: "refunded", refundedMinor: 2000 });
    expect(after[2]!.lines.map((l) => l.name)).toEqual(["Coffee", "Filter"]);
  });

  it("rejects every line of an order one of whose lines is rejected, and stores nothing of it", async () => {
    const lines = [
      HEADER,
      "R1,C8,r1@example.com,,2026-03-10,30.00,EUR,,,,P1,Tube,Parts,1,10.00",
      "R1,C8,r1@example.com,,2026-03-10,,EUR,,,,P2,Coffee,Coffee,0,10.00",
      "R1,C8,r1@example.com,,2026-03-10,,EUR,,,,P3,Filter,Coffee,1,10.00",
      "R2,C9,r2@example.com,,2026-03-11,5.00,EUR,,,,P4,Mug,,1,5.00",
      // R1 again further down: its earlier lines were rejected, so these are too.
      "R1,C8,r1@example.com,,2026-03-10,,EUR,,,,P4,Mug,,1,5.00",
    ];
    const result = await run(file(lines));
    expect(result).toMatchObject({ total: 5, imported: 1, updated: 0, rejected: 4 });
    expect(result.imported + result.updated + result.rejected).toBe(result.total);
    expect(result.errors).toEqual([
      { row: 2, column: "(row)", message: "Another line of this order (row 3) was rejected: The quantity must be at least 1." },
      { row: 3, column: "quantity", message: "The quantity must be at least 1." },
      { row: 4, column: "(row)", message: "Another line of this order (row 3) was rejected: The quantity must be at least 1." },
      { row: 6, column: "(row)", message: "Another line of this order (row 3) was rejected: The quantity must be at least 1." },
    ]);
    expect(await storedOrders(["R1", "R2"])).toMatchObject([{ externalId: "R2" }]);
    expect(await inShop((tx) => tx.select().from(customers).where(eq(customers.email, "r1@example.com")))).toEqual([]);
    const kept = await inShop((tx) => tx.select().from(importRejectedRows).where(eq(importRejectedRows.importId, result.importId)).orderBy(asc(importRejectedRows.row)));
    expect(kept.map((r) => [r.row, r.values[0], r.values[13]])).toEqual([[2, "R1", "1"], [3, "R1", "0"], [4, "R1", "1"], [6, "R1", "1"]]);
  });

  it("keeps an order's lines in one batch across a batch boundary, and rejects all of them when the last is rejected", async () => {
    // 998 one-line orders, then order BIG of 4 lines across row 1,000 (its last line is bad), then order OK of 3 lines.
    const lines = [HEADER];
    for (let i = 0; i < 998; i++) lines.push(`S${i},,s${i % 20}@example.com,,2026-02-01,,EUR,,,,P4,Mug,,1,4.00`);
    for (let j = 0; j < 4; j++) lines.push(`BIG,,big@example.com,,2026-02-02,,EUR,,,,,Part ${j},,1,${j === 3 ? "-1.00" : "1.00"}`);
    for (let j = 0; j < 3; j++) lines.push(`OK,,ok@example.com,,2026-02-02,,EUR,,,,,Part ${j},,1,1.00`);
    const result = await run(file(lines), 1000);
    expect(result).toMatchObject({ total: 1005, imported: 1001, rejected: 4 });
    expect(result.errors.map((e) => e.row)).toEqual([1000, 1001, 1002, 1003]);
    expect(await storedOrders(["BIG"])).toEqual([]);
    const [ok] = await storedOrders(["OK"]);
    expect(ok?.totalMinor).toBe(300);
    expect(await storedLines(ok!.id)).toHaveLength(3);
  });

  it("takes an order back out when a line of it further down the file is rejected, in any batch", async () => {
    // W1's lines are apart: its first line is written (in its own batch, with batches of 2 rows), and its
    // third line, further down, is bad. W2, between them, is whole.
    const lines = [
      HEADER,
      "W1,,w1@example.com,,2026-03-12,,EUR,,,,,Mug,,1,10.00",
      "W2,,w2@example.com,,2026-03-12,,EUR,,,,,Tea,,1,5.00",
      "W2,,w2@example.com,,2026-03-12,,EUR,,,,,Pot,,1,7.00",
      "W1,,w1@example.com,,2026-03-12,,EUR,,,,,Pot,,1,20.00",
      "W1,,w1@example.com,,2026-03-12,,EUR,,,,,Cup,,abc,3.00",
    ];
    for (const batchSize of [1000, 2]) {
      const result = await run(file(lines), batchSize);
      expect(result).toMatchObject({ total: 5, rejected: 3 });
      expect(result.imported + result.updated + result.rejected).toBe(result.total);
      expect(result.errors.map((e) => [e.row, e.column])).toEqual([[2, "(row)"], [5, "(row)"], [6, "quantity"]]);
      expect(result.errors[0]!.message).toMatch(/^Another line of this order \(row 6\) was rejected: /);
      expect(await storedOrders(["W1"])).toEqual([]);
      // Nor is the customer it would have brought in, as when an order's lines are together.
      expect(await inShop((tx) => tx.select().from(customers).where(eq(customers.email, "w1@example.com")))).toEqual([]);
      const [w2] = await storedOrders(["W2"]);
      expect(w2?.totalMinor).toBe(1200);
      // The import's record agrees with its answer, and the rejected rows can be downloaded.
      const [record] = await inShop((tx) => tx.select().from(imports).where(eq(imports.id, result.importId)));
      expect(record).toMatchObject({ status: "done", imported: result.imported, rejected: 3 });
      const kept = await inShop((tx) => tx.select().from(importRejectedRows).where(eq(importRejectedRows.importId, result.importId)).orderBy(asc(importRejectedRows.row)));
      expect(kept.map((r) => [r.row, r.values[0], r.values[11]])).toEqual([[2, "W1", "Mug"], [5, "W1", "Pot"], [6, "W1", "Cup"]]);
    }
  });

  it("keeps the customer of an order taken back when they have another order", async () => {
    const result = await run(file([
      HEADER,
      "X1,,x@example.com,,2026-03-14,,EUR,,,,,Mug,,1,10.00",
      "X2,,x@example.com,,2026-03-15,,EUR,,,,,Tea,,1,5.00",
      "X1,,x@example.com,,2026-03-14,,EUR,,,,,Pot,,none,20.00",
    ]), 2);
    expect(result).toMatchObject({ total: 3, imported: 1, rejected: 2 });
    expect((await storedOrders(["X1", "X2"])).map((o) => o.externalId)).toEqual(["X2"]);
    expect(await inShop((tx) => tx.select().from(customers).where(eq(customers.email, "x@example.com")))).toHaveLength(1);
  });

  it("says so when a line further down rejects an order the shop had, after the file changed it", async () => {
    await run(file([HEADER, "V1,,v1@example.com,,2026-03-13,,EUR,,,,,Mug,,1,10.00", "V1,,v1@example.com,,2026-03-13,,EUR,,,,,Pot,,1,20.00"]));
    const result = await run(file([
      HEADER,
      "V1,,v1@example.com,,2026-03-13,,EUR,,,,,Mug,,2,10.00",
      "W9,,w9@example.com,,2026-03-13,,EUR,,,,,Tea,,1,5.00",
      "V1,,v1@example.com,,2026-03-13,,EUR,,,,,Pot,,-1,20.00",
    ]), 2);
    expect(result.notes.join(" ")).toMatch(/An order the shop already had \(V1\) took the lines this file gave before a later line of it was rejected/);
    // Still stored with its customer (the owner's history is not deleted), and the note tells them how to mend it.
    expect(await storedOrders(["V1"])).toHaveLength(1);
    expect(await inShop((tx) => tx.select().from(customers).where(eq(customers.email, "v1@example.com")))).toHaveLength(1);
  });

  it("holds lines to an order, and orders to a customer, of the same shop, and removes them with the customer", async () => {
    const [a1] = await storedOrders(["A1"]);
    const other = await makeShop(database, "Other shop");
    const [stranger] = await withShop(other.shopId, (tx) => tx.insert(customers).values({ shopId: other.shopId, email: "stranger@example.com" }).returning(), database);
    // Another shop's order or customer cannot be named, even by its id.
    const sneak = (orderId: string) => withShop(other.shopId, (tx) => tx.insert(orderItems).values({ shopId: other.shopId, orderId, name: "Sneaked in", quantity: 1, priceMinor: 1 }), database);
    expect(await refusal(sneak(a1!.id))).toMatch(/order line refers to order .*, which its shop does not have/);
    expect(await refusal(sneak("0190a6d0-0000-7000-8000-000000000000"))).toMatch(/which its shop does not have/);
    // Nor can a stored line be moved to another shop's order.
    expect(await refusal(inShop((tx) => tx.update(orderItems).set({ orderId: "0190a6d0-0000-7000-8000-000000000000" }).where(eq(orderItems.orderId, a1!.id))))).toMatch(/which its shop does not have/);
    expect(
      await refusal(withShop(other.shopId, (tx) => tx.insert(orders).values({ shopId: other.shopId, customerId: a1!.customerId, externalId: "X", placedAt: now, totalMinor: 1, currency: "EUR" }), database)),
    ).toMatch(/order .* refers to customer .*, whom its shop does not have/);
    // Nor can a stored order be given to another shop's customer.
    expect(await refusal(inShop((tx) => tx.update(orders).set({ customerId: stranger!.id }).where(eq(orders.id, a1!.id))))).toMatch(/whom its shop does not have/);
    await withShop(other.shopId, (tx) => tx.insert(orders).values({ shopId: other.shopId, customerId: stranger!.id, externalId: "X", placedAt: now, totalMinor: 1, currency: "EUR" }), database);

    const lines = (await storedLines(a1!.id)).length;
    expect(lines).toBeGreaterThan(0);
    await inShop((tx) => tx.delete(customers).where(eq(customers.id, a1!.customerId)));
    expect(await storedOrders(["A1", "A3"])).toEqual([]);
    expect(await storedLines(a1!.id)).toEqual([]);
  });

  it("removes an order's lines with the order", async () => {
    const [a2] = await storedOrders(["A2"]);
    expect((await storedLines(a2!.id)).length).toBe(1);
    await inShop((tx) => tx.delete(orders).where(eq(orders.id, a2!.id)));
    expect(await storedLines(a2!.id)).toEqual([]);
  });

  it("clears a product deleted by hand from its lines, which keep their name", async () => {
    const [a4] = await storedOrders(["A4"]);
    const [line] = await storedLines(a4!.id);
    expect(line!.productId).not.toBeNull();
    await inShop((tx) => tx.delete(products).where(eq(products.externalId, "P3")));
    expect(await storedLines(a4!.id)).toEqual([{ ...line, productId: null }]);
  });

  it("leaves nothing of a batch that fails, neither rows nor counts, and a second run completes the import", async () => {
    // The database refuses one line of the second batch.
    await database.db.execute(sql.raw(`create function test_refuse_line() returns trigger language plpgsql as $$
      begin raise exception 'line refused: %', new.name; end $$`));
    await database.db.execute(sql.raw(`create trigger test_refuse_line before insert on order_items for each row when (new.name = 'Refused') execute function test_refuse_line()`));
    const lines = [HEADER];
    for (let i = 0; i < 1500; i++) lines.push(`F${i},,f${i}@fail.example,,2026-02-05,,EUR,,,,,${i === 1200 ? "Refused" : "Mug"},,1,2.00`);
    lines.push("F-bad,,bad@fail.example,,not a date,,EUR,,,,,Mug,,1,2.00");
    const p = file(lines);
    const failed = await run(p, 1000).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ImportAborted);
    const importId = (failed as ImportAborted).importId;
    const [record] = await inShop((tx) => tx.select().from(imports).where(eq(imports.id, importId)));
    expect(record).toMatchObject({ status: "failed", total: 1000, imported: 1000, updated: 0, rejected: 0 });
    const stored = await inShop((tx) => tx.select({ externalId: orders.externalId }).from(orders).where(like(orders.externalId, "F%")));
    expect(stored).toHaveLength(1000);
    expect(stored.every((o) => Number(o.externalId.slice(1)) < 1000)).toBe(true);
    const created = await inShop((tx) => tx.select({ email: customers.email }).from(customers).where(like(customers.email, "%@fail.example")));
    expect(created).toHaveLength(1000);
    expect(await inShop((tx) => tx.select().from(importRejectedRows).where(and(eq(importRejectedRows.importId, importId))))).toEqual([]);

    await database.db.execute(sql.raw("drop trigger test_refuse_line on order_items"));
    const retried = await run(p, 1000);
    expect(retried).toMatchObject({ total: 1501, imported: 500, updated: 1000, unchanged: 1000, rejected: 1 });
  });
});
