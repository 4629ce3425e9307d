// Finds the customers that import rows refer to (by the platform's id, else by email) and, where
// allowed, creates the ones not known yet. Answers are cached for the rest of the import.
import { randomUUID } from "node:crypto";
import { inArray, or } from "drizzle-orm";
import { customers } from "../db/schema";
import type { ShopTx } from "../db/tenant";
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

function cache(ctx: ImportContext): Map<string, string> {
  let m = ctx.memo.get("customers") as Map<string, string> | undefined;
  if (!m) ctx.memo.set("customers", (m = new Map()));
  return m;
}

/** Customer id per ref key; unknown refs are created when `create` is set, else left out. */
export async function resolveCustomers(tx: ShopTx, refs: CustomerRef[], ctx: ImportContext, create: boolean): Promise<Map<string, string>> {
  const known = cache(ctx);
  const missing = new Map<string, CustomerRef>();
  for (const r of refs) if (!known.has(refKey(r))) missing.set(refKey(r), r);
  if (missing.size > 0) {
    const ids = [...missing.values()].flatMap((r) => (r.externalId ? [r.externalId] : []));
    const emails = [...missing.values()].flatMap((r) => (!r.externalId && r.email ? [r.email] : []));
    const found = await tx
      .select({ id: customers.id, externalId: customers.externalId, email: customers.email })
      .from(customers)
      .where(or(ids.length ? inArray(customers.externalId, ids) : undefined, emails.length ? inArray(customers.email, emails) : undefined));
    for (const c of found) {
      if (c.externalId) known.set(`x:${c.externalId}`, c.id);
      if (c.email && !known.has(`e:${c.email}`)) known.set(`e:${c.email}`, c.id);
    }
    if (create) {
      const fresh = [...missing.entries()].filter(([key]) => !known.has(key));
      // An email already held by another customer is not copied onto a new one.
      const takenEmails = new Set(found.flatMap((c) => (c.email ? [c.email] : [])));
      const rows = fresh.map(([key, r]) => {
        const id = randomUUID();
        known.set(key, id);
        const email = r.email && !takenEmails.has(r.email) ? r.email : null;
        if (email) takenEmails.add(email);
        return { id, shopId: ctx.shopId, externalId: r.externalId, email, firstName: r.firstName ?? null, lastName: r.lastName ?? null, createdAt: ctx.now };
      });
      for (let i = 0; i < rows.length; i += 1000) await tx.insert(customers).values(rows.slice(i, i + 1000));
    }
  }
  const answer = new Map<string, string>();
  for (const r of refs) {
    const id = known.get(refKey(r));
    if (id) answer.set(refKey(r), id);
  }
  return answer;
}
