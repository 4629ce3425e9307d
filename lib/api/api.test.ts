import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { makeShop } from "../../test/factories";
import type { Database } from "../db/client";
import { customers, orders, sales } from "../db/schema";
import { withShop } from "../db/tenant";
import { createApiKey, revokeApiKey } from "../shops/api-keys";
import { authenticateApiKey } from "./authenticate-api-key";
import { parseBody } from "./api-context";
import { OrderInputSchema } from "./schemas";
import { takeApiRequest } from "./take-api-request";
import { upsertCustomer } from "./upsert-customer";
import { upsertOrder } from "./upsert-order";
import { withIdempotency } from "./with-idempotency";

describe.each(engines())("REST API core on $name", (engine) => {
  let database: Database;
  let shop: Awaited<ReturnType<typeof makeShop>>;
  beforeAll(async () => {
    database = await engine.open();
    shop = await makeShop(database);
  });
  afterAll(() => database?.close());

  it.each([
    ["no header", null],
    ["another scheme", "Basic abc"],
    ["an unknown key", "Bearer rk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
  ])("refuses %s with one and the same answer", async (_name, header) => {
    await expect(authenticateApiKey(header, database)).rejects.toMatchObject({ code: "unauthorized", message: expect.stringContaining("Bearer") });
  });

  it("names the key's shop, and refuses it once revoked", async () => {
    await expect(authenticateApiKey(`Bearer ${shop.apiKey}`, database)).resolves.toMatchObject({ shopId: shop.shopId });
    const { id, key } = await withShop(shop.shopId, (tx) => createApiKey(tx, "Till"), database);
    await expect(authenticateApiKey(`Bearer ${key}`, database)).resolves.toMatchObject({ keyId: id });
    await withShop(shop.shopId, (tx) => revokeApiKey(tx, id), database);
    await expect(authenticateApiKey(`Bearer ${key}`, database)).rejects.toMatchObject({ code: "unauthorized" });
    const other = await makeShop(database);
    await expect(withShop(other.shopId, (tx) => revokeApiKey(tx, id), database)).rejects.toMatchObject({ code: "not_found" });
  });

  it("limits requests per key per minute and says when to retry", async () => {
    const caller = await authenticateApiKey(`Bearer ${shop.apiKey}`, database);
    const at = new Date("2026-05-01T10:00:40Z");
    for (let i = 0; i < 3; i++) await withShop(shop.shopId, (tx) => takeApiRequest(tx, caller, at, 3), database);
    await expect(withShop(shop.shopId, (tx) => takeApiRequest(tx, caller, at, 3), database)).rejects.toMatchObject({ code: "rate_limited", retryAfter: 20 });
    await expect(withShop(shop.shopId, (tx) => takeApiRequest(tx, caller, new Date("2026-05-01T10:01:00Z"), 3), database)).resolves.toMatchObject({ remaining: 2 });
  });

  it("runs a POST once per Idempotency-Key and refuses the key with another body", async () => {
    const post = (key: string, body: { externalId: string; email: string }) =>
      withShop(shop.shopId, (tx) =>
        withIdempotency(tx, { shopId: shop.shopId, scope: "POST /customers", key, requestBody: JSON.stringify(body) }, async () => {
          const r = await upsertCustomer(tx, body);
          return { status: r.outcome === "created" ? 201 : 200, body: r };
        }), database);
    const first = await post("idem-1", { externalId: "I1", email: "i1@example.com" });
    const again = await post("idem-1", { externalId: "I1", email: "i1@example.com" });
    expect(first).toMatchObject({ status: 201, replayed: false });
    expect(again).toEqual({ ...first, replayed: true });
    await expect(post("idem-1", { externalId: "I2", email: "i2@example.com" })).rejects.toMatchObject({ code: "conflict" });
    const [n] = await withShop(shop.shopId, (tx) => tx.select({ n: count() }).from(customers), database);
    expect(n?.n).toBe(1);
  });

  it("creates an order with its lines, then answers unchanged and updated as it should", async () => {
    const body = {
      externalId: "API-1", customerEmail: "api-buyer@example.com", placedAt: "2026-03-01T10:00:00Z", total: 12.5, currency: "EUR",
      items: [{ name: "Tube", quantity: 2, price: 6.25 }],
    };
    const input = parseBody(OrderInputSchema, body);
    expect((await withShop(shop.shopId, (tx) => upsertOrder(tx, input), database)).outcome).toBe("created");
    expect((await withShop(shop.shopId, (tx) => upsertOrder(tx, input), database)).outcome).toBe("unchanged");
    const changed = parseBody(OrderInputSchema, { ...body, items: [{ name: "Tube", quantity: 3, price: 6.25 }], total: 18.75 });
    expect((await withShop(shop.shopId, (tx) => upsertOrder(tx, changed), database)).outcome).toBe("updated");
    const [order] = await withShop(shop.shopId, (tx) => tx.select().from(orders).where(eq(orders.externalId, "API-1")), database);
    // Not from an import: no import is named as its source.
    expect(order).toMatchObject({ totalMinor: 1875, importId: null, status: "paid", refundedMinor: 0 });

    // A refund reported later: the order stays, what the shop kept goes down.
    const refunded = parseBody(OrderInputSchema, { ...body, items: [{ name: "Tube", quantity: 3, price: 6.25 }], total: 18.75, refunded: 6.25 });
    expect((await withShop(shop.shopId, (tx) => upsertOrder(tx, refunded), database)).outcome).toBe("updated");
    const [sale] = await withShop(shop.shopId, (tx) => tx.select().from(sales).where(eq(sales.externalId, "API-1")), database);
    expect(sale).toMatchObject({ status: "partially_refunded", netMinor: 1250 });
    const cancelled = parseBody(OrderInputSchema, { ...body, status: "cancelled", cancelledAt: "2026-03-02T10:00:00Z" });
    expect((await withShop(shop.shopId, (tx) => upsertOrder(tx, cancelled), database)).outcome).toBe("updated");
    expect(await withShop(shop.shopId, (tx) => tx.select().from(sales).where(eq(sales.externalId, "API-1")), database)).toEqual([]);
  });

  it("names every field of a bad body", () => {
    expect(() => parseBody(OrderInputSchema, { externalId: "", placedAt: "soon", total: "1,5", currency: "eur", extra: 1 })).toThrow(
      expect.objectContaining({ code: "invalid_input", fields: expect.arrayContaining([expect.objectContaining({ field: "placedAt" }), expect.objectContaining({ field: "currency" }), expect.objectContaining({ field: "total" })]) }),
    );
  });
});
