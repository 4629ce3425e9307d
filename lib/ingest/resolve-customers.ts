// Finds the customers that import rows refer to — by the platform's id, else by email, else by
// phone — and, where allowed, creates the ones not known yet. All refs of a batch are looked up in
// one query and the new customers inserted in one more; answers are remembered for the rest of
// the import, up to the import's memo limit (the oldest are forgotten first, and simply looked up
// again when met).
import { sql } from "drizzle-orm";
import { queryRows } from "../db/client";
import { insertRecords } from "../db/insert-records";
import type { ShopTx } from "../db/tenant";
import { uuid7 } from "../db/uuid7";
import { BoundedMemo } from "./bounded-memo";
import type { ImportContext } from "./kind-writer";

export interface CustomerRef {
  externalId: string | null;
  email: string | null;
  /** E.164; identifies the customer when there is neither an id nor an email. */
  phone?: string | null;
  firstName?: string | null;
  lastName?: string | null;
}

export const refKey = (r: CustomerRef) => (r.externalId ? `x:${r.externalId}` : r.email ? `e:${r.email}` : `p:${r.phone}`);

function cache(ctx: ImportContext): BoundedMemo<string> {
  let m = ctx.memo.get("customers") as BoundedMemo<string> | undefined;
  if (!m) ctx.memo.set("customers", (m = new BoundedMemo(ctx.memoLimit)));
  return m;
}

/** Customer id per ref key; unknown refs are created when `create` is set, else left out. */
export async function resolveCustomers(tx: ShopTx, refs: CustomerRef[], ctx: ImportContext, create: boolean): Promise<Map<string, string>> {
  const known = cache(ctx);
  const answer = new Map<string, string>();
  const missing = new Map<string, CustomerRef>();
  for (const r of refs) {
    const key = refKey(r);
    const id = known.get(key);
    if (id) answer.set(key, id);
    else if (!missing.has(key)) missing.set(key, r);
  }
  if (missing.size === 0) return answer;

  // Each ref with the customer it names, and whether its email already belongs to someone.
  const wanted = [...missing].map(([key, r]) => ({ key, external_id: r.externalId, email: r.email, phone: r.externalId || r.email ? null : (r.phone ?? null) }));
  const found = await queryRows<{ key: string; id: string | null; email_taken: boolean }>(
    tx,
    sql`select r.key,
               case when r.external_id is not null then (select c.id from customers c where c.shop_id = ${ctx.shopId} and c.external_id = r.external_id)
                    when r.email is not null then (select c.id from customers c where c.shop_id = ${ctx.shopId} and c.email = r.email)
                    -- several customers may share a phone: the earliest one is meant
                    else (select c.id from customers c where c.shop_id = ${ctx.shopId} and c.phone = r.phone order by c.created_at, c.id limit 1)
               end as id,
               -- a lookup per ref, by index: during a large import the planner's statistics lag far behind
               (select true from customers c where c.shop_id = ${ctx.shopId} and c.email = r.email limit 1) is not null as email_taken
          from json_to_recordset(${JSON.stringify(wanted)}::json) as r(key text, external_id text, email text, phone text)`,
  );
  const unknown: [string, CustomerRef][] = [];
  const takenEmails = new Set<string>();
  for (const f of found) {
    const r = missing.get(f.key)!;
    if (f.email_taken) takenEmails.add(r.email!);
    if (f.id) {
      answer.set(f.key, f.id);
      known.set(f.key, f.id);
    } else unknown.push([f.key, r]);
  }
  if (!create || unknown.length === 0) return answer;

  // New customers: those named by the platform's id first, so that a ref by email or phone alone in
  // the same batch finds the customer just created with that email or phone rather than a second one.
  unknown.sort(([, a], [, b]) => Number(!a.externalId) - Number(!b.externalId));
  const byEmail = new Map<string, string>();
  const byPhone = new Map<string, string>();
  const rows: Record<string, unknown>[] = [];
  for (const [key, r] of unknown) {
    let id = !r.externalId ? (r.email ? byEmail.get(r.email) : r.phone ? byPhone.get(r.phone) : undefined) : undefined;
    if (!id) {
      id = uuid7();
      // An email already held by another customer is not copied onto a new one.
      const email = r.email && !takenEmails.has(r.email) ? r.email : null;
      if (email) {
        takenEmails.add(email);
        byEmail.set(email, id);
      }
      if (r.phone && !byPhone.has(r.phone)) byPhone.set(r.phone, id);
      rows.push({
        shop_id: ctx.shopId, id, external_id: r.externalId, email, phone: r.phone ?? null, first_name: r.firstName ?? null, last_name: r.lastName ?? null,
        created_at: ctx.now, updated_at: ctx.now,
      });
    }
    answer.set(key, id);
    known.set(key, id);
  }
  await insertRecords(tx, "customers", rows);
  return answer;
}
