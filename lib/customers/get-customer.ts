// One customer with everything the shop holds about them: orders with items, recent events and
// the consent history with its current state. Another shop's customer is not found.
import { asc, count, desc, eq, inArray, max, min, sum } from "drizzle-orm";
import { z } from "zod";
import { consentEvents, consentState, customers, events, orderItems, orders, sales } from "../db/schema";
import type { ShopTx } from "../db/tenant";
import { notFound } from "../errors";

export type CustomerDetail = Awaited<ReturnType<typeof getCustomer>>;

export async function getCustomer(tx: ShopTx, customerId: string, options: { eventLimit?: number } = {}) {
  if (!z.uuid().safeParse(customerId).success) throw notFound("Customer");
  const [customer] = await tx.select().from(customers).where(eq(customers.id, customerId)).limit(1);
  if (!customer) throw notFound("Customer");

  const orderRows = await tx.select().from(orders).where(eq(orders.customerId, customerId)).orderBy(desc(orders.placedAt));
  // Totals count sales only (not cancelled or fully refunded orders) and what the shop kept of them.
  const [salesTotals] = await tx
    .select({ orders: count(), spent: sum(sales.netMinor).mapWith(Number), first: min(sales.placedAt), last: max(sales.placedAt) })
    .from(sales)
    .where(eq(sales.customerId, customerId));
  const items = orderRows.length
    ? await tx.select().from(orderItems).where(inArray(orderItems.orderId, orderRows.map((o) => o.id)))
    : [];
  const recentEvents = await tx
    .select()
    .from(events)
    .where(eq(events.customerId, customerId))
    .orderBy(desc(events.occurredAt))
    .limit(options.eventLimit ?? 50);
  const consentHistory = await tx
    .select()
    .from(consentEvents)
    .where(eq(consentEvents.customerId, customerId))
    .orderBy(asc(consentEvents.occurredAt), asc(consentEvents.seq));
  const consentNow = await tx
    .select()
    .from(consentState)
    .where(eq(consentState.customerId, customerId));

  const itemsByOrder = new Map<string, typeof items>();
  for (const item of items) itemsByOrder.set(item.orderId, [...(itemsByOrder.get(item.orderId) ?? []), item]);
  return {
    customer,
    orders: orderRows.map((o) => ({ ...o, items: itemsByOrder.get(o.id) ?? [] })),
    events: recentEvents,
    consentHistory,
    consentState: consentNow,
    totals: {
      orders: salesTotals?.orders ?? 0,
      spentMinor: salesTotals?.spent ?? 0,
      firstOrderAt: salesTotals?.first ?? null,
      lastOrderAt: salesTotals?.last ?? null,
    },
  };
}
