// Server-side search, sort and pagination of a shop's customers with their order figures.
import { sql, type SQL } from "drizzle-orm";
import { queryRows } from "../db/client";
import type { ShopTx } from "../db/tenant";
import { ListCustomersQuerySchema, type ListCustomersQuery } from "./schemas";

export interface CustomerListRow {
  id: string;
  externalId: string | null;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  orders: number;
  spentMinor: number;
  lastOrderAt: Date | null;
  createdAt: Date;
}

export interface CustomerList {
  rows: CustomerListRow[];
  total: number;
  query: ListCustomersQuery;
  pages: number;
}

const orderBy: Record<ListCustomersQuery["sort"], SQL> = {
  name: sql`lower(coalesce(c.last_name, '') || ' ' || coalesce(c.first_name, ''))`,
  email: sql`c.email`,
  orders: sql`coalesce(a.orders, 0)`,
  spent: sql`coalesce(a.spent, 0)`,
  last_order: sql`a.last_order_at`,
  created: sql`c.created_at`,
};

/** Escapes LIKE wildcards so a search for "50%" means the characters, not a pattern. */
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

export async function listCustomers(tx: ShopTx, input: Partial<Record<keyof ListCustomersQuery, unknown>> = {}): Promise<CustomerList> {
  const query = ListCustomersQuerySchema.parse(input);
  const pattern = likePattern(query.q);
  const where = query.q
    ? sql`c.erased_at is null and (c.email ilike ${pattern} or c.external_id ilike ${pattern} or c.phone ilike ${pattern}
          or (coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')) ilike ${pattern})`
    : sql`c.erased_at is null`;
  const direction = query.dir === "asc" ? sql`asc nulls first` : sql`desc nulls last`;

  const [count] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from customers c where ${where}`);
  const total = count?.n ?? 0;
  const pages = Math.max(1, Math.ceil(total / query.pageSize));
  const page = Math.min(query.page, pages);
  const rows = await queryRows<{
    id: string; external_id: string | null; email: string | null; first_name: string | null; last_name: string | null;
    orders: number; spent: number; last_order_at: Date | null; created_at: Date;
  }>(
    tx,
    sql`select c.id, c.external_id, c.email, c.first_name, c.last_name, c.created_at,
               coalesce(a.orders, 0)::int as orders, coalesce(a.spent, 0)::float8 as spent, a.last_order_at
          from customers c
          left join lateral (
            select count(*) as orders, sum(o.net_minor) as spent, max(o.placed_at) as last_order_at
              from sales o where o.customer_id = c.id
          ) a on true
         where ${where}
         order by ${orderBy[query.sort]} ${direction}, c.id
         limit ${query.pageSize} offset ${(page - 1) * query.pageSize}`,
  );
  return {
    total,
    pages,
    query: { ...query, page },
    rows: rows.map((r) => ({
      id: r.id,
      externalId: r.external_id,
      email: r.email,
      firstName: r.first_name,
      lastName: r.last_name,
      orders: r.orders,
      spentMinor: Number(r.spent),
      lastOrderAt: r.last_order_at ? new Date(r.last_order_at) : null,
      createdAt: new Date(r.created_at),
    })),
  };
}
