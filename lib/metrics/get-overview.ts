// The overview's figures, computed in one pass over the shop's orders. A window of N days is the
// half-open interval (now − N days, now]. "Active" means at least one order in the window.
import { sql } from "drizzle-orm";
import { queryRows } from "../db/client";
import type { ShopTx } from "../db/tenant";

export const OVERVIEW_WINDOWS = [30, 90, 365] as const;
export type OverviewWindow = (typeof OVERVIEW_WINDOWS)[number];

export interface WindowFigures {
  days: OverviewWindow;
  orders: number;
  revenueMinor: number;
  activeCustomers: number;
  newCustomers: number;
}

export interface Overview {
  customers: number;
  orders: number;
  revenueMinor: number;
  windows: WindowFigures[];
}

export async function getOverview(tx: ShopTx, options: { now?: Date } = {}): Promise<Overview> {
  // Raw SQL gets timestamps as ISO strings: postgres.js under drizzle does not serialise Dates there.
  const now = (options.now ?? new Date()).toISOString();
  const since = (days: number) => new Date(Date.parse(now) - days * 86_400_000).toISOString();
  const [totals] = await queryRows<{ customers: number; orders: number; revenue: number }>(
    tx,
    sql`select (select count(*)::int from customers where erased_at is null) as customers,
               count(*)::int as orders, coalesce(sum(net_minor), 0)::float8 as revenue
          from sales where placed_at <= ${now}::timestamptz`,
  );
  const [w30, w90, w365] = OVERVIEW_WINDOWS.map(since);
  const rows = await queryRows<{ days: number; orders: number; revenue: number; active: number; fresh: number }>(
    tx,
    sql`with o as materialized (select customer_id, placed_at, net_minor from sales where placed_at <= ${now}::timestamptz),
             firsts as (select customer_id, min(placed_at) as first_at from o group by customer_id),
             w(days, since) as (values (30, ${w30}::timestamptz), (90, ${w90}::timestamptz), (365, ${w365}::timestamptz))
        select w.days::int as days,
               (select count(*)::int from o where o.placed_at > w.since) as orders,
               (select coalesce(sum(o.net_minor), 0)::float8 from o where o.placed_at > w.since) as revenue,
               (select count(distinct o.customer_id)::int from o where o.placed_at > w.since) as active,
               (select count(*)::int from firsts f where f.first_at > w.since) as fresh
          from w order by w.days`,
  );
  return {
    customers: totals?.customers ?? 0,
    orders: totals?.orders ?? 0,
    revenueMinor: Number(totals?.revenue ?? 0),
    windows: rows.map((r) => ({
      days: r.days as OverviewWindow,
      orders: r.orders,
      revenueMinor: Number(r.revenue),
      activeCustomers: r.active,
      newCustomers: r.fresh,
    })),
  };
}
