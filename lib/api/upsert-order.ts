import { eq } from "drizzle-orm";
import type { z } from "zod";
import { orders } from "../db/schema";
import type { ShopTx } from "../db/tenant";
import { AppError } from "../errors";
import type { ImportContext } from "../ingest/kind-writer";
import { NO_STATE, type OrderLine } from "../ingest/parse-order-line";
import { ordersWriter } from "../ingest/write-orders";
import { apiContext, apiOutcome, type Outcome } from "./api-context";
import type { OrderInputSchema } from "./schemas";

type OrderInput = z.output<typeof OrderInputSchema>;

function toLines(o: OrderInput): OrderLine[] {
  const base = {
    orderId: o.externalId,
    customer: { externalId: o.customerExternalId ?? null, email: o.customerEmail ?? null },
    placedAt: o.placedAt,
    totalMinor: o.total,
    currency: o.currency,
    channel: (o.channel ?? "web").toLowerCase(),
    state: { ...NO_STATE, status: o.status ?? null, refundedMinor: o.refunded ?? null, cancelledAt: o.cancelledAt ?? null },
  };
  const items = o.items ?? [];
  if (items.length === 0) return [{ ...base, item: null }];
  return items.map((it) => ({
    ...base,
    item: {
      productKey: it.productExternalId ?? `name:${it.name.toLowerCase()}`,
      productExternalId: it.productExternalId ?? null,
      name: it.name,
      category: it.category ?? null,
      quantity: it.quantity,
      priceMinor: it.price,
      lineMinor: it.quantity * it.price,
    },
  }));
}

/** Creates or updates an order by the platform's id; an unknown customer is created. */
export async function upsertOrder(tx: ShopTx, input: OrderInput, ctx?: ImportContext): Promise<{ id: string; outcome: Outcome }> {
  if (input.placedAt.getTime() > Date.now() + 86_400_000) {
    throw new AppError("invalid_input", "placedAt is in the future.", { fields: [{ field: "placedAt", message: "is in the future" }] });
  }
  const context = ctx ?? (await apiContext(tx));
  context.memo.delete("orders"); // each order in a request stands on its own
  const lines = toLines(input).map((value, i) => ({ row: i + 1, value }));
  const outcomes = await ordersWriter.write(tx, lines, context);
  const outcome = apiOutcome(outcomes.get(1));
  const [row] = await tx.select({ id: orders.id }).from(orders).where(eq(orders.externalId, input.externalId));
  return { id: row!.id, outcome };
}
