// The shop's sold lines, walked once per refresh for the segments that read what customers bought
// (category fans, due to reorder): every line of a current customer's sale with its item (the
// category, or the product's name when it has none) and the shop's local day, in order of day per
// customer and item. Each row carries the days since the customer's previous purchase of the item
// (0 on the same day), whether it is their last purchase of it, and how many items with that
// category they bought in all. One join and one sort serve both segments.
import { sql, type SQL } from "drizzle-orm";

/** The name a refresh gives the walked lines in its statement. */
export const WALKED_LINES = sql`${sql.identifier("walked_lines")}`;

/** Rows of (customer_id, item, day, days, last, has_category, category_items); the last two hold on the last row. */
export function walkedSaleLines(ctx: { now: string }, options: { categories?: boolean } = {}): SQL {
  // Running totals in day order: on the last row (the only one read) they cover every line of the item.
  // Due to reorder on its own (the daily automation) needs none, and skips them.
  const categories = options.categories === false
    ? sql`null::boolean as has_category, null::bigint as category_items`
    : sql`bool_or(category is not null) over w as has_category, sum(quantity) filter (where category is not null) over w as category_items`;
  // Days are the shop's own (midnight in its time zone), as a customer and the owner count them; a
  // gap across a change of daylight-saving time is 23 or 25 hours, still one day.
  return sql`select customer_id, item, day,
           round(extract(epoch from day - lag(day) over w) / 86400) as days, lead(day) over w is null as last, ${categories}
      from (select o.customer_id, oi.category, coalesce(oi.category, oi.name) as item, oi.quantity,
                   date_trunc('day', o.placed_at, (select s.time_zone from shops s where s.id = regulars_current_shop())) as day
              from order_items oi join sales o on o.shop_id = oi.shop_id and o.id = oi.order_id
             where o.customer_id is not null and o.placed_at <= ${ctx.now}::timestamptz) b
    window w as (partition by customer_id, item order by day)`;
}

/** A segment's members computed on its own: the walked lines first, then the members from them. */
export const withWalkedLines = (ctx: { now: string }, members: SQL, options: { categories?: boolean } = {}) =>
  sql`with ${WALKED_LINES} as materialized (${walkedSaleLines(ctx, options)}) ${members}`;
