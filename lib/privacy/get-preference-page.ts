// What the preference page shows a customer, in one read: what the shop holds about them, the
// segments they are in and why, the messages they got and why, their choices per channel × purpose,
// their contact budget and the policy text in effect. An erased customer is shown only that.
import { and, count, desc, eq, inArray, max } from "drizzle-orm";
import { currentPolicy } from "../consent/policies";
import type { Channel, Purpose } from "../consent/schemas";
import { attributeDefinitions, campaigns, consentEvents, consentState, customerAttributes, customers, orders, sales, sends, shops } from "../db/schema";
import type { ShopTx } from "../db/tenant";
import { notFound } from "../errors";
import { customerSegments } from "../segments/read-segments";
import { preferenceOptions } from "./preference-options";

export const RECENT_MESSAGES = 20;

export type PreferencePage = Awaited<ReturnType<typeof getPreferencePage>>;

export async function getPreferencePage(tx: ShopTx, customerId: string, options: { now?: Date } = {}) {
  const now = options.now ?? new Date();
  const [customer] = await tx.select().from(customers).where(eq(customers.id, customerId)).limit(1);
  if (!customer) throw notFound("Customer");
  const [shop] = await tx.select({ name: shops.name, timeZone: shops.timeZone, currency: shops.currency, frequencyCapPerWeek: shops.frequencyCapPerWeek }).from(shops).limit(1);
  if (!shop) throw notFound("Shop");
  if (customer.erasedAt) return { erased: true as const, shop, erasedAt: customer.erasedAt };

  const attributes = await tx
    .select({ key: customerAttributes.key, value: customerAttributes.value, label: attributeDefinitions.label })
    .from(customerAttributes)
    .leftJoin(attributeDefinitions, and(eq(attributeDefinitions.shopId, customerAttributes.shopId), eq(attributeDefinitions.key, customerAttributes.key)))
    .where(eq(customerAttributes.customerId, customerId));
  const [allOrders] = await tx.select({ n: count() }).from(orders).where(eq(orders.customerId, customerId));
  const [salesTotals] = await tx.select({ n: count(), last: max(sales.placedAt) }).from(sales).where(eq(sales.customerId, customerId));
  const { segments } = await customerSegments(tx, customerId);
  const messages = await tx
    .select({ id: sends.id, channel: sends.channel, why: sends.why, sentAt: sends.sentAt, campaign: campaigns.name, purpose: campaigns.purpose })
    .from(sends)
    .innerJoin(campaigns, eq(campaigns.id, sends.campaignId))
    .where(and(eq(sends.customerId, customerId), inArray(sends.status, ["sent", "delivered"])))
    .orderBy(desc(sends.sentAt))
    .limit(RECENT_MESSAGES);
  const state = (await tx.select().from(consentState).where(eq(consentState.customerId, customerId))) as {
    channel: Channel; purpose: Purpose; granted: boolean; updatedAt: Date;
  }[];
  const [gpc] = await tx
    .select({ at: consentEvents.occurredAt })
    .from(consentEvents)
    .where(and(eq(consentEvents.customerId, customerId), eq(consentEvents.method, "gpc")))
    .orderBy(desc(consentEvents.seq))
    .limit(1);
  const policy = await currentPolicy(tx, now);

  return {
    erased: false as const,
    shop,
    customer: {
      email: customer.email,
      phone: customer.phone,
      firstName: customer.firstName,
      lastName: customer.lastName,
      timeZone: customer.timeZone,
      locale: customer.locale,
      createdAt: customer.createdAt,
      contactBudgetPerWeek: customer.contactBudgetPerWeek,
    },
    attributes: attributes.map((a) => ({ label: a.label ?? a.key, value: a.value })),
    orders: { all: allOrders?.n ?? 0, counted: salesTotals?.n ?? 0, lastAt: salesTotals?.last ?? null },
    segments: segments.map((s) => ({ name: s.name, reason: s.reason })),
    messages,
    channels: preferenceOptions(customer, state),
    gpcHonouredAt: gpc?.at ?? null,
    policy: policy ? { id: policy.id, version: policy.version, text: policy.text, sha256: policy.sha256, effectiveAt: policy.effectiveAt } : null,
  };
}
