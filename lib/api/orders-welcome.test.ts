// POST /api/v1/orders welcomes a customer's first order as the webhook does: once the owner has
// switched the welcome on, for a recent new order of a customer with a current email grant, once.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { makeShop } from "../../test/factories";
import { setAutomation } from "../campaigns/automations";
import { recordConsentEvents } from "../consent/record-consent-events";
import type { Database } from "../db/client";
import { campaigns, customers, sends } from "../db/schema";
import { withShop, type ShopTx } from "../db/tenant";
import { parseBody } from "./api-context";
import { receiveOrder } from "./receive-order";
import { OrderInputSchema } from "./schemas";
import { withIdempotency } from "./with-idempotency";

const NOW = new Date("2026-06-10T10:00:00Z");
const DAY = 86_400_000;

describe.each(engines())("orders through the API welcome first orders on $name", (engine) => {
  let database: Database;
  let shopId: string;
  let userId: string;
  const inShop = <T>(fn: (tx: ShopTx) => Promise<T>) => withShop(shopId, fn, database);

  /** What the route does: the body parsed, run once per Idempotency-Key, at the request's time. */
  const post = (body: Record<string, unknown>, key: string | null = null) => {
    const text = JSON.stringify(body);
    return inShop((tx) => withIdempotency(tx, { shopId, scope: "POST /orders", key, requestBody: text }, async () => {
      const out = await receiveOrder(tx, parseBody(OrderInputSchema, JSON.parse(text)), { now: NOW });
      return { status: out.outcome === "created" ? 201 : 200, body: out };
    }));
  };
  const order = (externalId: string, customer: string, placedAt: Date) =>
    ({ externalId, customerExternalId: customer, placedAt: placedAt.toISOString(), total: 19.9, currency: "EUR" });
  /** The welcome messages queued for a customer, by their external id. */
  const welcomes = (customer: string) => inShop(async (tx) => {
    const rows = await tx.select({ id: sends.id }).from(sends)
      .innerJoin(campaigns, eq(campaigns.id, sends.campaignId))
      .innerJoin(customers, eq(customers.id, sends.customerId))
      .where(and(eq(campaigns.trigger, "welcome"), eq(customers.externalId, customer)));
    return rows.length;
  });

  beforeAll(async () => {
    database = await engine.open();
    ({ shopId, userId } = await makeShop(database, "API welcome shop"));
    await inShop(async (tx) => {
      const made = await tx.insert(customers).values(["before", "new", "old", "repeat", "nogrant"].map((k) => ({ shopId, externalId: `c-${k}`, email: `${k}@example.com` })))
        .returning({ id: customers.id, externalId: customers.externalId });
      await recordConsentEvents(tx, made.filter((c) => c.externalId !== "c-nogrant").map((c) => ({
        customerId: c.id, channel: "email" as const, purpose: "marketing" as const, action: "grant" as const, method: "checkout" as const,
        actorType: "customer" as const, evidence: { form: "checkout" }, occurredAt: new Date("2026-03-01T10:00:00Z"),
      })), { now: NOW });
    });
  });
  afterAll(() => database?.close());

  it("queues nothing while the welcome is switched off", async () => {
    expect(await post(order("A-0", "c-before", new Date(NOW.getTime() - 3_600_000)))).toMatchObject({ status: 201 });
    expect(await welcomes("c-before")).toBe(0);
  });

  it("queues one welcome for a recent first order, none for a second order", async () => {
    await inShop((tx) => setAutomation(tx, { key: "welcome", on: true, userId, now: NOW }));
    // Everyone gets it here: with the default holdout, a hash could keep this one customer back.
    await inShop((tx) => tx.update(campaigns).set({ holdoutPct: 0 }).where(and(eq(campaigns.automation, true), eq(campaigns.trigger, "welcome"))));
    expect(await post(order("A-1", "c-new", new Date(NOW.getTime() - 3_600_000)))).toMatchObject({ status: 201 });
    expect(await welcomes("c-new")).toBe(1);
    expect(await post(order("A-2", "c-new", new Date(NOW.getTime() - 1_800_000)))).toMatchObject({ status: 201 });
    expect(await welcomes("c-new")).toBe(1);
  });

  it("queues none for a first order placed 30 days ago", async () => {
    expect(await post(order("A-3", "c-old", new Date(NOW.getTime() - 30 * DAY)))).toMatchObject({ status: 201 });
    expect(await welcomes("c-old")).toBe(0);
  });

  it("queues none for a customer without an email marketing grant", async () => {
    expect(await post(order("A-4", "c-nogrant", new Date(NOW.getTime() - 3_600_000)))).toMatchObject({ status: 201 });
    expect(await welcomes("c-nogrant")).toBe(0);
  });

  it("queues no second welcome when the same request comes again, with or without its Idempotency-Key", async () => {
    const body = order("A-5", "c-repeat", new Date(NOW.getTime() - 3_600_000));
    const first = await post(body, "order-A-5");
    expect(first).toMatchObject({ status: 201, replayed: false });
    expect(await post(body, "order-A-5")).toEqual({ ...first, replayed: true });
    expect(await post(body)).toMatchObject({ status: 200, body: { outcome: "unchanged" } });
    expect(await post({ ...body, total: 24.5 })).toMatchObject({ status: 200, body: { outcome: "updated" } });
    expect(await welcomes("c-repeat")).toBe(1);
    // An order stored before the welcome was switched on, sent again or corrected now, is still no new order.
    expect(await post(order("A-0", "c-before", new Date(NOW.getTime() - 3_600_000)))).toMatchObject({ status: 200, body: { outcome: "unchanged" } });
    expect(await post({ ...order("A-0", "c-before", new Date(NOW.getTime() - 3_600_000)), total: 21 })).toMatchObject({ status: 200, body: { outcome: "updated" } });
    expect(await welcomes("c-before")).toBe(0);
  });
});
