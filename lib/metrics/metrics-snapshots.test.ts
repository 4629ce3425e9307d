// The Overview's kept figures: computed once and read back the same (dates too), stale after a
// minute, kept per range, and gone after a segment refresh changes what they rest on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { addCustomer, makeShop } from "../../test/factories";
import type { Database } from "../db/client";
import { withShop, type ShopTx } from "../db/tenant";
import { refreshSegments } from "../segments/refresh-segments";
import { updateShop } from "../shops/update-shop";
import { FRESH_MS, getMetricsSnapshot, readMetricsSnapshot } from "./metrics-snapshots";

describe.each(engines())("metrics snapshots on $name", (engine) => {
  let database: Database;
  let shopId: string;
  const inShop = <T>(fn: (tx: ShopTx) => Promise<T>) => withShop(shopId, fn, database);
  const now = new Date("2026-06-15T12:00:00Z");

  beforeAll(async () => {
    database = await engine.open();
    shopId = (await makeShop(database)).shopId;
    await addCustomer(database, shopId, { orders: [{ totalMinor: 2500, placedAt: new Date("2026-05-02T10:00:00Z") }, { totalMinor: 1500, placedAt: new Date("2026-06-01T10:00:00Z") }] });
  });
  afterAll(() => database?.close());

  it("computes the figures once, then serves the kept ones, the same to the last date", async () => {
    expect(await inShop((tx) => readMetricsSnapshot(tx, { from: "2026-05", to: "2026-06" }, now))).toBeNull();
    const first = await inShop((tx) => getMetricsSnapshot(tx, { from: "2026-05", to: "2026-06", now }));
    expect(first.stale).toBe(false);
    expect(first.metrics.revenueByMonth.map((m) => m.revenueMinor)).toEqual([0, 2500, 1500]);
    const again = await inShop((tx) => getMetricsSnapshot(tx, { from: "2026-05", to: "2026-06", now }));
    expect(again.computedAt).toEqual(first.computedAt);
    expect(again.metrics).toEqual(first.metrics);
    expect(again.metrics.nps.from).toBeInstanceOf(Date);
  });

  it("calls them stale after a minute, and keeps each range apart", async () => {
    const later = new Date(now.getTime() + FRESH_MS + 1);
    expect((await inShop((tx) => readMetricsSnapshot(tx, { from: "2026-05", to: "2026-06" }, later)))?.stale).toBe(true);
    expect((await inShop((tx) => readMetricsSnapshot(tx, { from: "2026-05", to: "2026-06" }, new Date(now.getTime() + FRESH_MS))))?.stale).toBe(false);
    expect(await inShop((tx) => readMetricsSnapshot(tx, { from: "2026-06", to: "2026-06" }, now))).toBeNull();
    expect(await withShop((await makeShop(database, "Other")).shopId, (tx) => readMetricsSnapshot(tx, { from: "2026-05", to: "2026-06" }, now), database)).toBeNull();
  });

  it("forgets them when a segment refresh changes the predictions they rest on", async () => {
    await refreshSegments(shopId, { database, trigger: "cli", now });
    expect(await inShop((tx) => readMetricsSnapshot(tx, { from: "2026-05", to: "2026-06" }, now))).toBeNull();
  });

  it("forgets them when the shop's margin or time zone changes in Settings", async () => {
    await inShop((tx) => getMetricsSnapshot(tx, { from: "2026-05", to: "2026-06", now }));
    expect(await inShop((tx) => readMetricsSnapshot(tx, { from: "2026-05", to: "2026-06" }, now))).not.toBeNull();
    await inShop((tx) => updateShop(tx, { name: "Test shop", currency: "EUR", timeZone: "Europe/Berlin", marginPct: 35 }));
    expect(await inShop((tx) => readMetricsSnapshot(tx, { from: "2026-05", to: "2026-06" }, now))).toBeNull();
    expect((await inShop((tx) => getMetricsSnapshot(tx, { from: "2026-05", to: "2026-06", now }))).metrics.shop).toMatchObject({ timeZone: "Europe/Berlin", marginBp: 3500 });
  });
});
