import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { makeShop } from "../../test/factories";
import { setAutomation } from "../campaigns/automations";
import { runWorker } from "../campaigns/run-worker";
import { recordConsentEvents } from "../consent/record-consent-events";
import type { Database } from "../db/client";
import { campaigns, customers, events, orderItems, orders, segmentMembers, segments, sends, variants, webhookDeliveries, webhookSecrets } from "../db/schema";
import { withShop, type ShopTx } from "../db/tenant";
import { AppError } from "../errors";
import { readWebhookRequest } from "./read-webhook-request";
import { receiveWebhook } from "./receive-event";
import { rotateWebhookSecret } from "./rotate-webhook-secret";
import { BAD_SIGNATURE, signWebhook, signatureMatches } from "./verify-webhook";

const NOW = new Date("2026-06-10T10:00:00Z"); // 11:00 in London: outside quiet hours
const secs = (d: Date) => Math.floor(d.getTime() / 1000);

describe("the signature check", () => {
  const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  const body = '{"type":"product.viewed"}';
  const good = { id: "msg_1", timestamp: String(secs(NOW)), signature: signWebhook(secret, "msg_1", secs(NOW), body) };
  it.each([
    ["a good signature", good, [secret], true],
    ["a good signature among others", { ...good, signature: `v1,AAAA ${good.signature}` }, [secret], true],
    ["the previous secret during rotation", good, ["whsec_b3RoZXI=", secret], true],
    ["no signature", { ...good, signature: null }, [secret], false],
    ["another secret", good, ["whsec_b3RoZXI="], false],
    ["a changed body", { ...good, signature: signWebhook(secret, "msg_1", secs(NOW), `${body} `) }, [secret], false],
    ["another id", { ...good, id: "msg_2" }, [secret], false],
    ["no id", { ...good, id: null }, [secret], false],
    ["a stale timestamp", { ...good, timestamp: String(secs(NOW) - 301), signature: signWebhook(secret, "msg_1", secs(NOW) - 301, body) }, [secret], false],
    ["a future timestamp", { ...good, timestamp: String(secs(NOW) + 301), signature: signWebhook(secret, "msg_1", secs(NOW) + 301, body) }, [secret], false],
    ["a timestamp that is not a number", { ...good, timestamp: "soon" }, [secret], false],
    ["a v2 scheme", { ...good, signature: good.signature.replace("v1,", "v2,") }, [secret], false],
    ["an unknown shop (no secrets)", good, [], false],
  ])("%s", (_name, headers, secrets, ok) => {
    expect(signatureMatches(secrets, headers, body, NOW)).toBe(ok);
  });
});

describe("the webhook door", () => {
  const post = (headers: Record<string, string>, body: BodyInit) => new Request("http://x/api/webhooks/s", { method: "POST", headers, body });
  it("refuses a body that is not JSON with 415", async () => {
    await expect(readWebhookRequest(post({ "content-type": "text/plain" }, "{}"))).rejects.toMatchObject({ code: "unsupported_media_type", status: 415 });
  });
  it("refuses more than 256 KiB with 413, even without a Content-Length", async () => {
    const big = "x".repeat(256 * 1024 + 1);
    await expect(readWebhookRequest(post({ "content-type": "application/json", "content-length": String(big.length) }, big))).rejects.toMatchObject({ code: "payload_too_large", status: 413 });
    const stream = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode(big)); c.close(); } });
    const chunked = new Request("http://x/", { method: "POST", headers: { "content-type": "application/json" }, body: stream, duplex: "half" } as RequestInit);
    await expect(readWebhookRequest(chunked)).rejects.toMatchObject({ code: "payload_too_large" });
  });
  it("passes the raw text and the three headers on", async () => {
    const out = await readWebhookRequest(post({ "content-type": "application/json; charset=utf-8", "webhook-id": "a", "webhook-timestamp": "1", "webhook-signature": "v1,x" }, '{"a":1}'));
    expect(out).toEqual({ headers: { id: "a", timestamp: "1", signature: "v1,x" }, body: '{"a":1}' });
  });
});

describe.each(engines())("receiving webhooks on $name", (engine) => {
  let database: Database;
  let shopId: string;
  let userId: string;
  let secret: string;
  let segmentId: string;
  const ids: Record<string, string> = {};
  const inShop = <T>(fn: (tx: ShopTx) => Promise<T>) => withShop(shopId, fn, database);

  function deliver(event: unknown, options: { id?: string; secret?: string; at?: Date; now?: Date; shop?: string; raw?: string } = {}) {
    const id = options.id ?? `msg_${randomUUID()}`;
    const at = secs(options.at ?? NOW);
    const body = options.raw ?? JSON.stringify(event);
    return receiveWebhook(database, {
      shopId: options.shop ?? shopId, body, now: options.now ?? NOW,
      headers: { id, timestamp: String(at), signature: signWebhook(options.secret ?? secret, id, at, body) },
    });
  }
  const failure = (p: Promise<unknown>) => p.then(() => { throw new Error("expected a refusal"); }, (e: unknown) => {
    if (!(e instanceof AppError)) throw e;
    return { status: e.status, code: e.code, detail: e.message, fields: e.fields };
  });

  beforeAll(async () => {
    database = await engine.open();
    ({ shopId, userId, webhookSecret: secret } = await makeShop(database, "Webhook shop"));
    await inShop(async (tx) => {
      // The shop's first secret dates from before the test's clock.
      await tx.update(webhookSecrets).set({ createdAt: new Date(NOW.getTime() - 86_400_000) }).where(eq(webhookSecrets.shopId, shopId));
      for (const [key, email] of [["yes", "yes@example.com"], ["no", "no@example.com"], ["cart", "cart@example.com"], ["buyer", "buyer@example.com"]] as const) {
        const [c] = await tx.insert(customers).values({ shopId, externalId: `ext-${key}`, email }).returning({ id: customers.id });
        ids[key] = c!.id;
      }
      const [seg] = await tx.insert(segments).values({ shopId, key: "custom-all", name: "Everyone", kind: "custom", rules: {} }).returning({ id: segments.id });
      segmentId = seg!.id;
      await tx.insert(segmentMembers).values(["yes", "no"].map((k) => ({ shopId, segmentId, customerId: ids[k]! })));
      await recordConsentEvents(tx, ["yes", "cart", "buyer"].map((k) => ({
        customerId: ids[k]!, channel: "email" as const, purpose: "marketing" as const, action: "grant" as const, method: "checkout" as const,
        actorType: "customer" as const, evidence: { form: "checkout" }, occurredAt: new Date("2026-03-01T10:00:00Z"),
      })), { now: NOW });
    });
  });
  afterAll(() => database.close());

  it("accepts a signed customer.created (202) and stores the customer as the API would", async () => {
    const answer = await deliver({ type: "customer.created", timestamp: NOW.toISOString(), data: { externalId: "ext-new", email: "New@Example.com", firstName: "Nia" } });
    expect(answer.status).toBe(202);
    const [c] = await inShop((tx) => tx.select().from(customers).where(eq(customers.externalId, "ext-new")));
    expect(c).toMatchObject({ email: "new@example.com", firstName: "Nia" });
  });

  it("refuses a bad, missing, stale or future signature, and an unknown shop, with the same 401", async () => {
    const event = { type: "product.viewed", timestamp: NOW.toISOString(), data: { customerExternalId: "ext-yes", productExternalId: "p1" } };
    const body = JSON.stringify(event);
    const refusals = await Promise.all([
      failure(deliver(event, { secret: "whsec_d3Jvbmcgc2VjcmV0" })),
      failure(receiveWebhook(database, { shopId, body, now: NOW, headers: { id: "m", timestamp: String(secs(NOW)), signature: null } })),
      failure(deliver(event, { at: new Date(NOW.getTime() - 6 * 60_000) })),
      failure(deliver(event, { at: new Date(NOW.getTime() + 6 * 60_000) })),
      failure(deliver(event, { shop: randomUUID() })),
      failure(deliver(event, { shop: "not-a-shop" })),
    ]);
    for (const r of refusals) expect(r).toEqual({ status: 401, code: "invalid_signature", detail: BAD_SIGNATURE, fields: [] });
    const views = await inShop((tx) => tx.select().from(events).where(eq(events.type, "product.viewed")));
    expect(views).toHaveLength(0);
  });

  it("applies a webhook-id once: the second delivery answers 200 with the first answer and changes nothing", async () => {
    const id = `msg_${randomUUID()}`;
    const event = { type: "order.created", timestamp: NOW.toISOString(), data: {
      externalId: "o-1", customerExternalId: "ext-yes", placedAt: "2026-06-09T10:00:00Z", total: "30.00", currency: "EUR",
      items: [{ productExternalId: "p1", name: "Tea", quantity: 2, price: "15.00" }],
    } };
    const first = await deliver(event, { id });
    expect(first.status).toBe(202);
    const second = await deliver(event, { id, now: new Date(NOW.getTime() + 60_000), at: new Date(NOW.getTime() + 60_000) });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ status: "duplicate", id, result: { id, type: "order.created" } });
    const placed = await inShop((tx) => tx.select().from(orders).where(eq(orders.externalId, "o-1")));
    expect(placed).toHaveLength(1);
    expect(placed[0]!.totalMinor).toBe(3000);
    expect(await inShop((tx) => tx.select().from(orderItems).where(eq(orderItems.orderId, placed[0]!.id)))).toHaveLength(1);
    expect(await inShop((tx) => tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id)))).toHaveLength(1);
  });

  it("answers 400 naming the fields, records the rejection, and applies a corrected retry under the same id", async () => {
    const id = `msg_${randomUUID()}`;
    const bad = await failure(deliver({ type: "order.created", timestamp: NOW.toISOString(), data: { externalId: "o-2", total: "abc", currency: "EUR" } }, { id }));
    expect(bad.status).toBe(400);
    expect(bad.fields.map((f) => f.field)).toEqual(expect.arrayContaining(["data.placedAt", "data.total"]));
    expect((await failure(deliver({}, { raw: "{not json" }))).fields).toEqual([{ field: "(body)", message: "not valid JSON" }]);
    expect((await failure(deliver({ type: "order.shipped", timestamp: NOW.toISOString(), data: {} }))).fields.map((f) => f.field)).toEqual(["type"]);
    const [row] = await inShop((tx) => tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id)));
    expect(row).toMatchObject({ status: "rejected", type: "order.created" });
    const fixed = await deliver({ type: "order.created", timestamp: NOW.toISOString(), data: { externalId: "o-2", customerExternalId: "ext-yes", placedAt: "2026-06-09T11:00:00Z", total: "5", currency: "EUR" } }, { id });
    expect(fixed.status).toBe(202);
  });

  it("rotates: the old and the new secret both work, and a third rotation retires the oldest", async () => {
    const view = { type: "product.viewed", timestamp: NOW.toISOString(), data: { customerExternalId: "ext-yes", productExternalId: "p9" } };
    const first = secret;
    const { secret: second } = await inShop((tx) => rotateWebhookSecret(tx, NOW));
    expect((await deliver(view, { secret: first })).status).toBe(202);
    expect((await deliver(view, { secret: second })).status).toBe(202);
    const { secret: third } = await inShop((tx) => rotateWebhookSecret(tx, NOW));
    expect((await failure(deliver(view, { secret: first }))).status).toBe(401);
    expect((await deliver(view, { secret: second })).status).toBe(202);
    expect((await deliver(view, { secret: third })).status).toBe(202);
    // The grace period ends: only the newest works.
    const later = new Date(NOW.getTime() + 25 * 3_600_000);
    expect((await failure(deliver(view, { secret: second, now: later, at: later }))).status).toBe(401);
    expect((await deliver(view, { secret: third, now: later, at: later })).status).toBe(202);
    const active = await inShop((tx) => tx.select().from(webhookSecrets));
    expect(active.filter((s) => !s.revokedAt || s.revokedAt > NOW)).toHaveLength(2);
    secret = third;
  });

  it("campaign.trigger queues once, through consent, and names the unknown customers", async () => {
    const campaign = await inShop(async (tx) => {
      const [c] = await tx.insert(campaigns).values({ shopId, name: "Triggered", channel: "email", purpose: "marketing", segmentId, status: "approved", holdoutPct: 0 }).returning();
      await tx.insert(variants).values({ shopId, campaignId: c!.id, key: "A", subject: "Hi", body: "Hello {{first_name | there}}" });
      return c!;
    });
    const id = `msg_${randomUUID()}`;
    const event = { type: "campaign.trigger", timestamp: NOW.toISOString(), data: { campaignId: campaign.id, customers: ["ext-yes", "ext-no", "ext-ghost"] } };
    const answer = await deliver(event, { id });
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ unknownCustomers: ["ext-ghost"], funnel: { considered: 2, queued: 1, no_consent: 1 } });
    expect((await deliver(event, { id })).status).toBe(200);
    const queued = await inShop((tx) => tx.select().from(sends).where(eq(sends.campaignId, campaign.id)));
    expect(queued.map((s) => s.customerId)).toEqual([ids.yes]);
    const unknown = await failure(deliver({ ...event, data: { campaignId: randomUUID(), customers: ["ext-yes"] } }));
    expect(unknown).toMatchObject({ status: 400, fields: [{ field: "data.campaignId" }] });
  });

  it("cart.abandoned queues the switched-on reminder not before the delay, and the worker skips it when an order arrived", async () => {
    const cart = (customer: string, cartId: string) => ({ type: "cart.abandoned", timestamp: NOW.toISOString(), data: { customerExternalId: customer, cartId, total: "20.00", items: [{ productExternalId: "p1", quantity: 1 }] } });
    // Switched off: nothing is queued.
    expect((await deliver(cart("ext-cart", "c-0"))).body).toMatchObject({ automations: [] });
    await inShop((tx) => setAutomation(tx, { key: "cart_abandoned", on: true, userId, now: NOW }));
    const [automation] = await inShop((tx) => tx.select().from(campaigns).where(and(eq(campaigns.automation, true), eq(campaigns.trigger, "cart_abandoned"))));
    await inShop((tx) => tx.update(campaigns).set({ holdoutPct: 0 }).where(eq(campaigns.id, automation!.id)));
    for (const [customer, cartId] of [["ext-cart", "c-1"], ["ext-buyer", "c-2"], ["ext-no", "c-3"]] as const) {
      expect((await deliver(cart(customer, cartId))).status).toBe(202);
    }
    // The same cart again (a new delivery id) queues nothing more.
    await deliver(cart("ext-cart", "c-1"));
    const queued = await inShop((tx) => tx.select().from(sends).where(eq(sends.campaignId, automation!.id)));
    expect(queued.map((s) => s.customerId).sort()).toEqual([ids.cart!, ids.buyer!].sort());
    for (const s of queued) expect(s.sendAfter.getTime()).toBe(NOW.getTime() + 4 * 3_600_000);

    const mail: string[] = [];
    const transports = { mail: async (m: { to: string }) => void mail.push(m.to), sms: async () => undefined };
    const work = (at: Date) => runWorker({ database, once: true, transports, now: () => at, pollMs: 10, appUrl: "http://localhost:3000" });
    process.env.AUTH_SECRET ??= "a test secret that is long enough to sign links";
    await work(new Date(NOW.getTime() + 3 * 3_600_000));
    expect((await inShop((tx) => tx.select().from(sends).where(eq(sends.campaignId, automation!.id)))).map((s) => s.status)).toEqual(["queued", "queued"]);
    // The buyer orders an hour later, through the webhook.
    await deliver({ type: "order.created", timestamp: NOW.toISOString(), data: { externalId: "o-3", customerExternalId: "ext-buyer", placedAt: new Date(NOW.getTime() + 3_600_000).toISOString(), total: "20", currency: "EUR" } },
      { now: new Date(NOW.getTime() + 3_600_000), at: new Date(NOW.getTime() + 3_600_000) });
    const tally = await work(new Date(NOW.getTime() + 4 * 3_600_000 + 1000));
    expect(tally).toMatchObject({ sent: 1, skipped: 1 });
    expect(mail).toContain("cart@example.com");
    expect(mail).not.toContain("buyer@example.com");
    const after = await inShop((tx) => tx.select().from(sends).where(eq(sends.campaignId, automation!.id)));
    expect(after.find((s) => s.customerId === ids.buyer)).toMatchObject({ status: "skipped", skipReason: "ordered_since" });
  });

  it("welcomes a customer after their first order only, once switched on, and only with a grant", async () => {
    const order = (customer: string, externalId: string) => ({ type: "order.created", timestamp: NOW.toISOString(), data: {
      externalId, customerExternalId: customer, placedAt: NOW.toISOString(), total: "9.50", currency: "EUR" } });
    expect((await deliver(order("ext-first-off", "w-0"))).body).toMatchObject({ automations: [] });
    await inShop((tx) => setAutomation(tx, { key: "welcome", on: true, userId, now: NOW }));
    await inShop((tx) => tx.update(campaigns).set({ holdoutPct: 0 }).where(and(eq(campaigns.automation, true), eq(campaigns.trigger, "welcome"))));
    expect((await deliver(order("ext-cart", "w-1"))).body).toMatchObject({ automations: [{ automation: "welcome", queued: 1 }] });
    expect((await deliver(order("ext-cart", "w-2"))).body).toMatchObject({ automations: [] }); // a second order
    expect((await deliver(order("ext-no", "w-3"))).body).toMatchObject({ automations: [{ automation: "welcome", queued: 0 }] }); // no grant
    await inShop((tx) => setAutomation(tx, { key: "welcome", on: false, userId, now: NOW }));
    expect((await deliver(order("ext-first-later", "w-4"))).body).toMatchObject({ automations: [] });
  });

  it("limits deliveries per shop and minute: 429 with Retry-After, before any work", async () => {
    const other = await makeShop(database, "Busy shop");
    const view = JSON.stringify({ type: "product.viewed", timestamp: NOW.toISOString(), data: { customerExternalId: "x", productExternalId: "p" } });
    const send = (id: string) => receiveWebhook(database, { shopId: other.shopId, body: view, now: NOW, perMinute: 2,
      headers: { id, timestamp: String(secs(NOW)), signature: signWebhook(other.webhookSecret, id, secs(NOW), view) } });
    expect((await send("a")).status).toBe(202);
    expect((await send("b")).status).toBe(202);
    expect(await failure(send("c"))).toMatchObject({ status: 429, code: "rate_limited" });
    await expect(send("d")).rejects.toMatchObject({ retryAfter: 60 });
  });

  it("switches win-back on (its segment targeted at once, through consent) and off (paused)", async () => {
    const atRisk = await inShop(async (tx) => {
      await setAutomation(tx, { key: "win_back", on: false, userId, now: NOW }); // off before it exists: nothing happens
      const [seg] = await tx.insert(segments).values({ shopId, key: "lifecycle_at_risk", name: "At risk", kind: "builtin" }).returning({ id: segments.id });
      await tx.insert(segmentMembers).values(["yes", "no"].map((k) => ({ shopId, segmentId: seg!.id, customerId: ids[k]! })));
      return seg!.id;
    });
    const on = await inShop((tx) => setAutomation(tx, { key: "win_back", on: true, userId, now: NOW }));
    expect(on).toMatchObject({ key: "win_back", on: true });
    const [campaign] = await inShop((tx) => tx.select().from(campaigns).where(eq(campaigns.id, on.campaignId!)));
    expect(campaign).toMatchObject({ automation: true, segmentId: atRisk, approvedBy: userId });
    const queued = await inShop((tx) => tx.select().from(sends).where(eq(sends.campaignId, on.campaignId!)));
    expect(queued.every((s) => s.customerId === ids.yes)).toBe(true); // "no" has no grant
    const off = await inShop((tx) => setAutomation(tx, { key: "win_back", on: false, userId, now: NOW }));
    expect(off.on).toBe(false);
    expect((await inShop((tx) => tx.select().from(campaigns).where(eq(campaigns.id, on.campaignId!))))[0]!.status).toBe("paused");
  });

  it("records cart, checkout and product events for the customer they name, creating an unknown one", async () => {
    await deliver({ type: "checkout.started", timestamp: NOW.toISOString(), data: { customerExternalId: "ext-fresh", cartId: "c-9", total: 12, items: [] } });
    const [fresh] = await inShop((tx) => tx.select().from(customers).where(eq(customers.externalId, "ext-fresh")));
    const stored = await inShop((tx) => tx.select().from(events).where(eq(events.customerId, fresh!.id)));
    expect(stored.map((e) => [e.type, e.payload])).toEqual([["checkout.started", { cartId: "c-9", total: 1200, items: 0 }]]);
  });
});
