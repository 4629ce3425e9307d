// The overview's SQL against the demo data's own arithmetic, on both engines.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { makeShop } from "../../test/factories";
import type { Database } from "../db/client";
import { withShop } from "../db/tenant";
import { demoNetMinor, generateDemoData, isDemoSale, summarizeDemoData } from "../demo/generate-demo-data";
import { writeDemoData } from "../demo/write-demo-data";
import { listCustomers } from "../customers/list-customers";
import { getOverview } from "./get-overview";
import { listRevenueByMonth } from "./list-revenue-by-month";

const now = new Date("2026-06-15T12:00:00Z");
const demo = generateDemoData({ seed: "overview-test", now, customers: 400 });

describe.each(engines())("overview and customer list on $name", (engine) => {
  let database: Database;
  let shopId: string;
  beforeAll(async () => {
    database = await engine.open();
    shopId = (await makeShop(database)).shopId;
    await withShop(shopId, (tx) => writeDemoData(tx, demo), database);
  });
  afterAll(() => database?.close());

  it("counts customers, orders, revenue and active customers per window exactly", async () => {
    const overview = await withShop(shopId, (tx) => getOverview(tx, { now }), database);
    expect(overview).toEqual(summarizeDemoData(demo, now));
  });

  it("gives 24 months of revenue, zeros included, adding up to the orders in them", async () => {
    const months = await withShop(shopId, (tx) => listRevenueByMonth(tx, { months: 24, timeZone: "UTC", now }), database);
    expect(months).toHaveLength(24);
    expect(months.at(-1)?.month).toBe("2026-06");
    expect(months[0]?.month).toBe("2024-07");
    // Sales only (not refunded or cancelled), net of partial refunds.
    const inRange = demo.orders.filter((o) => o.placedAt >= new Date("2024-07-01T00:00:00Z") && isDemoSale(o));
    expect(inRange.length).toBeLessThan(demo.orders.filter((o) => o.placedAt >= new Date("2024-07-01T00:00:00Z")).length);
    expect(months.reduce((s, m) => s + m.orders, 0)).toBe(inRange.length);
    expect(months.reduce((s, m) => s + m.revenueMinor, 0)).toBe(inRange.reduce((s, o) => s + demoNetMinor(o), 0));
  });

  it("searches, sorts and pages customers on the server", async () => {
    const target = demo.customers[17]!;
    const found = await withShop(shopId, (tx) => listCustomers(tx, { q: target.email.toUpperCase() }), database);
    expect(found.rows.map((r) => r.email)).toEqual([target.email]);
    const byName = await withShop(shopId, (tx) => listCustomers(tx, { q: `${target.firstName} ${target.lastName}` }), database);
    expect(byName.rows.map((r) => r.email)).toContain(target.email);

    const top = await withShop(shopId, (tx) => listCustomers(tx, { sort: "orders", dir: "desc", pageSize: "10" }), database);
    const perCustomer = new Map<string, number>();
    for (const o of demo.orders.filter(isDemoSale)) perCustomer.set(o.customerExternalId, (perCustomer.get(o.customerExternalId) ?? 0) + 1);
    const expectedTop = [...perCustomer.values()].sort((a, b) => b - a).slice(0, 10);
    expect(top.rows.map((r) => r.orders)).toEqual(expectedTop);
    expect(top.total).toBe(400);
    expect(top.pages).toBe(40);

    const last = await withShop(shopId, (tx) => listCustomers(tx, { page: "999", pageSize: "25" }), database);
    expect(last.query.page).toBe(16);
    const nothing = await withShop(shopId, (tx) => listCustomers(tx, { q: "50%_\\" }), database);
    expect(nothing.total).toBe(0);
    const odd = await withShop(shopId, (tx) => listCustomers(tx, { sort: "drop table", dir: "sideways", page: "-3" }), database);
    expect(odd.query).toMatchObject({ sort: "last_order", dir: "desc", page: 1 });
  });
});
