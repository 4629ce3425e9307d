import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCustomer, makeShop } from "../../test/factories";
import { engines } from "../../test/databases";
import type { Database } from "../db/client";
import { withShop } from "../db/tenant";
import { getRefreshState } from "./read-segments";
import { refreshDueShops, settleRefreshJob, startRefreshJob } from "./refresh-jobs";
import { refreshSegments } from "./refresh-segments";

describe.each(engines())("segment refresh jobs on $name", (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(() => database?.close());

  it("answers the running job when asked again, and records the outcome", async () => {
    const { shopId } = await makeShop(database);
    await addCustomer(database, shopId, { orders: [{ totalMinor: 1200, placedAt: new Date("2026-05-01T10:00:00Z") }] });
    const first = startRefreshJob(shopId, "manual", database);
    const second = startRefreshJob(shopId, "manual", database);
    expect(second).toBe(first);
    const done = await settleRefreshJob(shopId);
    expect(done).toMatchObject({ status: "done", error: null, result: { customers: 1 } });
    const state = await withShop(shopId, getRefreshState, database);
    expect(state.last).toMatchObject({ status: "done", trigger: "manual", customers: 1 });
    expect(state.running).toBeNull();
  });

  it("refreshes on schedule only the shops whose segments are older than the period", async () => {
    const fresh = await makeShop(database);
    const stale = await makeShop(database);
    const never = await makeShop(database);
    await refreshSegments(fresh.shopId, { database, trigger: "cli" });
    await refreshSegments(stale.shopId, { database, trigger: "cli" });
    // Pretend the stale shop's refresh ran two days ago.
    await withShop(stale.shopId, (tx) => tx.execute(sql`update segment_refreshes set started_at = started_at - interval '2 days'`), database);
    const due = await refreshDueShops({ maxAgeHours: 24, database });
    expect(due).toContain(stale.shopId);
    expect(due).toContain(never.shopId);
    expect(due).not.toContain(fresh.shopId);
    const state = await withShop(never.shopId, getRefreshState, database);
    expect(state.last).toMatchObject({ status: "done", trigger: "schedule" });
  });
});
