// A customer's values for a template's merge fields, as the preview shows them (the worker reads
// the same columns in its one statement at sending, lib/campaigns/deliver-send.ts).
import { sql } from "drizzle-orm";
import { queryRows } from "../db/client";
import type { ShopTx } from "../db/tenant";
import type { MessageValues } from "./message-template";

export async function loadMessageValues(tx: ShopTx, customerId: string): Promise<MessageValues | null> {
  const [f] = await queryRows<{ first_name: string | null; shop_name: string; zone: string; locale: string | null; last_order_at: string | null; last_order_product: string | null }>(
    tx,
    sql`select c.first_name, sh.name as shop_name, coalesce(c.time_zone, sh.time_zone) as zone, c.locale,
               lo.placed_at::text as last_order_at, lo.product as last_order_product
          from customers c
          join shops sh on sh.id = c.shop_id
          left join lateral (select o.placed_at, (select i.name from order_items i where i.shop_id = o.shop_id and i.order_id = o.id order by i.id limit 1) as product
                               from sales o where o.customer_id = c.id order by o.placed_at desc limit 1) lo on true
         where c.id = ${customerId}::uuid`,
  );
  if (!f) return null;
  return {
    firstName: f.first_name,
    shopName: f.shop_name,
    lastOrderDate: f.last_order_at ? new Intl.DateTimeFormat(f.locale ?? "en-GB", { dateStyle: "long", timeZone: f.zone }).format(new Date(f.last_order_at)) : null,
    lastOrderProduct: f.last_order_product,
    recommendedProducts: [],
  };
}
