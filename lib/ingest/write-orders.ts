// Orders: one row per line item (Shopify's export) or one per order. Rows are grouped by order
// id; an order whose customer is not known yet creates the customer. Re-importing the same order
// with the same lines changes nothing; a changed order replaces its lines.
//
// A batch is written set-based: its orders and lines are copied into two temporary tables of the
// transaction (COPY), and a handful of statements merge them into the shop's tables — new orders
// inserted, identical ones left alone, changed ones updated with their lines replaced — and answer
// what happened to each order. New orders and lines get time-ordered ids (UUIDv7).
import { sql } from "drizzle-orm";
import { copyRows, type CopyValue } from "../db/copy-rows";
import { queryRows } from "../db/client";
import type { ShopTx } from "../db/tenant";
import { uuid7 } from "../db/uuid7";
import type { ImportContext, KindWriter } from "./kind-writer";
import { mergeOrderState, parseOrderLine, settleOrderState, type OrderLine } from "./parse-order-line";
import { plainText } from "./parse-values";
import { refKey, resolveCustomers } from "./resolve-customers";
import type { RowOutcome } from "./schemas";

type Item = NonNullable<OrderLine["item"]>;

/**
 * Orders this import has written, so an order's later lines are appended, not taken for a change.
 * Bounded, so memory stays flat whatever the file's size: the oldest entries go first. An order
 * evicted here and met again is still recognised as this import's own by its import_id; only
 * an existing order updated by this file whose lines lie further apart than the limit (100,000 orders) would be
 * re-written from its later lines alone (store exports keep an order's lines together).
 */
type Written = Map<string, { outcome: RowOutcome; derivedTotal: boolean }>;

function remember<V>(ctx: ImportContext, map: Map<string, V>, key: string, value: V) {
  map.set(key, value);
  if (map.size > ctx.memoLimit) map.delete(map.keys().next().value!);
}

function memo<T>(ctx: ImportContext, key: string, make: () => T): T {
  if (!ctx.memo.has(key)) ctx.memo.set(key, make());
  return ctx.memo.get(key) as T;
}

interface Group {
  rows: number[];
  /** The order-level values: the first line's, with the first total given and the lines' states merged. */
  first: OrderLine;
  items: Item[];
}

const ORDER_COLUMNS = [
  "ord", "external_id", "customer_id", "placed_at", "total_minor", "currency", "channel", "status", "refunded_minor", "cancelled_at",
  "new_id", "earlier", "derived", "lines_minor",
] as const;
const LINE_COLUMNS = ["ord", "id", "product_id", "name", "category", "quantity", "price_minor"] as const;

export const ordersWriter: KindWriter<OrderLine> = {
  // The same order id as parseOrderLine reads, also for a line it rejects.
  groupKeyOfCells: (cells) => plainText(cells.orderId)?.slice(0, 200) ?? null,

  batchSize: 10_000,

  parse: parseOrderLine,

  async write(tx: ShopTx, rows, ctx) {
    const outcomes = new Map<number, RowOutcome>();
    // Rows of one order, in file order; the first row's order-level values count.
    const groups = new Map<string, Group>();
    for (const { row, value } of rows) {
      let g = groups.get(value.orderId);
      if (!g) groups.set(value.orderId, (g = { rows: [], first: value, items: [] }));
      else {
        if (g.first.totalMinor === null && value.totalMinor !== null) g.first = { ...g.first, totalMinor: value.totalMinor };
        g.first = { ...g.first, state: mergeOrderState(g.first.state, value.state) };
      }
      g.rows.push(row);
      if (value.item) g.items.push(value.item);
    }
    if (groups.size === 0) return outcomes;

    const customerIds = await resolveCustomers(tx, [...groups.values()].map((g) => g.first.customer), ctx, true);
    const productIds = await resolveProducts(tx, [...groups.values()].flatMap((g) => g.items), ctx);

    const written = memo(ctx, "orders", (): Written => new Map());
    const list = [...groups];
    const orderRows: CopyValue[][] = [];
    const lineRows: CopyValue[][] = [];
    list.forEach(([externalId, g], ord) => {
      const linesMinor = g.items.reduce((s, it) => s + it.lineMinor, 0);
      const earlier = written.get(externalId);
      const derivedTotal = earlier?.derivedTotal ?? g.first.totalMinor === null;
      const totalMinor = g.first.totalMinor ?? linesMinor;
      const state = settleOrderState(g.first.state, totalMinor);
      orderRows.push([
        ord, externalId, customerIds.get(refKey(g.first.customer))!, g.first.placedAt, totalMinor, g.first.currency, g.first.channel,
        state.status, state.refundedMinor, state.cancelledAt, uuid7(), earlier ? String(earlier.outcome) : null, derivedTotal, linesMinor,
      ]);
      for (const it of g.items) {
        lineRows.push([ord, uuid7(), it.productKey === null ? null : (productIds.get(it.productKey) ?? null), it.name, it.category, it.quantity, it.priceMinor]);
      }
    });

    const merged = await mergeOrders(tx, ctx, orderRows, lineRows);
    for (const { ord, action } of merged) {
      const [externalId, g] = list[ord]!;
      const earlier = written.get(externalId);
      let outcome: RowOutcome;
      if (action === "append") {
        // Further lines of an order this import wrote in an earlier batch: they share its outcome,
        // except that lines added to an order found unchanged do change it.
        outcome = earlier ? (earlier.outcome === "unchanged" && g.items.length > 0 ? "updated" : earlier.outcome) : "imported";
      } else outcome = action === "insert" ? "imported" : action === "same" ? "unchanged" : "updated";
      remember(ctx, written, externalId, { outcome, derivedTotal: earlier?.derivedTotal ?? g.first.totalMinor === null });
      for (const row of g.rows) outcomes.set(row, outcome);
    }
    return outcomes;
  },
};

/**
 * Merges the staged orders and lines into the shop's tables and answers, per staged order, what
 * was done: insert (new), same (identical, left alone), replace (changed: updated, lines
 * replaced) or append (more lines of an order this import wrote before).
 */
async function mergeOrders(
  tx: ShopTx,
  ctx: ImportContext,
  orderRows: CopyValue[][],
  lineRows: CopyValue[][],
): Promise<{ ord: number; action: "insert" | "same" | "replace" | "append" }[]> {
  const shop = ctx.shopId;
  await tx.execute(sql`create temp table import_orders (
    ord int not null, external_id text not null, customer_id uuid not null, placed_at timestamptz not null, total_minor bigint not null,
    currency text not null, channel text not null, status order_status not null, refunded_minor bigint not null, cancelled_at timestamptz,
    new_id uuid not null, earlier text, derived boolean not null, lines_minor bigint not null
  ) on commit drop`);
  await tx.execute(sql`create temp table import_order_lines (
    ord int not null, id uuid not null, product_id uuid, name text not null, category text, quantity int not null, price_minor bigint not null
  ) on commit drop`);
  await copyRows(tx, "import_orders", ORDER_COLUMNS, orderRows);
  await copyRows(tx, "import_order_lines", LINE_COLUMNS, lineRows);

  // Each staged order against the stored one with the same id. Orders this import created are
  // recognised by their import id even when the import no longer remembers them.
  await tx.execute(sql`create temp table import_order_merge on commit drop as
    select s.*, coalesce(o.id, s.new_id) as order_id,
           case when s.earlier is not null or o.import_id = ${ctx.importId}::uuid then 'append'
                when o.id is null then 'insert'
                when o.customer_id = s.customer_id and o.placed_at = s.placed_at and o.total_minor = s.total_minor and o.currency = s.currency
                 and o.channel = s.channel and o.status = s.status and o.refunded_minor = s.refunded_minor
                 and o.cancelled_at is not distinct from s.cancelled_at then 'compare'
                else 'replace'
           end as action
      from import_orders s
      left join orders o on o.shop_id = ${shop}::uuid and o.external_id = s.external_id`);
  // Same header: the order is unchanged only if it has the same lines (in any order).
  await tx.execute(sql`update import_order_merge m
       set action = case when stored.lines is not distinct from staged.lines then 'same' else 'replace' end
      from (select c.ord,
                   (select jsonb_agg(jsonb_build_array(i.product_id, i.name, i.quantity, i.price_minor) order by i.product_id, i.name, i.quantity, i.price_minor)
                      from order_items i where i.shop_id = ${shop}::uuid and i.order_id = c.order_id) as lines
              from import_order_merge c where c.action = 'compare') stored
      left join (select l.ord, jsonb_agg(jsonb_build_array(l.product_id, l.name, l.quantity, l.price_minor) order by l.product_id, l.name, l.quantity, l.price_minor) as lines
                   from import_order_lines l where l.ord in (select ord from import_order_merge where action = 'compare') group by l.ord) staged
        on staged.ord = stored.ord
     where m.ord = stored.ord`);

  await tx.execute(sql`insert into orders (shop_id, id, external_id, customer_id, placed_at, total_minor, currency, channel, status, refunded_minor, cancelled_at, import_id, created_at)
    select ${shop}::uuid, m.order_id, m.external_id, m.customer_id, m.placed_at, m.total_minor, m.currency, m.channel, m.status, m.refunded_minor, m.cancelled_at,
           ${ctx.importId}::uuid, ${ctx.now.toISOString()}::timestamptz
      from import_order_merge m where m.action = 'insert'`);
  await tx.execute(sql`update orders o
       set customer_id = m.customer_id, placed_at = m.placed_at, total_minor = m.total_minor, currency = m.currency, channel = m.channel,
           status = m.status, refunded_minor = m.refunded_minor, cancelled_at = m.cancelled_at
      from import_order_merge m
     where m.action = 'replace' and o.shop_id = ${shop}::uuid and o.id = m.order_id`);
  await tx.execute(sql`delete from order_items i using import_order_merge m where m.action = 'replace' and i.shop_id = ${shop}::uuid and i.order_id = m.order_id`);
  // Appended lines raise a total that is the sum of the lines (no total was given).
  await tx.execute(sql`update orders o set total_minor = o.total_minor + m.lines_minor
      from import_order_merge m
     where m.action = 'append' and m.derived and m.lines_minor <> 0 and o.shop_id = ${shop}::uuid and o.id = m.order_id`);
  await tx.execute(sql`insert into order_items (shop_id, id, order_id, product_id, name, category, quantity, price_minor)
    select ${shop}::uuid, l.id, m.order_id, l.product_id, l.name, l.category, l.quantity, l.price_minor
      from import_order_lines l join import_order_merge m on m.ord = l.ord
     where m.action <> 'same'`);
  const merged = await queryRows<{ ord: number; action: "insert" | "same" | "replace" | "append" }>(tx, sql`select ord, action from import_order_merge`);
  // Gone with the transaction anyway; dropped now so that one transaction can write orders again (the REST API's event batches).
  await tx.execute(sql`drop table import_orders, import_order_lines, import_order_merge`);
  return merged;
}

/** Product id per product key; products new to the shop are created from the order lines. */
async function resolveProducts(tx: ShopTx, items: Item[], ctx: ImportContext): Promise<Map<string, string>> {
  const known = memo(ctx, "products", () => new Map<string, string>());
  const answer = new Map<string, string>();
  // A line without product id or name (a price alone) belongs to no product.
  const wanted = new Map<string, Item>();
  for (const it of items) {
    if (it.productKey === null || answer.has(it.productKey) || wanted.has(it.productKey)) continue;
    const id = known.get(it.productKey);
    if (id) answer.set(it.productKey, id);
    else wanted.set(it.productKey, it);
  }
  if (wanted.size > 0) {
    const fresh = [...wanted].map(([key, it]) => ({ id: uuid7(), external_id: key, name: it.name, category: it.category, price_minor: it.priceMinor }));
    // Known products keep what they have; new ones take the first line's name, category and price.
    await tx.execute(sql`insert into products (shop_id, id, external_id, name, category, price_minor)
      select ${ctx.shopId}::uuid, p.id, p.external_id, p.name, p.category, p.price_minor
        from json_to_recordset(${JSON.stringify(fresh)}::json) as p(id uuid, external_id text, name text, category text, price_minor bigint)
      on conflict (shop_id, external_id) do nothing`);
    const found = await queryRows<{ id: string; external_id: string }>(
      tx,
      sql`select p.id, p.external_id from products p
           where p.shop_id = ${ctx.shopId}::uuid and p.external_id in (select value from json_array_elements_text(${JSON.stringify([...wanted.keys()])}::json))`,
    );
    for (const p of found) {
      answer.set(p.external_id, p.id);
      remember(ctx, known, p.external_id, p.id);
    }
  }
  return answer;
}
