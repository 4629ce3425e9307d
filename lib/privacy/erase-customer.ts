// "Erase me": the customer's personal fields are removed and the row kept as a pseudonym, so the
// shop's orders still add up and the consent ledger — which holds ids and hashes, never an email —
// still proves what was agreed and when. Every consent still in force is withdrawn (so no campaign
// can pick them again) and queued messages are skipped at once, in the same transaction.
import { and, eq } from "drizzle-orm";
import { currentPolicy } from "../consent/policies";
import { recordConsentEvents } from "../consent/record-consent-events";
import type { ConsentEventInput } from "../consent/schemas";
import { consentState, customerAttributes, customerScores, customers, events, segmentMembers, sends, surveyResponses } from "../db/schema";
import { z } from "zod";
import type { ShopTx } from "../db/tenant";
import { notFound } from "../errors";
import { lockConsentLedger } from "./consent-lock";

export type ErasedBy = { by: "customer"; requestId?: string | null } | { by: "owner"; userId: string };

export async function eraseCustomer(tx: ShopTx, customerId: string, who: ErasedBy, options: { now?: Date } = {}) {
  if (!z.uuid().safeParse(customerId).success) throw notFound("Customer");
  const now = options.now ?? new Date();
  await lockConsentLedger(tx);
  const [customer] = await tx.select({ erasedAt: customers.erasedAt }).from(customers).where(eq(customers.id, customerId)).limit(1);
  if (!customer) throw notFound("Customer");
  if (customer.erasedAt) return { erasedAt: customer.erasedAt, withdrawn: 0, stoppedMessages: 0, alreadyErased: true };

  const granted = await tx
    .select({ channel: consentState.channel, purpose: consentState.purpose })
    .from(consentState)
    .where(and(eq(consentState.customerId, customerId), eq(consentState.granted, true)));
  const policy = await currentPolicy(tx, now);
  const common = { customerId, action: "withdraw" as const, occurredAt: now, policyVersionId: policy?.id ?? null, policySha256: policy?.sha256 ?? null };
  await recordConsentEvents(
    tx,
    granted.map(({ channel, purpose }): ConsentEventInput =>
      who.by === "customer"
        ? { ...common, channel, purpose, method: "preference_page", actorType: "customer", page: "/p", requestId: who.requestId ?? null, evidence: { erasure: true } }
        : { ...common, channel, purpose, method: "owner_on_behalf", actorType: "owner", actorId: who.userId, evidence: { note: "Erased at the customer's request" } },
    ),
    { now },
  );
  const stopped = await tx
    .update(sends)
    .set({ status: "skipped", skipReason: "customer erased" })
    .where(and(eq(sends.customerId, customerId), eq(sends.status, "queued")))
    .returning({ id: sends.id });
  await tx.delete(customerAttributes).where(eq(customerAttributes.customerId, customerId));
  await tx.delete(events).where(eq(events.customerId, customerId));
  await tx.delete(segmentMembers).where(eq(segmentMembers.customerId, customerId));
  await tx.delete(customerScores).where(eq(customerScores.customerId, customerId));
  // Survey answers keep counting, but no longer name the customer (nor the message that would lead back to them).
  await tx.update(surveyResponses).set({ comment: null, customerId: null, sendId: null }).where(eq(surveyResponses.customerId, customerId));
  await tx
    .update(customers)
    .set({ email: null, phone: null, firstName: null, lastName: null, externalId: null, timeZone: null, locale: null, contactBudgetPerWeek: null, erasedAt: now, updatedAt: now })
    .where(eq(customers.id, customerId));
  return { erasedAt: now, withdrawn: granted.length, stoppedMessages: stopped.length, alreadyErased: false };
}
