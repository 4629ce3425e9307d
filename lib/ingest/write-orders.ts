// Orders: one row per line item (Shopify's export) or one per order. Rows are grouped by order
// id; an order whose customer is not known yet creates the customer. Re-importing the same order
// with the same lines changes nothing; a changed order replaces its lines.
import { randomUUID } from "node:crypto";
import { eq, inArray } from "drizzle-orm";
import { orderItems, orders, products } from "../db/schema";
import { insertRecords } from "../db/insert-records";
import type { ShopTx } from "../db/tenant";
import type { ImportContext, KindWriter } from "./kind-writer";
import { mergeOrderState, parseOrderLine, settleOrderState, type OrderLine } from "./parse-order-line";
import { refKey, resolveCustomers } from "./resolve-customers";
import type { RowOutcome } from "./schemas";


/**
 * Orders this import has written, so an order's later lines are appended, not taken for a change.
 * Bounded, so memory stays flat whatever the file's size: the oldest entries go first. An order
 * evicted here and met again is still recognised as this import's own by its import_id; only
 * an existing order updated by this file whose lines lie further apart than the limit (100,000 orders) would be
 * re-written from its later lines alone (store exports keep an order's lines together).
 */
type Written = Map<string, { id: string; outcome: RowOutcome; derivedTotal: boolean }>;

function remember(ctx: ImportContext, written: Written, externalId: string, entry: { id: string; outcome: RowOutcome; derivedTotal: boolean }) {
  written.set(externalId, entry);
  if (written.size > ctx.memoLimit) written.delete(written.keys().next().value!);
}

function memo<T>(ctx: ImportContext, key: string, make: () => T): T {
  if (!ctx.memo.has(key)) ctx.memo.set(key, make());
  return ctx.memo.get(key) as T;
}

export const ordersWriter: KindWriter<OrderLine> = {
  groupKey: (line) => line.orderId,

  parse: parseOrderLine,

  async write(tx: ShopTx, rows, ctx) {
    const outcomes = new Map<number, RowOutcome>();
    // Rows of one order, in file order; the first row's order-level values count.
    const groups = new Map<string, { rows: number[]; first: OrderLine; items: NonNullable<OrderLine["item"]>[] }>();
    for (const { row, value } of rows) {
      const g = groups.get(value.orderId) ?? { rows: [], first: value, items: [] };
      g.rows.push(row);
      if (value.item) g.items.push(value.item);
      if (g.first.totalMinor === null && value.totalMinor !== null) g.first = { ...g.first, totalMinor: value.totalMinor };
      if (g.first !== value) g.first = { ...g.first, state: mergeOrderState(g.first.state, value.state) };
      groups.set(value.orderId, g);
    }

    const customerIds = await resolveCustomers(tx, [...groups.values()].map((g) => g.first.customer), ctx, true);
    const productIds = await resolveProducts(tx, [...groups.values()].flatMap((g) => g.items), ctx);

    // Orders already written by an earlier batch of this file get their further lines appended.
    const written = memo(ctx, "orders", (): Written => new Map());
    const fresh = [...groups.keys()].filter((id) => !written.has(id));
    const existing = fresh.length ? await tx.select().from(orders).where(inArray(orders.externalId, fresh)) : [];
    // Created by this very import (its lines came earlier and were forgotten): keep appending.
    const ownEarlier = new Map(
      existing
        .filter((o) => ctx.importId !== null && o.importId === ctx.importId)
        .map((o) => [o.externalId, { id: o.id, outcome: "imported" as RowOutcome, derivedTotal: groups.get(o.externalId)!.first.totalMinor === null }]),
    );
    const byExternal = new Map(existing.map((o) => [o.externalId, o]));
    const existingItems = existing.length
      ? await tx.select().from(orderItems).where(inArray(orderItems.orderId, existing.map((o) => o.id)))
      : [];

    const orderInserts: (typeof orders.$inferInsert)[] = [];
    const itemInserts: (typeof orderItems.$inferInsert)[] = [];
    const replaceItemsOf: string[] = [];
    const lineSum = (items: NonNullable<OrderLine["item"]>[]) => items.reduce((s, it) => s + it.lineMinor, 0);
    const itemRows = (orderId: string, items: NonNullable<OrderLine["item"]>[]) =>
      items.map((it) => ({ shopId: ctx.shopId, orderId, productId: it.productKey === null ? null : (productIds.get(it.productKey) ?? null), name: it.name, category: it.category, quantity: it.quantity, priceMinor: it.priceMinor }));
    const itemRecord = (i: typeof orderItems.$inferInsert) => ({
      shop_id: i.shopId, id: randomUUID(), order_id: i.orderId, product_id: i.productId ?? null, name: i.name, category: i.category ?? null, quantity: i.quantity, price_minor: i.priceMinor,
    });

    for (const [externalId, g] of groups) {
      const customerId = customerIds.get(refKey(g.first.customer))!;
      const before = written.get(externalId) ?? ownEarlier.get(externalId);
      if (before) {
        itemInserts.push(...itemRows(before.id, g.items));
        if (before.derivedTotal && g.items.length) {
          const [o] = await tx.select({ total: orders.totalMinor }).from(orders).where(eq(orders.id, before.id));
          await tx.update(orders).set({ totalMinor: (o?.total ?? 0) + lineSum(g.items) }).where(eq(orders.id, before.id));
        }
        for (const row of g.rows) outcomes.set(row, before.outcome);
        continue;
      }
      const derivedTotal = g.first.totalMinor === null;
      const totalMinor = g.first.totalMinor ?? lineSum(g.items);
      const values = {
        customerId, placedAt: g.first.placedAt, totalMinor, currency: g.first.currency, channel: g.first.channel, ...settleOrderState(g.first.state, totalMinor),
      };
      const stored = byExternal.get(externalId);
      let outcome: RowOutcome;
      let id: string;
      if (!stored) {
        id = randomUUID();
        orderInserts.push({ id, shopId: ctx.shopId, externalId, ...values, importId: ctx.importId, createdAt: ctx.now });
        itemInserts.push(...itemRows(id, g.items));
        outcome = "imported";
      } else {
        id = stored.id;
        const same =
          stored.customerId === values.customerId && stored.placedAt.getTime() === values.placedAt.getTime() &&
          stored.totalMinor === values.totalMinor && stored.currency === values.currency && stored.channel === values.channel &&
          stored.status === values.status && stored.refundedMinor === values.refundedMinor && stored.cancelledAt?.getTime() === values.cancelledAt?.getTime() &&
          sameItems(existingItems.filter((i) => i.orderId === id), itemRows(id, g.items));
        if (same) outcome = "unchanged";
        else {
          await tx.update(orders).set(values).where(eq(orders.id, id));
          replaceItemsOf.push(id);
          itemInserts.push(...itemRows(id, g.items));
          outcome = "updated";
        }
      }
      remember(ctx, written, externalId, { id, outcome, derivedTotal });
      for (const row of g.rows) outcomes.set(row, outcome);
    }
    await insertRecords(
      tx,
      "orders",
      orderInserts.map((o) => ({
        shop_id: o.shopId, id: o.id, external_id: o.externalId, customer_id: o.customerId, placed_at: o.placedAt, total_minor: o.totalMinor,
        currency: o.currency, channel: o.channel, import_id: o.importId ?? null, created_at: o.createdAt,
        status: o.status, refunded_minor: o.refundedMinor, cancelled_at: o.cancelledAt ?? null,
      })),
    );
    if (replaceItemsOf.length) await tx.delete(orderItems).where(inArray(orderItems.orderId, replaceItemsOf));
    await insertRecords(tx, "order_items", itemInserts.map(itemRecord));
    return outcomes;
  },
};

function sameItems(a: { name: string; quantity: number; priceMinor: number; productId: string | null }[], b: typeof a): boolean {
  const key = (i: (typeof a)[number]) => `${i.productId}|${i.name}|${i.quantity}|${i.priceMinor}`;
  const sa = a.map(key).sort();
  const sb = b.map(key).sort();
  return sa.length === sb.length && sa.every((k, i) => k === sb[i]);
}

/** Product id per product key; products new to the shop are created from the order lines. */
async function resolveProducts(tx: ShopTx, items: NonNullable<OrderLine["item"]>[], ctx: ImportContext): Promise<Map<string, string>> {
  const known = memo(ctx, "products", () => new Map<string, string>());
  // A line without product id or name (a price alone) belongs to no product.
  const wanted = new Map(items.flatMap((it) => (it.productKey !== null && !known.has(it.productKey) ? [[it.productKey, it] as const] : [])));
  if (wanted.size > 0) {
    const found = await tx.select({ id: products.id, externalId: products.externalId }).from(products).where(inArray(products.externalId, [...wanted.keys()]));
    for (const p of found) known.set(p.externalId, p.id);
    const fresh = [...wanted.entries()].filter(([key]) => !known.has(key));
    const rows = fresh.map(([key, it]) => {
      const id = randomUUID();
      known.set(key, id);
      return { id, shopId: ctx.shopId, externalId: key, name: it.name, category: it.category, priceMinor: it.priceMinor };
    });
    for (let i = 0; i < rows.length; i += 1000) await tx.insert(products).values(rows.slice(i, i + 1000));
  }
  return known;
}
