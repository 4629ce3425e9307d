// consent_state is derived: per customer × channel × purpose, the latest event by occurred_at (ties:
// the later seq), exactly as the trigger regulars_apply_consent_event maintains it one event at a
// time. This derives it again from the whole ledger, in SQL, and names every difference from the
// stored state; with `repair` it replaces the stored state by the derived one.
import { sql } from "drizzle-orm";
import { queryRows } from "../db/client";
import { currentShopId, type ShopTx } from "../db/tenant";

export interface ConsentStateDifference {
  customerId: string;
  channel: string;
  purpose: string;
  stored: { granted: boolean; eventId: string } | null;
  derived: { granted: boolean; eventId: string } | null;
}

export interface ConsentStateRebuild {
  matches: boolean;
  /** Rows the ledger gives. */
  derived: number;
  stored: number;
  /** At most 100 differences, before any repair. */
  differences: ConsentStateDifference[];
  repaired: boolean;
}

const derivedSql = (shopId: string) => sql`
  select distinct on (customer_id, channel, purpose)
         shop_id, customer_id, channel, purpose, action = 'grant' as granted, id as event_id, hash as event_hash,
         occurred_at as updated_at
    from consent_events
   where shop_id = ${shopId}
   order by customer_id, channel, purpose, occurred_at desc, seq desc`;

export async function rebuildConsentState(tx: ShopTx, options: { repair?: boolean } = {}): Promise<ConsentStateRebuild> {
  const shopId = await currentShopId(tx);
  const rows = await queryRows<{
    customer_id: string; channel: string; purpose: string;
    s_granted: boolean | null; s_event: string | null; d_granted: boolean | null; d_event: string | null;
    derived: number; stored: number;
  }>(
    tx,
    sql`with d as (${derivedSql(shopId)}),
             s as (select * from consent_state where shop_id = ${shopId}),
             diff as (
               select coalesce(d.customer_id, s.customer_id)::text as customer_id,
                      coalesce(d.channel, s.channel)::text as channel,
                      coalesce(d.purpose, s.purpose)::text as purpose,
                      s.granted as s_granted, s.event_id::text as s_event, d.granted as d_granted, d.event_id::text as d_event
                 from d full join s using (customer_id, channel, purpose)
                where d.event_id is distinct from s.event_id or d.granted is distinct from s.granted
                   or d.event_hash is distinct from s.event_hash or d.updated_at is distinct from s.updated_at
                order by 1, 2, 3
                limit 100)
        select diff.*, (select count(*)::int from d) as derived, (select count(*)::int from s) as stored
          from (select 1) one left join diff on true`,
  );
  const derived = rows[0]?.derived ?? 0;
  const stored = rows[0]?.stored ?? 0;
  const differences: ConsentStateDifference[] = rows
    .filter((r) => r.customer_id !== null)
    .map((r) => ({
      customerId: r.customer_id,
      channel: r.channel,
      purpose: r.purpose,
      stored: r.s_event === null ? null : { granted: r.s_granted!, eventId: r.s_event },
      derived: r.d_event === null ? null : { granted: r.d_granted!, eventId: r.d_event },
    }));

  const matches = differences.length === 0;
  if (options.repair && !matches) {
    await tx.execute(sql`delete from consent_state where shop_id = ${shopId}`);
    await tx.execute(sql`
      insert into consent_state (shop_id, customer_id, channel, purpose, granted, event_id, event_hash, updated_at)
      select shop_id, customer_id, channel, purpose, granted, event_id, event_hash, updated_at from (${derivedSql(shopId)}) d`);
  }
  return { matches, derived, stored, differences, repaired: Boolean(options.repair && !matches) };
}
