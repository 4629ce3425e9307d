// Consent rate over time: at the end of each month (in the shop's time zone; now, for the current
// month), the share of customers with a current marketing grant per channel. Replayed from the
// ledger (consent_events), not from today's state, so a past month shows what held then. The
// customers counted are those not erased who were known by then: created, ordered or recorded a
// consent event before the month ended.
import { sql, type SQL } from "drizzle-orm";
import { queryRows } from "../db/client";
import { channelEnum } from "../db/schema";
import type { ShopTx } from "../db/tenant";

export type ConsentChannel = (typeof channelEnum.enumValues)[number];
export const CONSENT_CHANNELS = channelEnum.enumValues;

export interface ConsentRateMonth {
  month: string;
  /** Customers known by the month's end and not erased: the rates' n. */
  customers: number;
  /** Per channel: customers with a marketing grant in force at the month's end; rate null when n is 0. */
  channels: Record<ConsentChannel, { granted: number; rate: number | null }>;
  partial: boolean;
}

export async function listConsentRate(
  tx: ShopTx,
  options: { timeZone: string; now: Date; months: readonly string[]; currentMonth: string },
): Promise<ConsentRateMonth[]> {
  if (options.months.length === 0) return [];
  const now = options.now.toISOString();
  const tz = options.timeZone;
  const monthOf = (at: SQL) => sql`to_char(${at} at time zone ${tz}, 'YYYY-MM')`;
  // Counted as changes per month and added up here, rather than by testing every customer and
  // grant against every month's end: one pass over each table, whatever the range's length.
  // A customer is known from the month of their first trace on; a grant holds from its month to
  // the month of the next event for the same channel (a withdrawal, or a newer grant).
  const known = await queryRows<{ month: string; customers: number }>(
    tx,
    sql`select ${monthOf(sql`k.since`)} as month, count(*)::int as customers
          from (select t.customer_id, min(t.at) as since
                  from (select id as customer_id, created_at as at from customers
                        union all select customer_id, placed_at from sales where customer_id is not null
                        union all select customer_id, occurred_at from consent_events) t
                 group by t.customer_id) k
         where k.customer_id in (select id from customers where erased_at is null) and k.since <= ${now}::timestamptz
         group by 1`,
  );
  const changes = await queryRows<{ month: string; channel: ConsentChannel; delta: number }>(
    tx,
    sql`with spans as (
          select customer_id, channel, action, occurred_at,
                 lead(occurred_at) over (partition by customer_id, channel order by occurred_at, seq) as next_at
            from consent_events where purpose = 'marketing' and occurred_at <= ${now}::timestamptz
        ), grants as (
          select s.channel, s.occurred_at, s.next_at
            from spans s join customers c on c.id = s.customer_id
           where s.action = 'grant' and c.erased_at is null
        )
        select month, channel, sum(delta)::int as delta
          from (select ${monthOf(sql`occurred_at`)} as month, channel, 1 as delta from grants
                union all
                select ${monthOf(sql`next_at`)}, channel, -1 from grants where next_at is not null) d
         group by 1, 2`,
  );
  const upTo = <T extends { month: string }>(rows: readonly T[], month: string, value: (r: T) => number) =>
    rows.reduce((sum, r) => (r.month <= month ? sum + value(r) : sum), 0);
  return options.months.map((month) => {
    const customers = upTo(known, month, (r) => r.customers);
    const granted = (channel: ConsentChannel) => upTo(changes.filter((c) => c.channel === channel), month, (r) => r.delta);
    const rate = (n: number) => ({ granted: n, rate: customers > 0 ? n / customers : null });
    return {
      month,
      customers,
      channels: { email: rate(granted("email")), sms: rate(granted("sms")), push: rate(granted("push")) },
      partial: month === options.currentMonth,
    };
  });
}
