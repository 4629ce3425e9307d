// One choice on the preference page: grant or withdraw one channel × purpose. Each change is one
// ledger event (method preference_page) under the policy version the page showed; choosing what is
// already in force records nothing, so a form sent twice changes nothing twice.
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { findPolicy } from "../consent/policies";
import { recordConsentEvents } from "../consent/record-consent-events";
import { ChannelSchema, ConsentActionSchema, PurposeSchema } from "../consent/schemas";
import { consentState, customers } from "../db/schema";
import type { ShopTx } from "../db/tenant";
import { AppError, notFound } from "../errors";
import { lockConsentLedger } from "./consent-lock";

export const ConsentChoiceSchema = z.object({
  channel: ChannelSchema,
  purpose: PurposeSchema,
  action: ConsentActionSchema,
  /** The policy version the page showed; empty when the shop has published none. */
  policyVersionId: z.union([z.uuid(), z.literal("").transform(() => null)]).nullable().default(null),
});
export type ConsentChoiceInput = z.input<typeof ConsentChoiceSchema>;

export async function changeConsentChoice(
  tx: ShopTx,
  customerId: string,
  input: ConsentChoiceInput,
  context: { gpc?: boolean; requestId?: string | null; now?: Date } = {},
): Promise<{ changed: boolean }> {
  const parsed = ConsentChoiceSchema.safeParse(input);
  if (!parsed.success) throw new AppError("invalid_input", "Choose a channel, a purpose and whether to turn it on or off.");
  const choice = parsed.data;
  const now = context.now ?? new Date();
  await lockConsentLedger(tx);
  const [customer] = await tx.select({ erasedAt: customers.erasedAt }).from(customers).where(eq(customers.id, customerId)).limit(1);
  if (!customer || customer.erasedAt) throw notFound("Customer");
  const policy = choice.policyVersionId ? await findPolicy(tx, choice.policyVersionId) : null;
  if (choice.policyVersionId && !policy) throw new AppError("invalid_input", "The policy this page showed is not known; reload the page and choose again.");

  const [current] = await tx
    .select({ granted: consentState.granted })
    .from(consentState)
    .where(and(eq(consentState.customerId, customerId), eq(consentState.channel, choice.channel), eq(consentState.purpose, choice.purpose)));
  const grantedNow = current?.granted ?? false;
  // A "no" without any decision before is still recorded: the customer's own no is worth keeping.
  if (current && (choice.action === "grant") === grantedNow) return { changed: false };
  await recordConsentEvents(
    tx,
    [
      {
        customerId, channel: choice.channel, purpose: choice.purpose, action: choice.action,
        method: "preference_page", actorType: "customer", page: "/p",
        policyVersionId: policy?.id ?? null, policySha256: policy?.sha256 ?? null,
        gpc: context.gpc ?? false, requestId: context.requestId ?? null, occurredAt: now, evidence: {},
      },
    ],
    { now },
  );
  return { changed: true };
}
