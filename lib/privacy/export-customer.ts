// "Download my data": everything the shop holds about one customer, as one JSON document — their
// fields and attributes, orders with lines, segments with the sentence saying why, the messages
// sent to them with why, and their consent history with each event's hash and its policy's.
import { asc, eq, inArray } from "drizzle-orm";
import { campaigns, consentEvents, customerAttributes, customers, events, orderItems, orders, sends, shops, surveyResponses } from "../db/schema";
import { z } from "zod";
import type { ShopTx } from "../db/tenant";
import { notFound } from "../errors";
import { customerSegments } from "../segments/read-segments";

export async function exportCustomer(tx: ShopTx, customerId: string, options: { now?: Date } = {}) {
  if (!z.uuid().safeParse(customerId).success) throw notFound("Customer");
  const [customer] = await tx.select().from(customers).where(eq(customers.id, customerId)).limit(1);
  if (!customer) throw notFound("Customer");
  const [shop] = await tx.select({ name: shops.name }).from(shops).limit(1);
  const orderRows = await tx.select().from(orders).where(eq(orders.customerId, customerId)).orderBy(asc(orders.placedAt));
  const lines = orderRows.length ? await tx.select().from(orderItems).where(inArray(orderItems.orderId, orderRows.map((o) => o.id))) : [];
  const { segments } = await customerSegments(tx, customerId);
  const messages = await tx
    .select({ id: sends.id, campaign: campaigns.name, channel: sends.channel, purpose: campaigns.purpose, status: sends.status, why: sends.why, queuedAt: sends.queuedAt, sentAt: sends.sentAt, consentEventId: sends.consentEventId, consentHash: sends.consentHash })
    .from(sends)
    .innerJoin(campaigns, eq(campaigns.id, sends.campaignId))
    .where(eq(sends.customerId, customerId))
    .orderBy(asc(sends.queuedAt));
  const consent = await tx.select().from(consentEvents).where(eq(consentEvents.customerId, customerId)).orderBy(asc(consentEvents.seq));
  const attributes = await tx.select({ key: customerAttributes.key, value: customerAttributes.value }).from(customerAttributes).where(eq(customerAttributes.customerId, customerId));
  const activity = await tx.select({ type: events.type, occurredAt: events.occurredAt, payload: events.payload }).from(events).where(eq(events.customerId, customerId)).orderBy(asc(events.occurredAt));
  const surveys = await tx.select({ score: surveyResponses.score, comment: surveyResponses.comment, respondedAt: surveyResponses.respondedAt }).from(surveyResponses).where(eq(surveyResponses.customerId, customerId));

  return {
    exportedAt: (options.now ?? new Date()).toISOString(),
    shop: shop?.name ?? null,
    customer: {
      id: customer.id, externalId: customer.externalId, email: customer.email, phone: customer.phone,
      firstName: customer.firstName, lastName: customer.lastName, timeZone: customer.timeZone, locale: customer.locale,
      contactBudgetPerWeek: customer.contactBudgetPerWeek, createdAt: customer.createdAt, erasedAt: customer.erasedAt,
      attributes: Object.fromEntries(attributes.map((a) => [a.key, a.value])),
    },
    orders: orderRows.map((o) => ({
      id: o.externalId, placedAt: o.placedAt, status: o.status, total: o.totalMinor / 100, refunded: o.refundedMinor / 100, currency: o.currency, channel: o.channel,
      lines: lines.filter((l) => l.orderId === o.id).map((l) => ({ name: l.name, category: l.category, quantity: l.quantity, price: l.priceMinor / 100 })),
    })),
    segments: segments.map((s) => ({ name: s.name, why: s.reason, computedAt: s.computedAt })),
    messages,
    activity,
    surveys,
    consentHistory: consent.map((e) => ({
      id: e.id, seq: e.seq, occurredAt: e.occurredAt, recordedAt: e.recordedAt, channel: e.channel, purpose: e.purpose, action: e.action,
      method: e.method, actorType: e.actorType, gpc: e.gpc, page: e.page, policyVersionId: e.policyVersionId, policySha256: e.policySha256,
      evidence: e.evidence, prevHash: e.prevHash, hash: e.hash,
    })),
  };
}
