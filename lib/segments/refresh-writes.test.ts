import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCustomer, makeShop } from "../../test/factories";
import { engines } from "../../test/databases";
import { openDatabase, queryRows, type Database } from "../db/client";
import { customerScores, customers, events, orderItems, orders, segmentMembers, segments, shops } from "../db/schema";
import { withShop } from "../db/tenant";
import { deleteCustomSegment, saveCustomSegment } from "./custom-segments";
import { customerSegments, listSegmentMembers } from "./read-segments";
import { refreshSegments } from "./refresh-segments";

const NOW = new Date("2026-06-01T12:00:00Z");
const DAY = 86_400_000;
const daysAgo = (d: number, from = NOW) => new Date(from.getTime() - d * DAY);

interface StoredMember {
  key: string;
  email: string;
  params: Record<string, unknown> | null;
  /** The transaction that last wrote the row. */
  version: string;
}

describe.each(engines())("segment members written in bulk on $name", (engine) => {
  let database: Database;
  let url: string | undefined;
  beforeAll(async () => {
    const opened = await engine.open();
    database = opened;
    url = opened.url;
  });
  afterAll(() => database?.close());

  const stored = (shopId: string) =>
    withShop(shopId, (tx) =>
      queryRows<StoredMember>(
        tx,
        sql`select s.key, c.email, sm.reason_params as params, sm.xmin::text as version
              from segment_members sm join segments s on s.id = sm.segment_id join customers c on c.id = sm.customer_id
             order by s.key, c.email`,
      ), database);
  const member = (rows: StoredMember[], key: string, email: string) => rows.find((r) => r.key === key && r.email === email);

  it("stores parameters, not sentences, and rewrites only the members that changed", async () => {
    const { shopId } = await makeShop(database);
    const ann = await addCustomer(database, shopId, { email: "ann@example.com", orders: [{ totalMinor: 1200, placedAt: daysAgo(10) }] });
    const ben = await addCustomer(database, shopId, { email: "ben@example.com", orders: [{ totalMinor: 3000, placedAt: daysAgo(20) }] });
    const tea = await addCustomer(database, shopId, { email: "tea@example.com", orders: [40, 30, 20].map((d) => ({ totalMinor: 900, placedAt: daysAgo(d) })) });
    const cof = await addCustomer(database, shopId, { email: "coffee@example.com", orders: [45, 35, 25].map((d) => ({ totalMinor: 700, placedAt: daysAgo(d) })) });
    const cartAt = daysAgo(2);
    await withShop(shopId, async (tx) => {
      for (const [who, category] of [[tea, "Tea"], [cof, "Coffee"]] as const) {
        const theirs = await tx.select().from(orders).where(eq(orders.customerId, who.id));
        await tx.insert(orderItems).values(theirs.map((o) => ({ shopId, orderId: o.id, name: category, category, quantity: 1, priceMinor: o.totalMinor })));
      }
      await tx.insert(events).values({ shopId, customerId: ben.id, type: "cart.updated", occurredAt: cartAt, payload: {} });
    }, database);

    const first = await refreshSegments(shopId, { database, trigger: "cli", now: NOW });
    const before = await stored(shopId);
    expect(before.length).toBe(first.segments.reduce((n, s) => n + s.size, 0));
    // Reasons that the scores say in full store nothing; the others store their figures.
    expect(member(before, "one_time_buyers", "ann@example.com")?.params).toBeNull();
    expect(member(before, "lifecycle_new", "ann@example.com")?.params).toBeNull();
    expect(new Date(String(member(before, "cart_abandoners", "ben@example.com")?.params?.cartAt)).getTime()).toBe(cartAt.getTime());
    expect(member(before, "category_affinity", "tea@example.com")?.params).toEqual({ items: 3, of: 3, category: "Tea" });
    expect(before.every((r) => r.params === null || !("sentence" in r.params))).toBe(true);
    // One refresh writes every row in its one transaction.
    expect(new Set(before.map((r) => r.version)).size).toBe(1);

    // Nothing changed: nothing is written again.
    await refreshSegments(shopId, { database, trigger: "cli", now: NOW });
    expect(await stored(shopId)).toEqual(before);

    // Ann orders again, Ben orders after his cart, the tea drinker buys more tea.
    await withShop(shopId, async (tx) => {
      await tx.insert(orders).values([
        { shopId, customerId: ann.id, externalId: "ann-2", placedAt: daysAgo(1), totalMinor: 1500, currency: "EUR" },
        { shopId, customerId: ben.id, externalId: "ben-2", placedAt: daysAgo(1), totalMinor: 2500, currency: "EUR" },
      ]);
      const [more] = await tx.insert(orders).values({ shopId, customerId: tea.id, externalId: "tea-4", placedAt: daysAgo(1), totalMinor: 900, currency: "EUR" }).returning();
      await tx.insert(orderItems).values({ shopId, orderId: more!.id, name: "Tea", category: "Tea", quantity: 1, priceMinor: 900 });
    }, database);
    await refreshSegments(shopId, { database, trigger: "cli", now: NOW });
    const after = await stored(shopId);
    expect(member(after, "one_time_buyers", "ann@example.com")).toBeUndefined();
    expect(member(after, "cart_abandoners", "ben@example.com")).toBeUndefined();
    const teaFan = member(after, "category_affinity", "tea@example.com")!;
    expect(teaFan.params).toEqual({ items: 4, of: 4, category: "Tea" });
    expect(teaFan.version).not.toBe(member(before, "category_affinity", "tea@example.com")!.version);
    // The coffee drinker's category and the customers whose group did not move keep their rows as they were.
    expect(member(after, "category_affinity", "coffee@example.com")).toEqual(member(before, "category_affinity", "coffee@example.com"));
    const kept = after.filter((r) => before.some((b) => b.key === r.key && b.email === r.email && b.version === r.version));
    expect(kept.length).toBeGreaterThan(0);
    expect(after.length - kept.length).toBeLessThan(after.length);

    const page = await withShop(shopId, async (tx) => {
      const [fans] = await tx.select().from(segments).where(eq(segments.key, "category_affinity"));
      return listSegmentMembers(tx, fans!.id);
    }, database);
    expect(page.members.map((m) => [m.email, m.reason]).sort()).toEqual([
      ["coffee@example.com", "3 of 3 items bought were Coffee."],
      ["tea@example.com", "4 of 4 items bought were Tea."],
    ]);
  });

  it.runIf(engine.name === "postgres")("computes every segment in its own transaction when the pool has no connection to spare", async () => {
    const { shopId } = await makeShop(database);
    const tea = await addCustomer(database, shopId, { email: "tea@example.com", orders: [40, 30, 20].map((d) => ({ totalMinor: 900, placedAt: daysAgo(d) })) });
    await withShop(shopId, async (tx) => {
      const theirs = await tx.select().from(orders).where(eq(orders.customerId, tea.id));
      await tx.insert(orderItems).values(theirs.map((o) => ({ shopId, orderId: o.id, name: "Tea", category: "Tea", quantity: 1, priceMinor: o.totalMinor })));
    }, database);
    // One connection: the refresh's transaction holds it, so the read of carts, browsing and
    // categories on a connection of its own never starts, and the refresh must not wait for it.
    const single = await openDatabase({ kind: "postgres", url: url!, max: 1 }, { migrate: false });
    try {
      await refreshSegments(shopId, { database: single, trigger: "cli", now: NOW });
    } finally {
      await single.close();
    }
    const rows = await stored(shopId);
    expect(member(rows, "category_affinity", "tea@example.com")?.params).toEqual({ items: 3, of: 3, category: "Tea" });
    expect(new Set(rows.map((r) => r.version)).size).toBe(1);
    // A refresh that reads them on a second connection finds the same rows: nothing is written again.
    await refreshSegments(shopId, { database, trigger: "cli", now: NOW });
    expect(await stored(shopId)).toEqual(rows);
  });

  it("renders days in the shop's time zone", async () => {
    const { shopId } = await makeShop(database);
    // 23:30 on 1 June in Auckland; the refresh runs at midnight there, on 2 June (noon in London).
    await addCustomer(database, shopId, { email: "kiri@example.com", orders: [{ totalMinor: 1200, placedAt: new Date("2026-06-01T11:30:00Z") }] });
    const reasonIn = async (timeZone: string) => {
      await withShop(shopId, (tx) => tx.update(shops).set({ timeZone }).where(eq(shops.id, shopId)), database);
      await refreshSegments(shopId, { database, trigger: "cli", now: NOW });
      return withShop(shopId, async (tx) => {
        const [oneTime] = await tx.select().from(segments).where(eq(segments.key, "one_time_buyers"));
        return (await listSegmentMembers(tx, oneTime!.id)).members[0]?.reason;
      }, database);
    };
    expect(await reasonIn("Pacific/Auckland")).toBe("1 order, 1 day ago, €12.00 spent — has not ordered again yet.");
    expect(await reasonIn("Europe/London")).toBe("1 order, today, €12.00 spent — has not ordered again yet.");
  });

  it("forgets a deleted customer's memberships and scores, and a deleted segment's members", async () => {
    const { shopId } = await makeShop(database);
    const gone = await addCustomer(database, shopId, { email: "gone@example.com", orders: [{ totalMinor: 1000, placedAt: daysAgo(3) }] });
    await addCustomer(database, shopId, { email: "stays@example.com", orders: [{ totalMinor: 1000, placedAt: daysAgo(4) }] });
    await refreshSegments(shopId, { database, trigger: "cli", now: NOW });
    const saved = await withShop(shopId, (tx) => saveCustomSegment(tx, { name: "Any order", rules: { match: "all", conditions: [{ field: "orderCount", op: "gte", value: 1 }] } }, { now: NOW }), database);
    expect(saved.size).toBe(2);
    const count = (table: typeof segmentMembers | typeof customerScores, customerId: string) =>
      withShop(shopId, async (tx) => (await tx.select().from(table).where(eq(table.customerId, customerId))).length, database);
    expect(await count(segmentMembers, gone.id)).toBeGreaterThan(1);
    expect(await count(customerScores, gone.id)).toBe(1);

    await withShop(shopId, (tx) => tx.delete(customers).where(eq(customers.id, gone.id)), database);
    expect(await count(segmentMembers, gone.id)).toBe(0);
    expect(await count(customerScores, gone.id)).toBe(0);
    const { segments: left } = await withShop(shopId, async (tx) => customerSegments(tx, (await tx.select().from(customers))[0]!.id), database);
    expect(left.find((s) => s.id === saved.id)?.reason).toBe("Matches your rule: 1 order.");

    await withShop(shopId, (tx) => deleteCustomSegment(tx, saved.id), database);
    const orphans = await withShop(shopId, (tx) => tx.select().from(segmentMembers).where(eq(segmentMembers.segmentId, saved.id)), database);
    expect(orphans).toEqual([]);
  });
});
