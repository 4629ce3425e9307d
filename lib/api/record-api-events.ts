// A batch of up to 1,000 behavioural events from the shop's systems. Browsing events are stored
// with a minimal payload for the customer they name (created if new); order.created upserts the
// order. The batch is one transaction: all of it is stored or none.
import type { z } from "zod";
import { events } from "../db/schema";
import type { ShopTx } from "../db/tenant";
import { refKey, resolveCustomers } from "../ingest/resolve-customers";
import { apiContext, type Outcome } from "./api-context";
import type { EventsBatchSchema } from "./schemas";
import { upsertOrder } from "./upsert-order";

export async function recordApiEvents(tx: ShopTx, batch: z.output<typeof EventsBatchSchema>) {
  const ctx = await apiContext(tx);
  const browsing = batch.events.filter((e) => e.type !== "order.created");
  const ids = await resolveCustomers(tx, browsing.map((e) => ({ externalId: e.customerExternalId, email: null })), ctx, true);
  const rows = browsing.map((e) => ({
    shopId: ctx.shopId,
    customerId: ids.get(refKey({ externalId: e.customerExternalId, email: null }))!,
    type: e.type,
    occurredAt: e.occurredAt,
    payload: Object.fromEntries(
      Object.entries({ productExternalId: e.productExternalId, cartId: e.cartId, total: e.total }).filter(([, v]) => v !== undefined),
    ),
  }));
  for (let i = 0; i < rows.length; i += 500) await tx.insert(events).values(rows.slice(i, i + 500));
  const orders: { id: string; outcome: Outcome }[] = [];
  for (const e of batch.events) if (e.type === "order.created") orders.push(await upsertOrder(tx, e.order, ctx));
  return { accepted: batch.events.length, orders };
}
