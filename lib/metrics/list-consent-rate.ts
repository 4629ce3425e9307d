// Consent rate over time: at the end of each month (in the shop's time zone; now, for the current
// month), the share of customers with a current marketing grant per channel. Replayed from the
// ledger (consent_events), not from today's state, so a past month shows what held then. The
// customers counted are those not erased who were known by then: created, ordered or recorded a
// consent event before the month ended.
import { sql } from "drizzle-orm";
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
  const rows = await queryRows<{ month: string; customers: number; email: number; sms: number; push: number }>(
    tx,
    sql`with months as (
          select m.month,
                 least((to_date(m.month, 'YYYY-MM') + interval '1 month')::timestamp at time zone ${tz}, ${now}::timestamptz) as ends
            from unnest(${`{${options.months.join(",")}}`}::text[]) as m(month)
        ), known as (
          select least(c.created_at, f.first_at, e.first_at) as since
            from customers c
            left join (select customer_id, min(placed_at) as first_at from sales group by 1) f on f.customer_id = c.id
            left join (select customer_id, min(occurred_at) as first_at from consent_events group by 1) e on e.customer_id = c.id
           where c.erased_at is null
        ), spans as (
          -- Each grant holds from when it happened until the next event for the same channel.
          select customer_id, channel, action, occurred_at,
                 lead(occurred_at) over (partition by customer_id, channel order by occurred_at, seq) as next_at
            from consent_events where purpose = 'marketing'
        ), grants as (
          select s.customer_id, s.channel, s.occurred_at, s.next_at
            from spans s join customers c on c.id = s.customer_id
           where s.action = 'grant' and c.erased_at is null
        )
        select m.month,
               (select count(*)::int from known k where k.since < m.ends) as customers,
               count(distinct g.customer_id) filter (where g.channel = 'email')::int as email,
               count(distinct g.customer_id) filter (where g.channel = 'sms')::int as sms,
               count(distinct g.customer_id) filter (where g.channel = 'push')::int as push
          from months m
          left join grants g on g.occurred_at < m.ends and (g.next_at is null or g.next_at >= m.ends)
         group by m.month, m.ends
         order by m.month`,
  );
  return rows.map((r) => {
    const rate = (granted: number) => ({ granted, rate: r.customers > 0 ? granted / r.customers : null });
    return { month: r.month, customers: r.customers, channels: { email: rate(r.email), sms: rate(r.sms), push: rate(r.push) }, partial: r.month === options.currentMonth };
  });
}
