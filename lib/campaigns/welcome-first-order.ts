// A customer's first order welcomes them — whichever way the order arrives in real time (the
// signed webhook or POST /api/v1/orders). Imports of past orders never do: welcoming a shop's whole
// history at once is exactly the unwanted mail the product exists to prevent. The same rule holds
// for a live channel replaying old orders: a first order placed more than WELCOME_WITHIN_DAYS
// before it reaches us is history, not a new customer.
import { sql } from "drizzle-orm";
import { queryRows } from "../db/client";
import type { ShopTx } from "../db/tenant";
import { fireAutomations, type FiredAutomation } from "./automations";

export const WELCOME_WITHIN_DAYS = 7;

export async function welcomeIfFirstOrder(tx: ShopTx, orderId: string, options: { occurredAt: Date; now: Date }): Promise<FiredAutomation[]> {
  // A sale (not cancelled or failed) that is the customer's only one, placed recently.
  const [first] = await queryRows<{ customer_id: string; sales: number; recent: boolean }>(tx, sql`
    select o.customer_id,
           (select count(*)::int from sales s where s.customer_id = o.customer_id) as sales,
           o.placed_at > ${options.now.toISOString()}::timestamptz - make_interval(days => ${WELCOME_WITHIN_DAYS}) as recent
      from sales o where o.id = ${orderId}::uuid`);
  if (!first || first.sales !== 1 || !first.recent) return [];
  return fireAutomations(tx, { type: "order.first", customerId: first.customer_id, occurredAt: options.occurredAt, scope: "first", now: options.now });
}
