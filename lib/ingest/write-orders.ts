// Orders: one row per line item (Shopify's export) or one per order. Rows are grouped by order
// id; an order whose customer is not known yet creates the customer. Re-importing the same order
// with the same lines changes nothing; a changed order replaces its lines.
//
// A batch takes its lines as they are read and keeps them compact (a few values per order, a line
// of COPY text per order line), so an import holds little while the batch before is written. It is
// written set-based: its orders and lines are copied into two temporary tables of the transaction
// (COPY), and a handful of statements merge them into the shop's tables — new orders inserted,
// identical ones left alone, changed ones updated with their lines replaced — and answer what
// happened to each order. New orders and lines get time-ordered ids (UUIDv7).
import { sql } from "drizzle-orm";
import { copyLine, copyLines, copyRows, type CopyValue } from "../db/copy-rows";
import { queryRows } from "../db/client";
import type { ShopTx } from "../db/tenant";
import { uuid7 } from "../db/uuid7";
import { BoundedMemo } from "./bounded-memo";
import type { ImportContext, KindWriter, StagedBatch } from "./kind-writer";
import { mergeOrderState, parseOrderLine, settleOrderState, type OrderLine, type OrderState } from "./parse-order-line";
import { plainText } from "./parse-values";
import { refKey, resolveCustomers, type CustomerRef } from "./resolve-customers";
import type { RowOutcome } from "./schemas";

/**
 * Orders this import has written, so an order's later lines are appended, not taken for a change.
 * Bounded, so memory stays flat whatever the file's size: the oldest entries go first. An order
 * evicted here and met again is still recognised as this import's own by its import_id; only
 * an existing order updated by this file whose lines lie further apart than the limit (100,000 orders) would be
 * re-written from its later lines alone (store exports keep an order's lines together).
 */
type Written = BoundedMemo<Earlier>;

/** An earlier appearance, in one small number: its outcome, and whether its total is the sum of its lines. */
type Earlier = number;
const OUTCOMES = ["imported", "updated", "unchanged"] as const;
const earlierOf = (outcome: (typeof OUTCOMES)[number], derivedTotal: boolean): Earlier => OUTCOMES.indexOf(outcome) * 2 + Number(derivedTotal);
const outcomeOf = (e: Earlier) => OUTCOMES[e >> 1]!;
const derivedOf = (e: Earlier) => (e & 1) === 1;

function memo<T>(ctx: ImportContext, key: string, make: () => T): T {
  if (!ctx.memo.has(key)) ctx.memo.set(key, make());
  return ctx.memo.get(key) as T;
}

/** An order of the batch, as compact as its lines allow: its lines themselves are kept as COPY text. */
interface OrderGroup {
  ord: number;
  rows: number[];
  /** The first line's customer, date, currency and channel stand for the order. */
  customer: CustomerRef;
  placedAt: Date;
  currency: string;
  channel: string;
  /** The first total any line gives. */
  totalMinor: number | null;
  /** The lines' states merged. */
  state: OrderState;
  linesMinor: number;
  lineCount: number;
  newId: string;
}

const ORDER_COLUMNS = [
  "ord", "external_id", "customer_id", "placed_at", "total_minor", "currency", "channel", "status", "refunded_minor", "cancelled_at",
  "new_id", "earlier", "derived", "lines_minor",
] as const;
// product_key only for a line whose product the import did not know yet; it is found or created when the batch is written.
const LINE_COLUMNS = ["ord", "id", "product_id", "product_key", "name", "category", "quantity", "price_minor"] as const;

/** Rows of one batch, kept as they come: per order a few values, per line a line of COPY text. */
class OrdersBatch implements StagedBatch<OrderLine> {
  private readonly groups = new Map<string, OrderGroup>();
  private readonly lines: string[] = [];
  private readonly products: BoundedMemo<string>;
  private unknownProducts = false;

  constructor(private readonly ctx: ImportContext) {
    this.products = memo(ctx, "products", () => new BoundedMemo<string>(ctx.memoLimit));
  }

  add(row: number, value: OrderLine) {
    let g = this.groups.get(value.orderId);
    if (!g) {
      g = {
        ord: this.groups.size, rows: [], customer: value.customer, placedAt: value.placedAt, currency: value.currency, channel: value.channel,
        totalMinor: value.totalMinor, state: value.state, linesMinor: 0, lineCount: 0, newId: uuid7(),
      };
      this.groups.set(value.orderId, g);
    } else {
      g.totalMinor ??= value.totalMinor;
      g.state = mergeOrderState(g.state, value.state);
    }
    g.rows.push(row);
    const it = value.item;
    if (!it) return;
    g.linesMinor += it.lineMinor;
    g.lineCount += 1;
    // A line without product id or name (a price alone) belongs to no product.
    const productId = it.productKey === null ? null : (this.products.get(it.productKey) ?? null);
    if (it.productKey !== null && productId === null) this.unknownProducts = true;
    this.lines.push(copyLine([g.ord, uuid7(), productId, productId === null ? it.productKey : null, it.name, it.category, it.quantity, it.priceMinor]));
  }

  async write(tx: ShopTx): Promise<Map<number, RowOutcome>> {
    const { ctx } = this;
    const outcomes = new Map<number, RowOutcome>();
    if (this.groups.size === 0) return outcomes;
    const list = [...this.groups];
    const customerIds = await resolveCustomers(tx, list.map(([, g]) => g.customer), ctx, true);
    const written = memo(ctx, "orders", (): Written => new BoundedMemo(ctx.memoLimit));
    const orderRows = list.map(([externalId, g]): CopyValue[] => {
      const earlier = written.get(externalId);
      const totalMinor = g.totalMinor ?? g.linesMinor;
      const state = settleOrderState(g.state, totalMinor);
      return [
        g.ord, externalId, customerIds.get(refKey(g.customer))!, g.placedAt, totalMinor, g.currency, g.channel, state.status, state.refundedMinor, state.cancelledAt,
        g.newId, earlier === undefined ? null : outcomeOf(earlier), earlier === undefined ? g.totalMinor === null : derivedOf(earlier), g.linesMinor,
      ];
    });

    const merged = await mergeOrders(tx, ctx, orderRows, this.lines, this.unknownProducts ? this.products : null);
    for (const { ord, action } of merged) {
      const [externalId, g] = list[ord]!;
      const earlier = written.get(externalId);
      let outcome: (typeof OUTCOMES)[number];
      if (action === "append") {
        // Further lines of an order this import wrote in an earlier batch: they share its outcome,
        // except that lines added to an order found unchanged do change it.
        const before = earlier === undefined ? "imported" : outcomeOf(earlier);
        outcome = before === "unchanged" && g.lineCount > 0 ? "updated" : before;
      } else outcome = action === "insert" ? "imported" : action === "same" ? "unchanged" : "updated";
      written.set(externalId, earlierOf(outcome, earlier === undefined ? g.totalMinor === null : derivedOf(earlier)));
      for (const row of g.rows) outcomes.set(row, outcome);
    }
    return outcomes;
  }
}

export const ordersWriter: KindWriter<OrderLine> = {
  // The same order id as parseOrderLine reads, also for a line it rejects.
  groupKeyOfCells: (cells) => plainText(cells.orderId)?.slice(0, 200) ?? null,

  // Each batch costs a few statements and temporary tables whatever its size. 15,000 lines keep that
  // small against the rows; larger batches were faster still but let the import's memory peak now
  // and then above 400 MB (docs/decisions/003-imports.md).
  batchSize: 15_000,

  parse: parseOrderLine,

  stage: (ctx) => new OrdersBatch(ctx),

  write(tx: ShopTx, rows, ctx) {
    const batch = new OrdersBatch(ctx);
    for (const { row, value } of rows) batch.add(row, value);
    return batch.write(tx);
  },

  // An order this import created is recognised by its import id; one the shop had before and this
  // file changed, by what the import remembers of it (an order it no longer remembers, more than
  // the memo's limit of orders back, is not reported).
  takeBack: {
    async find(tx, keys, ctx) {
      const found = new Map<string, "own" | "changed">();
      if (keys.length === 0 || !ctx.importId) return found;
      const written = ctx.memo.get("orders") as Written | undefined;
      const stored = await queryRows<{ external_id: string; own: boolean }>(
        tx,
        sql`select external_id, import_id is not distinct from ${ctx.importId}::uuid as own from orders
             where shop_id = ${ctx.shopId}::uuid and external_id in (select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb))`,
      );
      for (const o of stored) {
        const earlier = written?.get(o.external_id);
        if (o.own) found.set(o.external_id, "own");
        else if (earlier !== undefined && outcomeOf(earlier) === "updated") found.set(o.external_id, "changed");
      }
      return found;
    },
    async remove(tx, keys, ctx) {
      if (keys.length === 0 || !ctx.importId) return;
      // Their lines go with them (the orders' delete trigger, 0028).
      const gone = await queryRows<{ customer_id: string }>(
        tx,
        sql`delete from orders where shop_id = ${ctx.shopId}::uuid and import_id = ${ctx.importId}::uuid
               and external_id in (select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb)) returning customer_id`,
      );
      // A customer this import created for such an order alone goes too, as when the order's lines
      // are together and none of it is written: one with other orders or any consent stays.
      await tx.execute(sql`delete from customers c
         where c.shop_id = ${ctx.shopId}::uuid and c.id in (select jsonb_array_elements_text(${JSON.stringify(gone.map((g) => g.customer_id))}::jsonb)::uuid)
           and c.created_at = ${ctx.now.toISOString()}::timestamptz
           and not exists (select 1 from orders o where o.shop_id = c.shop_id and o.customer_id = c.id)
           and not exists (select 1 from consent_events e where e.shop_id = c.shop_id and e.customer_id = c.id)`);
    },
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
  lines: string[],
  products: BoundedMemo<string> | null,
): Promise<{ ord: number; action: "insert" | "same" | "replace" | "append" }[]> {
  const shop = ctx.shopId;
  await tx.execute(sql`create temp table import_orders (
    ord int not null, external_id text not null, customer_id uuid not null, placed_at timestamptz not null, total_minor bigint not null,
    currency text not null, channel text not null, status order_status not null, refunded_minor bigint not null, cancelled_at timestamptz,
    new_id uuid not null, earlier text, derived boolean not null, lines_minor bigint not null
  ) on commit drop`);
  await tx.execute(sql`create temp table import_order_lines (
    ord int not null, id uuid not null, product_id uuid, product_key text, name text not null, category text, quantity int not null, price_minor bigint not null
  ) on commit drop`);
  await copyRows(tx, "import_orders", ORDER_COLUMNS, orderRows);
  await copyLines(tx, "import_order_lines", LINE_COLUMNS, lines);
  if (products) await resolveProducts(tx, ctx, products);

  // New orders are inserted first, in one statement whose unique key on the platform's id skips
  // those the shop already has: for a new order that key's lookup is the only one it needs. The
  // orders it skipped (a re-import, or more lines of an order this import wrote before) are then
  // compared with the stored one with the same id. Orders this import created are recognised by
  // their import id even when the import no longer remembers them. The statements below reach
  // stored rows by their indexes (a lateral lookup, "= any"), whatever the planner's statistics
  // say: during a large import they lag far behind, and a plan that reads all the shop's orders
  // for every batch would make the import quadratic.
  await tx.execute(sql`create temp table import_order_merge on commit drop as
    select s.*, s.new_id as order_id, ''::text as action from import_orders s with no data`);
  await tx.execute(sql`with inserted as (
      insert into orders (shop_id, id, external_id, customer_id, placed_at, total_minor, currency, channel, status, refunded_minor, cancelled_at, import_id, created_at)
      select ${shop}::uuid, s.new_id, s.external_id, s.customer_id, s.placed_at, s.total_minor, s.currency, s.channel, s.status, s.refunded_minor, s.cancelled_at,
             ${ctx.importId}::uuid, ${ctx.now.toISOString()}::timestamptz
        from import_orders s where s.earlier is null
      on conflict (shop_id, external_id) do nothing
      returning id)
    insert into import_order_merge
    select s.*, s.new_id, case when i.id is null then 'lookup' else 'insert' end from import_orders s left join inserted i on i.id = s.new_id`);
  await tx.execute(sql`update import_order_merge m
       set order_id = coalesce(o.id, m.new_id),
           action = case when m.earlier is not null or o.import_id = ${ctx.importId}::uuid then 'append'
                         when o.customer_id = m.customer_id and o.placed_at = m.placed_at and o.total_minor = m.total_minor and o.currency = m.currency
                          and o.channel = m.channel and o.status = m.status and o.refunded_minor = m.refunded_minor
                          and o.cancelled_at is not distinct from m.cancelled_at then 'compare'
                         else 'replace'
                    end
      from (select s.ord as merge_ord, stored.*
              from import_order_merge s
              left join lateral (select * from orders o where o.shop_id = ${shop}::uuid and o.external_id = s.external_id limit 1) stored on true
             where s.action = 'lookup') o
     where m.ord = o.merge_ord`);
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

  await tx.execute(sql`update orders o
       set customer_id = m.customer_id, placed_at = m.placed_at, total_minor = m.total_minor, currency = m.currency, channel = m.channel,
           status = m.status, refunded_minor = m.refunded_minor, cancelled_at = m.cancelled_at
      from import_order_merge m
     where o.shop_id = ${shop}::uuid and o.id = any(array(select order_id from import_order_merge where action = 'replace'))
       and m.order_id = o.id and m.action = 'replace'`);
  await tx.execute(sql`delete from order_items i
     where i.shop_id = ${shop}::uuid and i.order_id = any(array(select order_id from import_order_merge where action = 'replace'))`);
  // Appended lines raise a total that is the sum of the lines (no total was given).
  await tx.execute(sql`update orders o set total_minor = o.total_minor + m.lines_minor
      from import_order_merge m
     where o.shop_id = ${shop}::uuid and o.id = any(array(select order_id from import_order_merge where action = 'append' and derived and lines_minor <> 0))
       and m.order_id = o.id and m.action = 'append'`);
  await tx.execute(sql`insert into order_items (shop_id, id, order_id, product_id, name, category, quantity, price_minor)
    select ${shop}::uuid, l.id, m.order_id, l.product_id, l.name, l.category, l.quantity, l.price_minor
      from import_order_lines l join import_order_merge m on m.ord = l.ord
     where m.action <> 'same'`);
  const merged = await queryRows<{ ord: number; action: "insert" | "same" | "replace" | "append" }>(tx, sql`select ord, action from import_order_merge`);
  // Gone with the transaction anyway; dropped now so that one transaction can write orders again (the REST API's event batches).
  await tx.execute(sql`drop table import_orders, import_order_lines, import_order_merge`);
  return merged;
}

/**
 * Gives the staged lines whose product the import did not know their product: found by its key, or
 * created from the first line that names it (known products keep what they have). The import
 * remembers them for the lines still to come.
 */
async function resolveProducts(tx: ShopTx, ctx: ImportContext, products: BoundedMemo<string>): Promise<void> {
  await tx.execute(sql`insert into products (shop_id, external_id, name, category, price_minor)
    select distinct on (l.product_key) ${ctx.shopId}::uuid, l.product_key, l.name, l.category, l.price_minor
      from import_order_lines l where l.product_key is not null order by l.product_key, l.id
    on conflict (shop_id, external_id) do nothing`);
  const found = await queryRows<{ product_key: string; id: string }>(
    tx,
    sql`update import_order_lines l set product_id = k.id
          from (select x.product_key, (select p.id from products p where p.shop_id = ${ctx.shopId}::uuid and p.external_id = x.product_key) as id
                  from (select distinct product_key from import_order_lines where product_key is not null) x) k
         where l.product_key = k.product_key
        returning k.product_key, k.id`,
  );
  for (const p of found) products.set(p.product_key, p.id);
}
