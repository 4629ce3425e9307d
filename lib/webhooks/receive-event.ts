// One delivery on a shop's webhook endpoint, after the door (size and type) let it in: the shop's
// per-minute limit, the signature, then the body. A webhook-id is applied once: its delivery row is
// claimed in the same transaction that applies the event, so a retry (or two at once) finds it and
// answers 200 with the first answer, with no second effect. A body that does not fit is recorded as
// rejected with the reason, and a corrected retry under the same id is applied.
import { eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { apiContext, parseBody } from "../api/api-context";
import { upsertCustomer } from "../api/upsert-customer";
import { upsertOrder } from "../api/upsert-order";
import { fireAutomations } from "../campaigns/automations";
import { welcomeIfFirstOrder } from "../campaigns/welcome-first-order";
import { targetAudience } from "../campaigns/target-audience";
import { getDatabase, type Database } from "../db/client";
import { customers, events, webhookDeliveries } from "../db/schema";
import { withShop, type ShopTx } from "../db/tenant";
import { AppError, type FieldError } from "../errors";
import { takeRateLimit } from "../http/take-rate-limit";
import { refKey, resolveCustomers } from "../ingest/resolve-customers";
import { WebhookEventSchema, type WebhookEvent } from "./schemas";
import { refuseUnknownShop, verifyWebhook, type WebhookHeaders } from "./verify-webhook";

export const WEBHOOKS_PER_MINUTE = 1200;

export interface WebhookAnswer {
  status: 200 | 202;
  body: Record<string, unknown>;
}

export async function receiveWebhook(
  database: Database | undefined,
  input: { shopId: string; headers: WebhookHeaders; body: string; now?: Date; perMinute?: number },
): Promise<WebhookAnswer> {
  const now = input.now ?? new Date();
  const { db } = database ?? (await getDatabase());
  await takeRateLimit(db, [{ bucket: `webhook:${input.shopId.slice(0, 64)}`, limit: input.perMinute ?? WEBHOOKS_PER_MINUTE }], now,
    "Too many webhook deliveries for this shop this minute; retry after the time in Retry-After.");
  // An id that cannot name a shop gets the same refusal after the same HMAC work.
  if (!z.uuid().safeParse(input.shopId).success) refuseUnknownShop(input.headers, input.body, now);
  const id = input.headers.id ?? "";
  // The body is parsed before the signature is known good, but acted on only after: parsing costs
  // the same for every shop, so it tells nothing about which exist.
  const parsed = parseEvent(input.body);

  try {
    return await withShop(input.shopId, async (tx) => {
      await verifyWebhook(tx, input.headers, input.body, now);
      if ("error" in parsed) throw parsed.error;
      const { event } = parsed;
      const [claimed] = await tx.insert(webhookDeliveries).values({ shopId: input.shopId, id, type: event.type, status: "accepted", receivedAt: now })
        .onConflictDoUpdate({
          target: [webhookDeliveries.shopId, webhookDeliveries.id],
          set: { status: "accepted", type: event.type, receivedAt: now, error: null, result: null },
          setWhere: sql`${webhookDeliveries.status} = 'rejected'`,
        })
        .returning({ id: webhookDeliveries.id });
      if (!claimed) return replay(tx, id);
      const result = { id, type: event.type, ...(await applyEvent(tx, event, { id, shopId: input.shopId, now })) };
      await tx.update(webhookDeliveries).set({ result }).where(eq(webhookDeliveries.id, id));
      return { status: 202 as const, body: { status: "accepted", ...result } };
    }, database);
  } catch (e) {
    if (e instanceof AppError && e.code === "invalid_signature") throw e;
    if ("error" in parsed) return rejected(database, input.shopId, id, parsed.type, now, e === parsed.error ? e : asBodyError(e));
    return rejected(database, input.shopId, id, parsed.event.type, now, asBodyError(e));
  }
}

function parseEvent(body: string): { event: WebhookEvent } | { type: string; error: AppError } {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return { type: "(unknown)", error: new AppError("invalid_input", "The body is not valid JSON.", { fields: [{ field: "(body)", message: "not valid JSON" }] }) };
  }
  const type = raw && typeof raw === "object" && "type" in raw && typeof raw.type === "string" ? raw.type.slice(0, 60) : "(unknown)";
  try {
    return { event: parseBody(WebhookEventSchema, raw) };
  } catch (e) {
    if (e instanceof AppError) return { type, error: e };
    throw e;
  }
}

async function replay(tx: ShopTx, id: string): Promise<WebhookAnswer> {
  const [first] = await tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id));
  return { status: 200, body: { status: "duplicate", id, firstReceivedAt: first?.receivedAt.toISOString() ?? null, result: first?.result ?? null } };
}

/** Records a delivery whose body did not fit (unless this id was already applied) and answers 400, or 200 for an applied id. */
async function rejected(database: Database | undefined, shopId: string, id: string, type: string, now: Date, e: unknown): Promise<WebhookAnswer> {
  if (!(e instanceof AppError) || e.code !== "invalid_input") throw e;
  const applied = await withShop(shopId, async (tx) => {
    const [row] = await tx.insert(webhookDeliveries).values({ shopId, id, type, status: "rejected", receivedAt: now, error: e.message.slice(0, 1000) })
      .onConflictDoUpdate({
        target: [webhookDeliveries.shopId, webhookDeliveries.id],
        set: { type, receivedAt: now, error: e.message.slice(0, 1000) },
        setWhere: sql`${webhookDeliveries.status} = 'rejected'`,
      })
      .returning({ id: webhookDeliveries.id });
    return row ? null : replay(tx, id);
  }, database);
  if (applied) return applied;
  throw e;
}

/** Failures that come from what the body named (a campaign that is not there or not approved) are the body's fault: 400. */
function asBodyError(e: unknown): unknown {
  if (!(e instanceof AppError)) return e;
  const prefix = (fields: FieldError[]) => fields.map((f) => ({ field: f.field.startsWith("data.") ? f.field : `data.${f.field}`, message: f.message }));
  if (e.code === "invalid_input") return new AppError("invalid_input", e.message, { fields: prefix(e.fields) });
  if (e.code === "not_found" || e.code === "conflict") {
    return new AppError("invalid_input", e.message, { fields: [{ field: "data.campaignId", message: e.message }] });
  }
  return e;
}

async function applyEvent(tx: ShopTx, event: WebhookEvent, delivery: { id: string; shopId: string; now: Date }): Promise<Record<string, unknown>> {
  switch (event.type) {
    case "customer.created":
    case "customer.updated": {
      return { customer: await upsertCustomer(tx, event.data) };
    }
    case "order.created": {
      const order = await upsertOrder(tx, event.data);
      const automations = await welcomeIfFirstOrder(tx, order.id, { occurredAt: event.timestamp, now: delivery.now });
      return { order, automations };
    }
    case "checkout.started":
    case "cart.abandoned": {
      const customerId = await customerFor(tx, event.data.customerExternalId);
      const payload = { cartId: event.data.cartId, total: event.data.total, items: event.data.items.length };
      await tx.insert(events).values({ shopId: delivery.shopId, customerId, type: event.type, occurredAt: event.timestamp, payload });
      const automations = event.type === "cart.abandoned"
        ? await fireAutomations(tx, {
          type: "cart.abandoned", customerId, occurredAt: event.timestamp, scope: `cart:${event.data.cartId}`, now: delivery.now,
          reasonParams: { cartAt: event.timestamp.toISOString() },
        })
        : [];
      return { customerId, automations };
    }
    case "product.viewed": {
      const customerId = await customerFor(tx, event.data.customerExternalId);
      await tx.insert(events).values({ shopId: delivery.shopId, customerId, type: event.type, occurredAt: event.timestamp, payload: { productExternalId: event.data.productExternalId } });
      return { customerId };
    }
    case "campaign.trigger": {
      const wanted = [...new Set(event.data.customers)];
      const found = await tx.select({ id: customers.id, externalId: customers.externalId }).from(customers).where(inArray(customers.externalId, wanted));
      const known = new Set(found.map((c) => c.externalId));
      const run = await targetAudience(tx, event.data.campaignId, {
        trigger: "webhook", now: delivery.now, customerIds: found.map((c) => c.id), idempotencyScope: `webhook:${delivery.id}`,
      });
      return { campaignId: event.data.campaignId, runId: run.runId, funnel: run.funnel, unknownCustomers: wanted.filter((x) => !known.has(x)) };
    }
  }
}

/** The customer a browsing or cart event names, created when new (as the REST API's events do). */
async function customerFor(tx: ShopTx, externalId: string): Promise<string> {
  const [known] = await tx.select({ id: customers.id }).from(customers).where(eq(customers.externalId, externalId)).limit(1);
  if (known) return known.id;
  const ctx = await apiContext(tx);
  const ref = { externalId, email: null };
  const ids = await resolveCustomers(tx, [ref], ctx, true);
  return ids.get(refKey(ref))!;
}

/** The latest deliveries, newest first, for the Settings page. */
export async function listWebhookDeliveries(tx: ShopTx, limit = 20) {
  return tx.select({ id: webhookDeliveries.id, type: webhookDeliveries.type, status: webhookDeliveries.status, receivedAt: webhookDeliveries.receivedAt, error: webhookDeliveries.error })
    .from(webhookDeliveries).orderBy(sql`${webhookDeliveries.receivedAt} desc`).limit(limit);
}
