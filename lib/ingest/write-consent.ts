// Consent evidence from another system: each row becomes a ledger event with method import, the
// file's SHA-256 and the row number. The customer must already be known. A row whose decision is
// already in the ledger (same customer, channel, purpose, action and time) changes nothing.
import { and, inArray } from "drizzle-orm";
import { consentEvents } from "../db/schema";
import type { ShopTx } from "../db/tenant";
import { recordConsentEvents } from "../consent/record-consent-events";
import type { Channel, ConsentEventInput, Purpose } from "../consent/schemas";
import { cell, RowRejection, type Cells, type ImportContext, type KindWriter } from "./kind-writer";
import { parseDate } from "./parse-values";
import { refKey, resolveCustomers, type CustomerRef } from "./resolve-customers";
import type { RowOutcome } from "./schemas";
import { parseEmail } from "./parse-customer-row";

interface ConsentRow {
  customer: CustomerRef;
  channel: Channel;
  purpose: Purpose;
  action: "grant" | "withdraw";
  occurredAt: Date;
  source: string | null;
}

const CHANNELS: Record<string, Channel> = { email: "email", "e-mail": "email", mail: "email", sms: "sms", text: "sms", push: "push" };
const PURPOSES: Record<string, Purpose> = {
  marketing: "marketing", personalization: "personalization", personalisation: "personalization", surveys: "surveys", survey: "surveys", feedback: "surveys",
};
const ACTIONS: Record<string, "grant" | "withdraw"> = {
  grant: "grant", granted: "grant", yes: "grant", "opt-in": "grant", "opted in": "grant", subscribed: "grant", subscribe: "grant",
  withdraw: "withdraw", withdrawn: "withdraw", no: "withdraw", "opt-out": "withdraw", "opted out": "withdraw", unsubscribed: "withdraw", unsubscribe: "withdraw",
};

function oneOf<T>(ctx: ImportContext, cells: Cells, field: string, table: Record<string, T>, what: string): T {
  const v = cells[field]?.trim().toLowerCase() ?? "";
  const found = table[v];
  if (found === undefined) {
    throw new RowRejection(ctx.columnOf(field), v ? `"${v}" is not a ${what} (use ${[...new Set(Object.values(table))].join(", ")}).` : `The ${what} is empty.`);
  }
  return found;
}

export const consentWriter: KindWriter<ConsentRow> = {
  parse(cells, ctx) {
    const externalId = cells.customerId?.trim() || null;
    const email = parseEmail(ctx, cells, "customerEmail");
    if (!externalId && !email) throw new RowRejection("(row)", "The row needs a customer id or a customer email.");
    const occurredAt = cell(ctx, "occurredAt", cells, (t) => parseDate(t, ctx.settings));
    if (!occurredAt) throw new RowRejection(ctx.columnOf("occurredAt"), "The date the consent was given or withdrawn is empty.");
    if (occurredAt > ctx.now) throw new RowRejection(ctx.columnOf("occurredAt"), "The date is in the future.");
    return {
      customer: { externalId, email },
      channel: oneOf(ctx, cells, "channel", CHANNELS, "channel"),
      purpose: oneOf(ctx, cells, "purpose", PURPOSES, "purpose"),
      action: oneOf(ctx, cells, "action", ACTIONS, "consent action"),
      occurredAt,
      source: cells.source?.trim().slice(0, 200) || null,
    };
  },

  async write(tx: ShopTx, rows, ctx) {
    const outcomes = new Map<number, RowOutcome>();
    const ids = await resolveCustomers(tx, rows.map((r) => r.value.customer), ctx, false);
    const known = rows.filter((r) => ids.has(refKey(r.value.customer)));
    for (const r of rows) {
      if (!ids.has(refKey(r.value.customer))) {
        const who = r.value.customer.externalId ?? r.value.customer.email;
        outcomes.set(r.row, { column: ctx.columnOf(r.value.customer.externalId ? "customerId" : "customerEmail"), error: `No customer ${who} in this shop; import the customers first.` });
      }
    }
    const customerIds = [...new Set(known.map((r) => ids.get(refKey(r.value.customer))!))];
    const recorded = customerIds.length
      ? await tx
          .select({ customerId: consentEvents.customerId, channel: consentEvents.channel, purpose: consentEvents.purpose, action: consentEvents.action, occurredAt: consentEvents.occurredAt })
          .from(consentEvents)
          .where(and(inArray(consentEvents.customerId, customerIds)))
      : [];
    const key = (customerId: string, channel: string, purpose: string, action: string, at: Date) => `${customerId}|${channel}|${purpose}|${action}|${at.getTime()}`;
    const already = new Set(recorded.map((e) => key(e.customerId, e.channel, e.purpose, e.action, e.occurredAt)));
    const events: ConsentEventInput[] = [];
    for (const { row, value: v } of known) {
      const customerId = ids.get(refKey(v.customer))!;
      const k = key(customerId, v.channel, v.purpose, v.action, v.occurredAt);
      if (already.has(k)) {
        outcomes.set(row, "unchanged");
        continue;
      }
      already.add(k);
      events.push({
        customerId, channel: v.channel, purpose: v.purpose, action: v.action, method: "import", actorType: "import", occurredAt: v.occurredAt,
        evidence: { fileSha256: ctx.fileSha256, fileName: ctx.fileName, row, column: ctx.columnOf("action"), ...(v.source ? { source: v.source } : {}) },
      });
      outcomes.set(row, "imported");
    }
    await recordConsentEvents(tx, events, { now: ctx.now });
    return outcomes;
  },
};
