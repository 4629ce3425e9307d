// Acquisition spend per channel and month (the `spend` table: one row per channel and calendar
// month), within a range of months and optionally one channel.
import { sql } from "drizzle-orm";
import { queryRows } from "../db/client";
import type { ShopTx } from "../db/tenant";

export interface SpendRow {
  channel: string;
  month: string; // YYYY-MM
  amountMinor: number;
}

export async function listSpend(tx: ShopTx, options: { from: string; to: string; channel: string | null }): Promise<SpendRow[]> {
  const rows = await queryRows<{ channel: string; month: string; amount: number }>(
    tx,
    sql`select channel, to_char(month, 'YYYY-MM') as month, amount_minor::float8 as amount
          from spend
         where month >= ${`${options.from}-01`}::date and month < (${`${options.to}-01`}::date + interval '1 month')
           and (${options.channel}::text is null or channel = ${options.channel}::text)
         order by month, channel`,
  );
  return rows.map((r) => ({ channel: r.channel, month: r.month, amountMinor: Number(r.amount) }));
}
