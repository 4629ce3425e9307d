// The outbox's references are checked once per statement by triggers (drizzle/0026), not by keys:
// a message may only name a campaign, variant and customer of its own shop, and deleting them
// removes (or, for a variant, clears) their messages as the keys' ON DELETE did.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { addCustomer, makeShop } from "../../test/factories";
import { refusal } from "../../test/refusal";
import { queryRows, type Database } from "../db/client";
import { campaigns, customers, sends, variants } from "../db/schema";
import { withShop } from "../db/tenant";

describe.each(engines())("the outbox's references on $name", (engine) => {
  let database: Database;
  const shops: { shopId: string; campaignId: string; variantId: string; customerId: string }[] = [];

  async function setUpShop(name: string) {
    const { shopId } = await makeShop(database, name);
    const customer = await addCustomer(database, shopId);
    return withShop(shopId, async (tx) => {
      const [c] = await tx.insert(campaigns).values({ shopId, name: "News", channel: "email", purpose: "marketing", status: "approved" }).returning({ id: campaigns.id });
      const [v] = await tx.insert(variants).values({ shopId, campaignId: c!.id, key: "A", subject: "Hi", body: "Hello" }).returning({ id: variants.id });
      return { shopId, campaignId: c!.id, variantId: v!.id, customerId: customer.id };
    }, database);
  }

  const message = (s: (typeof shops)[number], key: string, over: Partial<typeof sends.$inferInsert> = {}) => ({
    shopId: s.shopId, campaignId: s.campaignId, variantId: s.variantId, customerId: s.customerId, channel: "email" as const, why: "test", idempotencyKey: key, ...over,
  });

  beforeAll(async () => {
    database = await engine.open();
    shops.push(await setUpShop("Shop A"), await setUpShop("Shop B"));
  });
  afterAll(() => database.close());

  it("accepts a message whose campaign, variant and customer are its shop's, and several at once", async () => {
    const a = shops[0]!;
    const second = await addCustomer(database, a.shopId);
    const written = await withShop(a.shopId, (tx) => tx.insert(sends).values([message(a, "ok:1"), message(a, "ok:2", { customerId: second.id, variantId: null })]).returning({ id: sends.id }), database);
    expect(written).toHaveLength(2);
  });

  it("refuses a message naming another shop's customer, campaign or variant, and one naming none that exists", async () => {
    const [a, b] = [shops[0]!, shops[1]!];
    const insert = (over: Partial<typeof sends.$inferInsert>) => refusal(withShop(a.shopId, (tx) => tx.insert(sends).values(message(a, `bad:${Math.random()}`, over)), database));
    expect(await insert({ customerId: b.customerId })).toMatch(/refers to customer .*, whom its shop does not have/);
    expect(await insert({ campaignId: b.campaignId })).toMatch(/refers to campaign .*, which its shop does not have/);
    expect(await insert({ variantId: b.variantId })).toMatch(/refers to variant .*, which its shop does not have/);
    expect(await insert({ customerId: "01900000-0000-7000-8000-000000000000" })).toMatch(/whom its shop does not have/);
  });

  it("refuses changing a message's customer to another shop's, but lets the workers update it", async () => {
    const [a, b] = [shops[0]!, shops[1]!];
    const [row] = await withShop(a.shopId, (tx) => tx.insert(sends).values(message(a, "moved")).returning({ id: sends.id }), database);
    expect(await refusal(withShop(a.shopId, (tx) => tx.update(sends).set({ customerId: b.customerId }).where(eq(sends.id, row!.id)), database)))
      .toMatch(/whom its shop does not have/);
    expect(await refusal(withShop(a.shopId, (tx) => tx.update(sends).set({ status: "sent", sentAt: new Date() }).where(eq(sends.id, row!.id)), database))).toBe("allowed");
  });

  it("clears a deleted variant from its messages, and deletes a deleted campaign's and customer's messages", async () => {
    const b = shops[1]!;
    const other = await addCustomer(database, b.shopId);
    const counts = () => withShop(b.shopId, (tx) => queryRows<{ all: number; with_variant: number }>(
      tx, sql`select count(*)::int as all, count(variant_id)::int as with_variant from sends`), database).then((r) => r[0]!);
    await withShop(b.shopId, (tx) => tx.insert(sends).values([message(b, "d:1"), message(b, "d:2", { customerId: other.id })]), database);
    expect(await counts()).toEqual({ all: 2, with_variant: 2 });

    await withShop(b.shopId, (tx) => tx.delete(variants).where(eq(variants.id, b.variantId)), database);
    expect(await counts()).toEqual({ all: 2, with_variant: 0 });

    await withShop(b.shopId, (tx) => tx.delete(customers).where(eq(customers.id, other.id)), database);
    expect(await counts()).toEqual({ all: 1, with_variant: 0 });

    await withShop(b.shopId, (tx) => tx.delete(campaigns).where(eq(campaigns.id, b.campaignId)), database);
    expect(await counts()).toEqual({ all: 0, with_variant: 0 });
  });

  it("deletes a campaign whose variants have messages, variants and messages with it", async () => {
    const a = shops[0]!;
    await withShop(a.shopId, (tx) => tx.delete(campaigns).where(eq(campaigns.id, a.campaignId)), database);
    const [n] = await withShop(a.shopId, (tx) => queryRows<{ n: number }>(tx, sql`select count(*)::int as n from sends`), database);
    expect(n!.n).toBe(0);
  });
});
