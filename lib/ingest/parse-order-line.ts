// One line of an orders file (a line item, or a whole order), checked on its own: the order,
// its customer and its line, or a rejection naming the column and saying what to fix.
import { cell, RowRejection, type Cells, type ImportContext } from "./kind-writer";
import { parseEmail } from "./parse-customer-row";
import { parseAmount, parseDate, parseInteger } from "./parse-values";
import type { orderStatusEnum } from "../db/schema";
import type { CustomerRef } from "./resolve-customers";

export interface OrderLine {
  orderId: string;
  customer: CustomerRef;
  placedAt: Date;
  totalMinor: number | null;
  currency: string;
  channel: string;
  item: { productKey: string; productExternalId: string | null; name: string; category: string | null; quantity: number; priceMinor: number } | null;
  /** Order-level facts this line gives (store exports put them on an order's first line only); null = not given. */
  state: OrderState;
}

export type OrderStatus = (typeof orderStatusEnum.enumValues)[number];

export interface OrderState {
  status: OrderStatus | null;
  refundedMinor: number | null;
  cancelledAt: Date | null;
}

export const NO_STATE: OrderState = { status: null, refundedMinor: null, cancelledAt: null };

/**
 * Where an order stands, from what its lines say and its total: a cancellation date makes it
 * cancelled; a refund of the whole total makes it refunded, of part of it partially refunded; a
 * "refunded" status without an amount refunds the whole total. Nothing said: paid.
 */
export function settleOrderState(state: OrderState, totalMinor: number): { status: OrderStatus; refundedMinor: number; cancelledAt: Date | null } {
  let status: OrderStatus = state.cancelledAt ? "cancelled" : (state.status ?? "paid");
  let refundedMinor = state.refundedMinor ?? 0;
  if (status === "refunded" && state.refundedMinor === null) refundedMinor = totalMinor;
  if ((status === "paid" || status === "partially_refunded" || status === "refunded") && refundedMinor > 0) {
    status = refundedMinor >= totalMinor ? "refunded" : "partially_refunded";
  }
  if (status === "partially_refunded" && refundedMinor === 0) status = "paid";
  return { status, refundedMinor, cancelledAt: state.cancelledAt };
}

/** Merges the order-level facts of an order's lines: the first line that gives a fact wins. */
export function mergeOrderState(a: OrderState, b: OrderState): OrderState {
  return { status: a.status ?? b.status, refundedMinor: a.refundedMinor ?? b.refundedMinor, cancelledAt: a.cancelledAt ?? b.cancelledAt };
}

const DAY = 86_400_000;

export function parseOrderLine(cells: Cells, ctx: ImportContext): OrderLine {
  const orderId = cells.orderId?.trim();
  if (!orderId) throw new RowRejection(ctx.columnOf("orderId"), "The order id is empty.");
  const placedAt = cell(ctx, "placedAt", cells, (t) => parseDate(t, ctx.settings));
  if (!placedAt) throw new RowRejection(ctx.columnOf("placedAt"), "The order date is empty.");
  if (placedAt.getTime() > ctx.now.getTime() + DAY) throw new RowRejection(ctx.columnOf("placedAt"), "The order date is in the future.");
  const externalId = cells.customerId?.trim() || null;
  const email = parseEmail(ctx, cells, "customerEmail");
  if (!externalId && !email) throw new RowRejection("(row)", "The order needs a customer id or a customer email.");
  const [firstName = null, ...rest] = (cells.customerName?.trim() || "").split(/\s+/).filter(Boolean);
  const totalMinor = cell(ctx, "total", cells, (t) => parseAmount(t, ctx.settings));
  if (totalMinor !== null && totalMinor < 0) throw new RowRejection(ctx.columnOf("total"), "A negative total (a refund) is not an order.");
  const currency = (cells.currency?.trim() || ctx.settings.currency).toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) throw new RowRejection(ctx.columnOf("currency"), `"${currency}" is not a currency code (use e.g. EUR).`);

  const productExternalId = cells.productId?.trim() || null;
  const name = cells.productName?.trim() || null;
  const priceMinor = cell(ctx, "price", cells, (t) => parseAmount(t, ctx.settings));
  const quantity = cell(ctx, "quantity", cells, parseInteger);
  let item: OrderLine["item"] = null;
  if (productExternalId || name || priceMinor !== null) {
    if (priceMinor === null) throw new RowRejection(ctx.columnOf("price"), "The line has a product but no price.");
    if (priceMinor < 0) throw new RowRejection(ctx.columnOf("price"), "A negative price is not a sale.");
    if (quantity !== null && quantity <= 0) throw new RowRejection(ctx.columnOf("quantity"), "The quantity must be at least 1.");
    const label = name ?? productExternalId!;
    item = {
      productKey: productExternalId ?? `name:${label.toLowerCase()}`,
      productExternalId,
      name: label.slice(0, 300),
      category: cells.category?.trim().slice(0, 100) || null,
      quantity: quantity ?? 1,
      priceMinor,
    };
  }
  if (totalMinor === null && !item) throw new RowRejection(ctx.columnOf("total"), "The order has neither a total nor a priced line.");
  return {
    orderId: orderId.slice(0, 200),
    customer: { externalId, email, firstName, lastName: rest.join(" ") || null },
    placedAt,
    totalMinor,
    currency,
    channel: (cells.channel?.trim().toLowerCase() || "web").slice(0, 40),
    item,
    state: NO_STATE,
  };
}
