import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { addCustomer, makeShop } from "../../test/factories";
import { getCustomer } from "../customers/get-customer";
import { listCustomers } from "../customers/list-customers";
import { queryRows, type Database } from "./client";
import { customers, orders, sales, shops, tenantTables } from "./schema";
import { withShop } from "./tenant";

describe.each(engines())("tenancy on $name", (engine) => {
  let database: Database;
  let a: Awaited<ReturnType<typeof makeShop>>;
  let b: Awaited<ReturnType<typeof makeShop>>;
  let bCustomerId: string;

  beforeAll(async () => {
    database = await engine.open();
    a = await makeShop(database, "Shop A");
    b = await makeShop(database, "Shop B");
    await addCustomer(database, a.shopId, { email: "ann@example.com" });
    bCustomerId = (await addCustomer(database, b.shopId, { email: "bob@example.com" })).id;
  });
  afterAll(() => database?.close());

  it("shows each shop only its own customers", async () => {
    const seenByA = await withShop(a.shopId, (tx) => tx.select().from(customers), database);
    expect(seenByA.map((c) => c.email)).toEqual(["ann@example.com"]);
    const listedByB = await withShop(b.shopId, (tx) => listCustomers(tx), database);
    expect(listedByB.rows.map((c) => c.email)).toEqual(["bob@example.com"]);
  });

  it("answers not found for another shop's customer", async () => {
    await expect(withShop(a.shopId, (tx) => getCustomer(tx, bCustomerId), database)).rejects.toMatchObject({ code: "not_found" });
    await expect(withShop(b.shopId, (tx) => getCustomer(tx, bCustomerId), database)).resolves.toMatchObject({ customer: { email: "bob@example.com" } });
  });

  it("shows nothing to a shop id that does not exist, or a malformed one", async () => {
    const rows = await withShop("00000000-0000-4000-8000-000000000000", (tx) => tx.select().from(customers), database);
    expect(rows).toEqual([]);
    await expect(withShop("not-a-uuid", (tx) => tx.select().from(customers), database)).rejects.toMatchObject({ code: "not_found" });
  });

  it("shows nothing to the application role when a query forgot its shop", async () => {
    const counts = await database.db.transaction(async (tx) => {
      await tx.execute(sql`set local role regulars_app`);
      return queryRows<{ c: number; s: number }>(tx, sql`select (select count(*)::int from customers) as c, (select count(*)::int from shops) as s`);
    });
    expect(counts[0]).toEqual({ c: 0, s: 0 });
  });

  it("shows each shop only its own sales, net of refunds and without cancelled or refunded orders", async () => {
    const ann = (await withShop(a.shopId, (tx) => tx.select().from(customers), database))[0]!;
    const placedAt = new Date("2026-01-10T10:00:00Z");
    const order = (externalId: string, extra: Partial<typeof orders.$inferInsert>) => ({ shopId: a.shopId, externalId, customerId: ann.id, placedAt, totalMinor: 5000, currency: "EUR", ...extra });
    await withShop(a.shopId, (tx) =>
      tx.insert(orders).values([
        order("S-1", {}),
        order("S-2", { status: "partially_refunded", refundedMinor: 1500 }),
        order("S-3", { status: "refunded", refundedMinor: 5000 }),
        order("S-4", { status: "cancelled", cancelledAt: placedAt }),
      ]), database);
    await withShop(b.shopId, (tx) => tx.insert(orders).values({ shopId: b.shopId, externalId: "S-1", customerId: bCustomerId, placedAt, totalMinor: 999, currency: "EUR" }), database);
    const seenByA = await withShop(a.shopId, (tx) => tx.select({ id: sales.externalId, net: sales.netMinor }).from(sales).orderBy(sales.externalId), database);
    expect(seenByA).toEqual([{ id: "S-1", net: 5000 }, { id: "S-2", net: 3500 }]);
    const seenByB = await withShop(b.shopId, (tx) => tx.select({ net: sales.netMinor }).from(sales), database);
    expect(seenByB).toEqual([{ net: 999 }]);
  });

  it("refuses to write a row into another shop", async () => {
    await expect(
      withShop(a.shopId, (tx) => tx.insert(customers).values({ shopId: b.shopId, email: "sneaky@example.com" }), database),
    ).rejects.toThrow();
    await expect(withShop(a.shopId, (tx) => tx.update(shops).set({ name: "taken over" }).where(sql`true`).returning(), database)).resolves.toHaveLength(1);
    const [bShop] = await withShop(b.shopId, (tx) => tx.select().from(shops), database);
    expect(bShop?.name).toBe("Shop B");
  });

  it("forces row-level security on every tenant table", async () => {
    const rows = await queryRows<{ relname: string; rls: boolean; forced: boolean }>(
      database.db,
      sql`select relname, relrowsecurity as rls, relforcerowsecurity as forced from pg_class
           where relkind = 'r' and relnamespace = 'public'::regnamespace`,
    );
    for (const table of [...tenantTables, "shops"]) {
      expect(rows.find((r) => r.relname === table), table).toMatchObject({ rls: true, forced: true });
    }
    // Every table with a shop_id column is in the list: a new tenant table cannot be forgotten.
    const withShopId = await queryRows<{ table_name: string }>(
      database.db,
      sql`select c.table_name from information_schema.columns c
            join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
           where c.table_schema = 'public' and c.column_name = 'shop_id'`,
    );
    expect(withShopId.map((r) => r.table_name).sort()).toEqual([...tenantTables].sort());
  });

  it("asks for the shop once per statement, not once per row it checks", async () => {
    // A bare call in a policy runs for every row a scan reads; a scalar subquery runs once.
    const policies = await queryRows<{ tablename: string; qual: string; with_check: string }>(
      database.db,
      sql`select tablename, qual, with_check from pg_policies where schemaname = 'public' and policyname = 'shop_isolation'`,
    );
    expect(policies.map((p) => p.tablename).sort()).toEqual([...tenantTables, "shops"].sort());
    const once = /^\((shop_)?id = \( SELECT regulars_current_shop\(\) AS regulars_current_shop\)\)$/;
    for (const p of policies) {
      expect(p.qual, p.tablename).toMatch(once);
      expect(p.with_check, p.tablename).toMatch(once);
    }
    // And the plan says so: the shop is an InitPlan, computed before the scan.
    const plan = await withShop(a.shopId, (tx) => queryRows<{ "QUERY PLAN": string }>(tx, sql`explain (costs off) select count(*) from orders`), database);
    expect(plan.map((r) => r["QUERY PLAN"]).join("\n")).toMatch(/InitPlan/);
  });

  it("gives a tenant table added by a later migration the same policy", async () => {
    await database.db.execute(sql`create table tenancy_probe (shop_id uuid not null)`);
    try {
      await database.db.execute(sql`select regulars_protect_tenant_table('tenancy_probe')`);
      const [p] = await queryRows<{ qual: string }>(database.db, sql`select qual from pg_policies where tablename = 'tenancy_probe'`);
      expect(p!.qual).toContain("( SELECT regulars_current_shop()");
    } finally {
      await database.db.execute(sql`drop table tenancy_probe`);
    }
  });
});
