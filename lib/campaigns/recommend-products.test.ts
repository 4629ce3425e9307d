import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { makeShop } from "../../test/factories";
import type { Database } from "../db/client";
import { customers, orderItems, orders, products } from "../db/schema";
import { withShop, type ShopTx } from "../db/tenant";
import { customerPurchases, loadRecommender } from "./recommend-products";

const NOW = new Date("2026-06-10T12:00:00Z");

describe.each(engines())("product recommendations on $name", (engine) => {
  let database: Database;
  let shopId: string;
  const inShop = <T>(fn: (tx: ShopTx) => Promise<T>) => withShop(shopId, fn, database);
  const who: Record<string, string> = {};

  beforeAll(async () => {
    database = await engine.open();
    ({ shopId } = await makeShop(database, "Recommending shop"));
    await inShop(async (tx) => {
      const catalogue = [["Tube", "Bikes"], ["Pump", "Bikes"], ["Bell", "Bikes"], ["Lights", "Bikes"], ["Vitamins", "Health supplements"], ["Beans", "Coffee"], ["Grinder", "Coffee"]] as const;
      const ids = new Map<string, string>();
      for (const [name, category] of catalogue) {
        const [p] = await tx.insert(products).values({ shopId, externalId: name, name, category }).returning({ id: products.id });
        ids.set(name, p!.id);
      }
      let n = 0;
      const order = async (customer: string, items: string[], placedAt = new Date("2026-05-01T10:00:00Z")) => {
        if (!who[customer]) who[customer] = (await tx.insert(customers).values({ shopId, email: `${customer}@example.com` }).returning())[0]!.id;
        const [o] = await tx.insert(orders).values({ shopId, customerId: who[customer]!, externalId: `O${++n}`, placedAt, totalMinor: 1000, currency: "EUR" }).returning();
        await tx.insert(orderItems).values(items.map((name) => ({ shopId, orderId: o!.id, productId: ids.get(name)!, name, category: catalogue.find((c) => c[0] === name)![1], quantity: 1, priceMinor: 500 })));
      };
      await order("c1", ["Tube", "Pump"]);
      await order("c2", ["Tube", "Pump", "Vitamins"]);
      await order("c3", ["Tube", "Bell"]);
      await order("c4", ["Beans", "Grinder"]);
      // Long ago: outside the window, so Lights is bought with Tube by nobody that counts.
      await order("c5", ["Tube", "Lights"], new Date("2025-01-01T10:00:00Z"));
      await order("t", ["Tube"]);
      await order("coffee", ["Beans"]);
      await order("vitamins", ["Vitamins", "Vitamins"]);
      who.none = (await tx.insert(customers).values({ shopId, email: "none@example.com" }).returning())[0]!.id;
    });
  });
  afterAll(() => database.close());

  const recommendFor = (customer: string) =>
    inShop(async (tx) => (await loadRecommender(tx, { now: NOW })).recommend(await customerPurchases(tx, who[customer]!)));

  it("suggests what others bought with what the customer bought, most customers first, then their category's favourites", async () => {
    expect(await recommendFor("t")).toEqual(["Pump", "Bell"]);
    expect(await recommendFor("coffee")).toEqual(["Grinder"]);
  });

  it("never suggests a product the customer has, one from a sensitive category, or anything from orders outside the window", async () => {
    const forC2 = await recommendFor("c2");
    expect(forC2).not.toContain("Tube");
    expect(forC2).not.toContain("Vitamins");
    expect(await recommendFor("t")).not.toContain("Lights");
    // What they bought is from a sensitive category: nothing is inferred from it (c2 bought it with a pump and a tube).
    expect(await recommendFor("vitamins")).toEqual([]);
    expect(await recommendFor("none")).toEqual([]);
  });
});
