// The corpus of store exports (test/fixtures/exports): each file imported as an owner would, and
// checked the way an owner would check it — the orders, their status and net amounts, the
// customers and what was refused with which words.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { uniqueEmail } from "../../test/factories";
import type { Database } from "../db/client";
import { customers, orderItems, orders } from "../db/schema";
import { withShop } from "../db/tenant";
import { getCustomer } from "../customers/get-customer";
import { findCustomerId } from "../customers/find-customer";
import { getOverview } from "../metrics/get-overview";
import { createShop } from "../shops/create-shop";
import { runImport } from "./run-import";
import type { ImportOptions } from "./schemas";

const corpus = path.resolve(__dirname, "../../test/fixtures/exports");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "regulars-exports-"));
let n = 0;
const file = (content: string) => {
  const p = path.join(tmp, `file-${++n}.csv`);
  fs.writeFileSync(p, content);
  return p;
};
const NOW = new Date("2026-11-01T12:00:00Z");

describe.each(engines())("store exports on $name", (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(() => database?.close());

  const shop = async (values: { currency?: string; country?: string; timeZone?: string } = {}) =>
    (await createShop({ name: "Export shop", ownerEmail: uniqueEmail(), ownerPassword: "correct horse battery", ...values }, { database })).shopId;
  const run = (shopId: string, p: string, options: ImportOptions) => runImport({ shopId, database }, p, options, { now: NOW });
  const ordersOf = (shopId: string) =>
    withShop(shopId, (tx) => tx.select().from(orders).orderBy(asc(orders.externalId)), database).then((rows) =>
      Object.fromEntries(rows.map((o) => [o.externalId, { status: o.status, total: o.totalMinor, refunded: o.refundedMinor, cancelled: o.cancelledAt !== null }])),
    );

  it("reads Shopify's customers export: apostrophes gone, phones in E.164 with the shop's country, the default-address phone as fallback", async () => {
    const shopId = await shop({ currency: "CAD", country: "CA", timeZone: "America/Toronto" });
    const result = await run(shopId, path.join(corpus, "shopify-customers.csv"), { kind: "customers", fileName: "customers_export.csv" });
    expect(result).toMatchObject({ total: 4, imported: 3, rejected: 1 });
    expect(result.errors).toEqual([{ row: 4, column: "Phone", message: '"613 555 01" is not a phone number in CA or with a country code.' }]);
    const stored = await withShop(shopId, (tx) => tx.select().from(customers).orderBy(asc(customers.externalId)), database);
    expect(stored.map((c) => [c.externalId, c.phone])).toEqual([
      ["7101000000001", "+16135550123"],
      ["7101000000002", "+16135550199"],
      ["7101000000004", null],
    ]);
    // customer get finds by the platform's id (with or without Shopify's apostrophe) and by email.
    const byId = await withShop(shopId, (tx) => findCustomerId(tx, "7101000000002"), database);
    expect(await withShop(shopId, (tx) => findCustomerId(tx, "'7101000000002"), database)).toBe(byId);
    expect(await withShop(shopId, (tx) => findCustomerId(tx, "LEO@example.com"), database)).toBe(byId);
    await expect(withShop(shopId, (tx) => findCustomerId(tx, "nobody@example.com"), database)).rejects.toMatchObject({ code: "not_found" });
  });

  it("reads Shopify's orders export: refunds and cancellations count net, continuation lines keep their order, a phone alone identifies the customer", async () => {
    const shopId = await shop({ currency: "CAD", country: "CA", timeZone: "America/Toronto" });
    const result = await run(shopId, path.join(corpus, "shopify-orders.csv"), { kind: "orders", fileName: "orders_export.csv" });
    expect(result.errors).toEqual([]);
    expect(result).toMatchObject({ total: 6, imported: 6, rejected: 0 });
    expect(await ordersOf(shopId)).toEqual({
      "#1001": { status: "paid", total: 5500, refunded: 0, cancelled: false },
      "#1002": { status: "partially_refunded", total: 8000, refunded: 3000, cancelled: false },
      "#1003": { status: "refunded", total: 4000, refunded: 4000, cancelled: false },
      "#1004": { status: "cancelled", total: 2500, refunded: 0, cancelled: true },
      "#1005": { status: "paid", total: 1250, refunded: 0, cancelled: false },
    });
    const lines = await withShop(shopId, (tx) => tx.select({ name: orderItems.name, quantity: orderItems.quantity }).from(orderItems).orderBy(asc(orderItems.name)), database);
    expect(lines.map((l) => l.name)).toEqual(["Bar Tape", "Bell", "Chain Lube", "Inner Tube", "Pump", "Saddle"]);

    // Revenue is what the shop kept: 55.00 + (80.00 − 30.00) + 12.50; refunded and cancelled orders are not sales.
    const overview = await withShop(shopId, (tx) => getOverview(tx, { now: NOW }), database);
    expect(overview).toMatchObject({ orders: 3, revenueMinor: 11_750 });

    const maya = await withShop(shopId, async (tx) => getCustomer(tx, await findCustomerId(tx, "maya@example.com")), database);
    expect(maya.totals).toMatchObject({ orders: 1, spentMinor: 5500 });
    expect(maya.orders.map((o) => o.status).sort()).toEqual(["paid", "refunded"]);

    const sam = await withShop(shopId, (tx) => tx.select().from(customers).where(eq(customers.phone, "+16135550142")), database);
    expect(sam).toEqual([expect.objectContaining({ email: null, externalId: null, firstName: "Sam", lastName: "Okafor" })]);

    // The same file again changes nothing.
    const again = await run(shopId, path.join(corpus, "shopify-orders.csv"), { kind: "orders", fileName: "orders_export.csv" });
    expect(again).toMatchObject({ total: 6, imported: 0, updated: 6, unchanged: 6, rejected: 0 });
    expect(await withShop(shopId, (tx) => tx.select().from(customers), database)).toHaveLength(4);
  });

  it("reads a WooCommerce order export: billing names and phones, statuses and refunds, an unknown status refused in words", async () => {
    const shopId = await shop();
    const result = await run(shopId, path.join(corpus, "woocommerce-orders.csv"), { kind: "orders", fileName: "woo-orders.csv" });
    expect(result).toMatchObject({ total: 6, imported: 5, rejected: 1 });
    expect(result.errors).toEqual([
      { row: 7, column: "Order Status", message: '"On the moon" is not an order status we know (use paid, pending, partially refunded, refunded, cancelled or failed).' },
    ]);
    expect(await ordersOf(shopId)).toEqual({
      "2001": { status: "paid", total: 3450, refunded: 0, cancelled: false },
      "2002": { status: "refunded", total: 2200, refunded: 2200, cancelled: false },
      "2003": { status: "cancelled", total: 900, refunded: 0, cancelled: false },
      "2004": { status: "partially_refunded", total: 6000, refunded: 1500, cancelled: false },
      "2005": { status: "pending", total: 1800, refunded: 0, cancelled: false },
    });
    const ines = await withShop(shopId, (tx) => tx.select().from(customers).where(eq(customers.email, "ines@example.com")), database);
    expect(ines).toEqual([expect.objectContaining({ firstName: "Ines", lastName: "Garcia" })]);
    expect((await withShop(shopId, (tx) => getOverview(tx, { now: NOW }), database)).revenueMinor).toBe(3450 + 4500 + 1800);
  });

  it("reads the UCI Online Retail file: month-first two-digit-year dates from the file itself, sub-cent prices, returns and missing customers refused", async () => {
    const shopId = await shop({ currency: "GBP", country: "GB", timeZone: "Europe/London" });
    const result = await run(shopId, path.join(corpus, "uci-online-retail.csv"), { kind: "orders", fileName: "Online Retail.csv" });
    expect(result).toMatchObject({ total: 9, imported: 6, rejected: 3 });
    expect(result.errors).toEqual([
      { row: 6, column: "Quantity", message: "A negative quantity is a return, not a sale; returns count through the order's refunded amount." },
      { row: 7, column: "(row)", message: "The order needs a customer id, a customer email or a customer phone." },
      { row: 8, column: "CustomerID", message: '"(blank)" is a placeholder, not a customer id, and the order has no customer email or phone: it cannot be given to a customer.' },
    ]);
    const stored = await withShop(shopId, (tx) => tx.select().from(orders).orderBy(asc(orders.externalId)), database);
    expect(stored.map((o) => [o.externalId, o.placedAt.toISOString(), o.totalMinor])).toEqual([
      ["536365", "2010-12-01T08:26:00.000Z", 1530 + 2034],
      ["536366", "2010-12-01T08:28:00.000Z", 1110],
      ["536367", "2010-12-01T08:34:00.000Z", 5408],
      ["536600", "2010-12-02T08:32:00.000Z", 850], // 100 × 0.085
      ["537000", "2010-12-13T10:00:00.000Z", 3540],
    ]);
    expect(await withShop(shopId, (tx) => tx.select().from(customers), database)).toHaveLength(3);
  });

  it("handles the odd cases an owner meets: a price without a product column, placeholder ids, a phone without country", async () => {
    const shopId = await shop();
    const priceOnly = file(["order_id,customer_email,placed_at,price,quantity", "A1,ann@example.com,2026-03-01,4.50,2", "A1,ann@example.com,2026-03-01,1.00,1"].join("\n"));
    const result = await run(shopId, priceOnly, { kind: "orders", fileName: "price-only.csv" });
    expect(result).toMatchObject({ total: 2, imported: 2, rejected: 0 });
    expect((await ordersOf(shopId)).A1).toMatchObject({ total: 1000 });
    const lines = await withShop(shopId, (tx) => tx.select().from(orderItems), database);
    expect(lines.map((l) => [l.name, l.productId])).toEqual([["Unnamed item", null], ["Unnamed item", null]]);

    const odd = file([
      "order_id,customer_id,customer_phone,placed_at,total",
      "(blank),C1,,2026-03-01,5.00",
      "B2,N/A,,2026-03-01,5.00",
      "B3,,07700 900123,2026-03-01,5.00",
      "B4,,+44 7700 900123,2026-03-02,6.00",
    ].join("\n"));
    const oddResult = await run(shopId, odd, { kind: "orders", fileName: "odd.csv" });
    expect(oddResult.errors).toEqual([
      { row: 2, column: "order_id", message: '"(blank)" is a placeholder, not an order id.' },
      { row: 3, column: "customer_id", message: '"N/A" is a placeholder, not a customer id, and the order has no customer email or phone: it cannot be given to a customer.' },
      {
        row: 4, column: "customer_phone",
        message: '"07700 900123" has no country code: write it as +44 20 7946 0958, or set the shop\'s country in Settings so numbers are read as its numbers.',
      },
    ]);
    expect(await withShop(shopId, (tx) => tx.select({ phone: customers.phone }).from(customers).where(eq(customers.phone, "+447700900123")), database)).toHaveLength(1);
  });

  it("lets the owner map columns by the README's template names and says which names exist", async () => {
    const shopId = await shop();
    const p = file(["Auftrag,Kunde,Datum,Summe", "K1,k1@example.com,2026-03-01,9.99"].join("\n"));
    const mapped = await run(shopId, p, { kind: "orders", fileName: "de.csv", mapping: { Auftrag: "order_id", Kunde: "customer_email", Datum: "placed_at", Summe: "total" } });
    expect(mapped).toMatchObject({ imported: 1, rejected: 0 });
    await expect(run(shopId, p, { kind: "orders", fileName: "de.csv", mapping: { Auftrag: "ordernummer" } })).rejects.toThrow(
      /"ordernummer" is not a field of a orders import \(column "Auftrag"\)\. Use one of: order_id, customer_id/,
    );
  });
});
