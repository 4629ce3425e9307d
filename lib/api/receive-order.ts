// POST /api/v1/orders: the order is stored as the importers store it, and an order that is new to
// the shop may welcome its customer, as the webhook's order.created does. Only a newly created
// order counts: a repeat of the same request, or an update of a known order, is no first order.
import type { z } from "zod";
import { welcomeIfFirstOrder } from "../campaigns/welcome-first-order";
import type { ShopTx } from "../db/tenant";
import type { Outcome } from "./api-context";
import type { OrderInputSchema } from "./schemas";
import { upsertOrder } from "./upsert-order";

export async function receiveOrder(tx: ShopTx, input: z.output<typeof OrderInputSchema>, options: { now?: Date } = {}): Promise<{ id: string; outcome: Outcome }> {
  const now = options.now ?? new Date();
  const order = await upsertOrder(tx, input);
  // The order's own time is when it happened; the API has no event timestamp besides it.
  if (order.outcome === "created") await welcomeIfFirstOrder(tx, order.id, { occurredAt: input.placedAt, now });
  return order;
}
