// Writes segment members set-based: one statement replaces the members of a set of segments with
// the rows of a query. Customers who left are deleted, newcomers inserted, and a member whose
// reason parameters changed is updated; a member who stays with the same reason is not written at
// all, so a refresh of a shop that changed little writes little.
import { sql, type SQL } from "drizzle-orm";
import { queryRows } from "../db/client";
import type { ShopTx } from "../db/tenant";

/** Rows of (customer_id, reason_params) as one segment's members. */
export const membersOf = (segmentId: string, members: SQL) =>
  sql`select ${segmentId}::uuid as segment_id, q.customer_id, q.reason_params from (${members}) q`;

/** No rows, for a segment that must be emptied. */
export const NO_MEMBERS = sql`select null::uuid as segment_id, null::uuid as customer_id, null::jsonb as reason_params where false`;

/**
 * `fresh` answers (segment_id, customer_id, reason_params), at most one row per segment and customer,
 * only for `segmentIds`. Answers each segment's size (segments without members are left out).
 */
export async function writeMembers(tx: ShopTx, shopId: string, segmentIds: readonly string[], fresh: SQL): Promise<Map<string, number>> {
  const ids = `{${segmentIds.join(",")}}`;
  // One comparison of the new members with the stored ones finds what to delete, update and insert;
  // the three writes see the table as it was before the statement, so they cannot collide. New rows
  // go in by customer: both indexes of the table then grow in order.
  const rows = await queryRows<{ segment_id: string; size: number }>(
    tx,
    sql`with fresh as materialized (${fresh}),
      diff as materialized (
        select coalesce(f.segment_id, m.segment_id) as segment_id, coalesce(f.customer_id, m.customer_id) as customer_id,
               f.reason_params, f.segment_id is not null as stays, m.segment_id is not null as was
          from fresh f
          full join (select segment_id, customer_id, reason_params from segment_members where segment_id = any(${ids}::uuid[])) m
            on m.segment_id = f.segment_id and m.customer_id = f.customer_id
         where f.segment_id is null or m.segment_id is null or f.reason_params is distinct from m.reason_params),
      gone as (
        delete from segment_members m using diff d
         where not d.stays and m.segment_id = d.segment_id and m.customer_id = d.customer_id),
      changed as (
        update segment_members m set reason_params = d.reason_params from diff d
         where d.stays and d.was and m.segment_id = d.segment_id and m.customer_id = d.customer_id),
      added as (
        insert into segment_members (shop_id, segment_id, customer_id, reason_params)
        select ${shopId}::uuid, d.segment_id, d.customer_id, d.reason_params from diff d
         where d.stays and not d.was
         order by d.customer_id, d.segment_id)
      select f.segment_id::text as segment_id, count(*)::int as size from fresh f group by f.segment_id`,
  );
  return new Map(rows.map((r) => [r.segment_id, r.size]));
}
