// One line of an orders file (a line item, or a whole order), checked on its own: the order,
// its customer and its line, or a rejection naming the column and saying what to fix.
import { cell, RowRejection, type Cells, type ImportContext } from "./kind-writer";
import { parseEmail } from "./parse-customer-row";
import { parseAmount, parseDate, parseInteger, parsePhone, parseUnitPrice, plainText } from "./parse-values";
import type { orderStatusEnum } from "../db/schema";
import type { CustomerRef } from "./resolve-customers";

export interface OrderLine {
  orderId: string;
  customer: CustomerRef;
  placedAt: Date;
  totalMinor: number | null;
  currency: string;
  channel: string;
  item: {
    /** The product's key in the shop (its id, else "name:" + its name); null for a line with a price but no product. */
    productKey: string | null;
    productExternalId: string | null;
    name: string;
    category: string | null;
    quantity: number;
    /** Unit price in whole minor units, as stored. */
    priceMinor: number;
    /** The line's amount: quantity × the unit price as written (which may have sub-cent decimals), rounded once. */
    lineMinor: number;
  } | null;
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
 * cancelled; a refund of the whole total makes a paid order refunded, of part of it partially
 * refunded; a "refunded" status without an amount refunds the whole total. Nothing said: paid.
 */
export function settleOrderState(state: OrderState, totalMinor: number): { status: OrderStatus; refundedMinor: number; cancelledAt: Date | null } {
  let status: OrderStatus = state.cancelledAt ? "cancelled" : (state.status ?? "paid");
  let refundedMinor = state.refundedMinor ?? 0;
  if (status === "refunded" && state.refundedMinor === null) refundedMinor = totalMinor;
  // A paid order with a refund is partly or fully refunded by the amount; a platform's own
  // "refunded" stays refunded even when shipping was kept.
  if ((status === "paid" || status === "partially_refunded") && refundedMinor > 0) {
    status = refundedMinor >= totalMinor ? "refunded" : "partially_refunded";
  }
  return { status, refundedMinor, cancelledAt: state.cancelledAt };
}

/** Merges the order-level facts of an order's lines: the first line that gives a fact wins. */
export function mergeOrderState(a: OrderState, b: OrderState): OrderState {
  return { status: a.status ?? b.status, refundedMinor: a.refundedMinor ?? b.refundedMinor, cancelledAt: a.cancelledAt ?? b.cancelledAt };
}

const DAY = 86_400_000;

/** Platforms' words for where an order stands (Shopify's financial status, WooCommerce's status). */
const STATUS_WORDS: Record<string, OrderStatus> = {
  paid: "paid", completed: "paid", complete: "paid", processing: "paid", fulfilled: "paid", shipped: "paid", delivered: "paid", succeeded: "paid",
  pending: "pending", "pending payment": "pending", authorized: "pending", "partially paid": "pending", "on hold": "pending", unpaid: "pending", draft: "pending",
  refunded: "refunded", "partially refunded": "partially_refunded",
  cancelled: "cancelled", canceled: "cancelled", voided: "cancelled", void: "cancelled", trash: "cancelled",
  failed: "failed", declined: "failed", expired: "failed",
};

function parseStatus(ctx: ImportContext, cells: Cells): OrderStatus | null {
  const raw = plainText(cells.status);
  if (raw === null) return null;
  const word = raw.toLowerCase().replace(/^wc-/, "").replace(/[_-]+/g, " ").trim();
  const status = STATUS_WORDS[word];
  if (!status) {
    throw new RowRejection(ctx.columnOf("status"), `"${raw}" is not an order status we know (use paid, pending, partially refunded, refunded, cancelled or failed).`);
  }
  return status;
}

/** The order of the line read just before, so the next line of the same order can leave its customer and date out. */
interface PreviousLine {
  orderId: string;
  customer: CustomerRef;
  placedAt: Date;
}

export function parseOrderLine(cells: Cells, ctx: ImportContext): OrderLine {
  const orderId = plainText(cells.orderId);
  if (!orderId) throw new RowRejection(ctx.columnOf("orderId"), cells.orderId?.trim() ? `"${cells.orderId.trim()}" is a placeholder, not an order id.` : "The order id is empty.");
  // Store exports may give the customer and date on an order's first line only.
  const previous = ctx.memo.get("previousLine") as PreviousLine | undefined;
  const sameOrder = previous?.orderId === orderId ? previous : undefined;
  const line = readLine(cells, ctx, orderId, sameOrder);
  ctx.memo.set("previousLine", { orderId, customer: line.customer, placedAt: line.placedAt } satisfies PreviousLine);
  return line;
}

function readLine(cells: Cells, ctx: ImportContext, orderId: string, sameOrder: PreviousLine | undefined): OrderLine {
  const placedAt = cell(ctx, "placedAt", cells, (t) => parseDate(t, ctx.settings)) ?? sameOrder?.placedAt ?? null;
  if (!placedAt) throw new RowRejection(ctx.columnOf("placedAt"), "The order date is empty.");
  if (placedAt.getTime() > ctx.now.getTime() + DAY) throw new RowRejection(ctx.columnOf("placedAt"), "The order date is in the future.");

  // The customer: the platform's id, else the email, else the phone. A placeholder such as
  // "(blank)" is no id: such an order is refused rather than given to a made-up customer.
  const externalId = plainText(cells.customerId);
  const email = parseEmail(ctx, cells, "customerEmail");
  const phone = cell(ctx, "customerPhone", cells, (t) => parsePhone(t, ctx.settings)) ?? cell(ctx, "customerPhoneFallback", cells, (t) => parsePhone(t, ctx.settings));
  if (!externalId && !email && !phone && !sameOrder) {
    const placeholder = cells.customerId?.trim();
    throw new RowRejection(
      placeholder ? ctx.columnOf("customerId") : "(row)",
      placeholder
        ? `"${placeholder}" is a placeholder, not a customer id, and the order has no customer email or phone: it cannot be given to a customer.`
        : "The order needs a customer id, a customer email or a customer phone.",
    );
  }
  const [fullFirst = null, ...rest] = (cells.customerName?.trim() || "").split(/\s+/).filter(Boolean);
  const firstName = cells.customerFirstName?.trim().slice(0, 100) || fullFirst;
  const lastName = cells.customerLastName?.trim().slice(0, 100) || rest.join(" ") || null;

  const totalMinor = cell(ctx, "total", cells, (t) => parseAmount(t, ctx.settings));
  if (totalMinor !== null && totalMinor < 0) {
    throw new RowRejection(ctx.columnOf("total"), "A negative total is not an order; a refund belongs in the order's refunded amount column.");
  }
  const currency = (cells.currency?.trim() || ctx.settings.currency).toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) throw new RowRejection(ctx.columnOf("currency"), `"${currency}" is not a currency code (use e.g. EUR).`);
  const refundedMinor = cell(ctx, "refunded", cells, (t) => parseAmount(t, ctx.settings));
  if (refundedMinor !== null && refundedMinor < 0) throw new RowRejection(ctx.columnOf("refunded"), "Write the refunded amount as a positive number.");
  const cancelledAt = cell(ctx, "cancelledAt", cells, (t) => parseDate(t, ctx.settings));
  const state: OrderState = { status: parseStatus(ctx, cells), refundedMinor, cancelledAt };

  const productExternalId = plainText(cells.productId);
  const name = cells.productName?.trim() || null;
  const unitPrice = cell(ctx, "price", cells, (t) => parseUnitPrice(t, ctx.settings));
  const quantity = cell(ctx, "quantity", cells, parseInteger);
  let item: OrderLine["item"] = null;
  if (productExternalId || name || unitPrice !== null) {
    if (unitPrice === null) throw new RowRejection(ctx.columnOf("price"), "The line has a product but no price.");
    if (unitPrice < 0) throw new RowRejection(ctx.columnOf("price"), "A negative price is not a sale.");
    if (quantity !== null && quantity < 0) {
      throw new RowRejection(ctx.columnOf("quantity"), "A negative quantity is a return, not a sale; returns count through the order's refunded amount.");
    }
    if (quantity === 0) throw new RowRejection(ctx.columnOf("quantity"), "The quantity must be at least 1.");
    const q = quantity ?? 1;
    const label = name ?? productExternalId;
    item = {
      // A line with a price but neither product id nor name belongs to no product.
      productKey: productExternalId ?? (label ? `name:${label.toLowerCase()}` : null),
      productExternalId,
      name: (label ?? "Unnamed item").slice(0, 300),
      category: cells.category?.trim().slice(0, 100) || null,
      quantity: q,
      priceMinor: Math.round(unitPrice),
      lineMinor: Math.round(q * unitPrice),
    };
  }
  if (totalMinor === null && !item) throw new RowRejection(ctx.columnOf("total"), "The order has neither a total nor a priced line.");
  return {
    orderId: orderId.slice(0, 200),
    customer: !externalId && !email && !phone && sameOrder ? sameOrder.customer : { externalId, email, phone, firstName, lastName },
    placedAt,
    totalMinor,
    currency,
    channel: (cells.channel?.trim().toLowerCase() || "web").slice(0, 40),
    item,
    state,
  };
}
