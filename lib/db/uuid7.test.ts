import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { queryRows, type Database } from "./client";
import { uuid7, uuid7Time } from "./uuid7";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("uuid7", () => {
  it("makes version-7 UUIDs that carry the time they were made", () => {
    const before = Date.now();
    const id = uuid7();
    expect(id).toMatch(UUID_V7);
    expect(uuid7Time(id).getTime()).toBeGreaterThanOrEqual(before);
    expect(uuid7Time(id).getTime()).toBeLessThanOrEqual(Date.now());
    expect(uuid7Time(uuid7(Date.UTC(2030, 0, 1)))).toEqual(new Date(Date.UTC(2030, 0, 1)));
  });

  it("sorts in the order the ids were made, within one millisecond and when the clock steps back", () => {
    const t = Date.UTC(2031, 5, 1);
    const ids = [
      ...Array.from({ length: 5000 }, () => uuid7(t)), // more than the 4,096 a millisecond's counter holds
      uuid7(t - 60_000),
      uuid7(t + 1),
      ...Array.from({ length: 3 }, () => uuid7()),
    ];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(UUID_V7);
  });
});

describe.each(engines())("regulars_uuid7() on $name", (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(() => database?.close());

  it("gives new customers, orders and order lines version-7 ids that grow with time", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const rows = await queryRows<{ id: string }>(database.db, sql`select regulars_uuid7()::text as id`);
      ids.push(rows[0]!.id);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) {
      expect(id).toMatch(UUID_V7);
      expect(Math.abs(uuid7Time(id).getTime() - Date.now())).toBeLessThan(60_000);
    }
    // Also in a query the planner would run in parallel (made cheap here), which a volatile SQL function cannot join.
    const made = await database.db.transaction(async (tx) => {
      await tx.execute(sql`create table uuid7_probe as select g from generate_series(1, 20000) g`);
      await tx.execute(sql`select set_config(name, '0', true) from pg_settings where name in ('parallel_setup_cost', 'parallel_tuple_cost', 'min_parallel_table_scan_size')`);
      await tx.execute(sql`create temp table uuid7_made as select regulars_uuid7() as id from uuid7_probe`);
      const rows = await queryRows<{ n: number; distinct: number }>(tx, sql`select count(*)::int as n, count(distinct id)::int as distinct from uuid7_made`);
      await tx.execute(sql`drop table uuid7_probe, uuid7_made`);
      return rows;
    });
    expect(made).toEqual([{ n: 20000, distinct: 20000 }]);
    const defaults = await queryRows<{ table: string; def: string }>(
      database.db,
      sql`select table_name as table, column_default as def from information_schema.columns
           where column_name = 'id' and table_name in ('customers', 'orders', 'order_items') order by table_name`,
    );
    expect(defaults).toEqual([
      { table: "customers", def: "regulars_uuid7()" },
      { table: "order_items", def: "regulars_uuid7()" },
      { table: "orders", def: "regulars_uuid7()" },
    ]);
  });
});
