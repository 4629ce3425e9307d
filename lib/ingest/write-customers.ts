// Customers: keyed by the platform's id, or by email when there is none. A blank cell leaves the
// stored value alone. Consent comes only from an explicit evidence column ("Accepts Email
// Marketing" = yes): a grant recorded with method import, the file's SHA-256 and the row; a "no"
// withdraws a consent the shop holds, never the other way round.
import { and, eq, inArray, or } from "drizzle-orm";
import { consentState, customers } from "../db/schema";
import type { ShopTx } from "../db/tenant";
import { recordConsentEvents } from "../consent/record-consent-events";
import type { ConsentEventInput } from "../consent/schemas";
import type { ImportContext, KindWriter } from "./kind-writer";
import { parseCustomerRow, type CustomerRow } from "./parse-customer-row";
import type { RowOutcome } from "./schemas";

const seenKeys = (ctx: ImportContext) => {
  let m = ctx.memo.get("seen") as Map<string, number> | undefined;
  if (!m) ctx.memo.set("seen", (m = new Map()));
  return m;
};

export const customersWriter: KindWriter<CustomerRow> = {
  parse: parseCustomerRow,

  async write(tx: ShopTx, rows, ctx) {
    const outcomes = new Map<number, RowOutcome>();
    const seen = seenKeys(ctx);
    const live: typeof rows = [];
    for (const r of rows) {
      const keys = [r.value.externalId && `x:${r.value.externalId}`, r.value.email && `e:${r.value.email}`].filter(Boolean) as string[];
      const dup = keys.map((k) => seen.get(k)).find((row) => row !== undefined);
      if (dup !== undefined) {
        outcomes.set(r.row, { column: "(row)", error: `The same customer appears earlier in this file (row ${dup}); this row was not imported.` });
        continue;
      }
      for (const k of keys) seen.set(k, r.row);
      live.push(r);
    }

    const ids = live.flatMap((r) => (r.value.externalId ? [r.value.externalId] : []));
    const emails = live.flatMap((r) => (r.value.email ? [r.value.email] : []));
    const existing = ids.length + emails.length
      ? await tx.select().from(customers).where(or(ids.length ? inArray(customers.externalId, ids) : undefined, emails.length ? inArray(customers.email, emails) : undefined))
      : [];
    const byExternal = new Map(existing.filter((c) => c.externalId).map((c) => [c.externalId!, c]));
    const byEmail = new Map(existing.filter((c) => c.email).map((c) => [c.email!, c]));

    const inserts: (typeof customers.$inferInsert)[] = [];
    const consentWanted: { row: number; customerId: string; channel: "email" | "sms"; granted: boolean; column: string }[] = [];
    for (const { row, value: v } of live) {
      let match = v.externalId ? byExternal.get(v.externalId) : v.email ? byEmail.get(v.email) : undefined;
      if (!match && v.externalId && v.email) {
        const holder = byEmail.get(v.email);
        if (holder?.externalId && holder.externalId !== v.externalId) {
          outcomes.set(row, { column: ctx.columnOf("email"), error: `${v.email} already belongs to customer ${holder.externalId}.` });
          continue;
        }
        match = holder; // a customer known by email gets the platform's id
      }
      if (match && v.email && v.email !== match.email && byEmail.get(v.email) && byEmail.get(v.email)!.id !== match.id) {
        outcomes.set(row, { column: ctx.columnOf("email"), error: `${v.email} already belongs to another customer.` });
        continue;
      }
      const customerId = match?.id ?? crypto.randomUUID();
      if (v.acceptsEmail !== null) consentWanted.push({ row, customerId, channel: "email", granted: v.acceptsEmail, column: ctx.columnOf("acceptsEmailMarketing") });
      if (v.acceptsSms !== null) consentWanted.push({ row, customerId, channel: "sms", granted: v.acceptsSms, column: ctx.columnOf("acceptsSmsMarketing") });
      const fields = {
        externalId: v.externalId, email: v.email, phone: v.phone, firstName: v.firstName, lastName: v.lastName, timeZone: v.timeZone, locale: v.locale,
      };
      if (!match) {
        inserts.push({ id: customerId, shopId: ctx.shopId, ...fields, createdAt: ctx.now, updatedAt: ctx.now });
        if (v.externalId) byExternal.set(v.externalId, { ...fields, id: customerId } as never);
        if (v.email) byEmail.set(v.email, { ...fields, id: customerId } as never);
        outcomes.set(row, "imported");
        continue;
      }
      // Only what the file says changes what is stored; blank cells keep the stored value.
      const changes = Object.fromEntries(
        Object.entries(fields).filter(([k, val]) => val !== null && val !== match[k as keyof typeof match]),
      );
      if (Object.keys(changes).length > 0) {
        await tx.update(customers).set({ ...changes, updatedAt: ctx.now }).where(eq(customers.id, match.id));
        outcomes.set(row, "updated");
      } else outcomes.set(row, "unchanged");
    }
    for (let i = 0; i < inserts.length; i += 1000) await tx.insert(customers).values(inserts.slice(i, i + 1000));

    if (consentWanted.length > 0) {
      const current = await tx
        .select({ customerId: consentState.customerId, channel: consentState.channel, granted: consentState.granted })
        .from(consentState)
        .where(and(inArray(consentState.customerId, [...new Set(consentWanted.map((c) => c.customerId))]), eq(consentState.purpose, "marketing")));
      const held = new Set(current.filter((c) => c.granted).map((c) => `${c.customerId}/${c.channel}`));
      const events: ConsentEventInput[] = [];
      for (const w of consentWanted) {
        const has = held.has(`${w.customerId}/${w.channel}`);
        if (w.granted === has) continue;
        events.push({
          customerId: w.customerId, channel: w.channel, purpose: "marketing", action: w.granted ? "grant" : "withdraw",
          method: "import", actorType: "import", occurredAt: ctx.now,
          evidence: { fileSha256: ctx.fileSha256, fileName: ctx.fileName, row: w.row, column: w.column },
        });
        if (outcomes.get(w.row) === "unchanged") outcomes.set(w.row, "updated");
      }
      await recordConsentEvents(tx, events, { now: ctx.now });
    }
    return outcomes;
  },
};
