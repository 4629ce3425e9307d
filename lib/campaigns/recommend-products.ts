// Products a customer may like, from the shop's own orders only: first what was bought together
// with what they bought (in the same order, by other customers: "bought X, also bought Y"), then
// the most popular products of their favourite category. Never a product they already bought, and
// never from or because of a sensitive category (health, religion… — the same words the importers
// refuse as columns: a recommendation would tell what the shop infers about them). The shop's pairs and
// popularity come from one pass over the last 180 days of orders, computed once and reused for
// every message of a batch (lib/campaigns/run-worker.ts keeps it a few minutes).
import { sql } from "drizzle-orm";
import { queryRows } from "../db/client";
import type { ShopTx } from "../db/tenant";
import { isSensitiveHeader } from "../ingest/columns";

export const RECOMMENDATION_WINDOW_DAYS = 180;
const PARTNERS_PER_PRODUCT = 10;
const POPULAR_PER_CATEGORY = 10;

export interface CustomerPurchases {
  productIds: readonly string[];
  /** The category they bought most items from, if any. */
  favouriteCategory: string | null;
}

export interface Recommender {
  recommend(purchases: CustomerPurchases, limit?: number): string[];
}

/** The shop's "bought together" pairs and popular products per category, read once. */
export async function loadRecommender(tx: ShopTx, options: { now: Date }): Promise<Recommender> {
  const since = new Date(options.now.getTime() - RECOMMENDATION_WINDOW_DAYS * 86_400_000).toISOString();
  const recent = sql`(select i.order_id, i.product_id, o.customer_id from order_items i join sales o on o.id = i.order_id
                       where o.shop_id = i.shop_id and o.placed_at >= ${since}::timestamptz and i.product_id is not null)`;
  const [pairs, popular] = await Promise.all([
    queryRows<{ a: string; b: string; n: number }>(
      tx,
      sql`select a, b, n from (
            select x.product_id as a, y.product_id as b, count(distinct x.customer_id)::int as n,
                   row_number() over (partition by x.product_id order by count(distinct x.customer_id) desc, y.product_id) as rank
              from ${recent} x join ${recent} y on y.order_id = x.order_id and y.product_id <> x.product_id
             group by x.product_id, y.product_id) p
          where rank <= ${PARTNERS_PER_PRODUCT}`,
    ),
    queryRows<{ id: string; name: string; category: string | null; n: number }>(
      tx,
      sql`select p.id, p.name, p.category, count(distinct r.customer_id)::int as n
            from ${recent} r join products p on p.id = r.product_id
           group by p.id, p.name, p.category`,
    ),
  ]);
  const product = new Map(popular.map((p) => [p.id, p]));
  const allowed = (id: string) => {
    const p = product.get(id);
    return p !== undefined && (p.category === null || !isSensitiveHeader(p.category));
  };
  const partners = new Map<string, { b: string; n: number }[]>();
  for (const { a, b, n } of pairs) {
    // Neither suggested from nor because of a sensitive purchase.
    if (!allowed(a) || !allowed(b)) continue;
    const list = partners.get(a) ?? [];
    list.push({ b, n });
    partners.set(a, list);
  }
  const byCategory = new Map<string, { id: string; n: number }[]>();
  for (const p of popular) {
    if (p.category === null || !allowed(p.id)) continue;
    const list = byCategory.get(p.category) ?? [];
    list.push({ id: p.id, n: p.n });
    byCategory.set(p.category, list);
  }
  for (const list of byCategory.values()) {
    list.sort((x, y) => y.n - x.n || (product.get(x.id)!.name < product.get(y.id)!.name ? -1 : 1));
    list.splice(POPULAR_PER_CATEGORY);
  }

  return {
    recommend({ productIds, favouriteCategory }, limit = 3) {
      const owned = new Set(productIds);
      // Bought together with what they bought, scored by how many customers did so.
      const score = new Map<string, number>();
      for (const id of productIds) for (const { b, n } of partners.get(id) ?? []) if (!owned.has(b)) score.set(b, (score.get(b) ?? 0) + n);
      const together = [...score].sort((x, y) => y[1] - x[1] || (product.get(x[0])!.name < product.get(y[0])!.name ? -1 : 1)).map(([id]) => id);
      const popularInCategory = favouriteCategory && !isSensitiveHeader(favouriteCategory) ? (byCategory.get(favouriteCategory) ?? []).map((p) => p.id).filter((id) => !owned.has(id)) : [];
      const names: string[] = [];
      for (const id of [...together, ...popularInCategory]) {
        const name = product.get(id)!.name;
        if (!names.includes(name)) names.push(name);
        if (names.length === limit) break;
      }
      return names;
    },
  };
}

/** What one customer bought (product ids) and their favourite category, for recommend(). */
export async function customerPurchases(tx: ShopTx, customerId: string): Promise<CustomerPurchases> {
  const rows = await queryRows<{ product_id: string | null; category: string | null; items: number }>(
    tx,
    sql`select i.product_id, i.category, sum(i.quantity)::int as items
          from sales o join order_items i on i.shop_id = o.shop_id and i.order_id = o.id
         where o.customer_id = ${customerId}::uuid
         group by i.product_id, i.category`,
  );
  const perCategory = new Map<string, number>();
  for (const r of rows) if (r.category) perCategory.set(r.category, (perCategory.get(r.category) ?? 0) + r.items);
  const favouriteCategory = [...perCategory].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? null;
  return { productIds: rows.flatMap((r) => (r.product_id ? [r.product_id] : [])), favouriteCategory };
}
