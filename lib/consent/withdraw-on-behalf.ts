// An owner withdraws consent on a customer's behalf — the customer asked in the shop, by phone or by
// letter. Owners can only withdraw, never grant (a grant must come from the customer), and must
// say why in a note that goes into the ledger. Withdrawing what is not granted records nothing, so
// pressing the button twice leaves one event.
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { consentState, customers } from "../db/schema";
import type { ShopTx } from "../db/tenant";
import { AppError, notFound } from "../errors";
import { fieldErrors } from "../shops/schemas";
import { currentPolicy } from "./policies";
import { recordConsentEvents, type ConsentEventRow } from "./record-consent-events";
import { ChannelSchema, PurposeSchema } from "./schemas";

export const WithdrawOnBehalfSchema = z.object({
  customerId: z.uuid("This customer is not known."),
  /** "all" withdraws every channel (or purpose) currently granted. */
  channel: z.union([z.literal("all"), ChannelSchema], "Choose a channel, or all."),
  purpose: z.union([z.literal("all"), PurposeSchema], "Choose a purpose, or all."),
  note: z.string().trim().min(3, "Say how the customer asked (e.g. “asked at the till on 3 May”).").max(500, "Keep the note under 500 characters."),
});
export type WithdrawOnBehalfInput = z.input<typeof WithdrawOnBehalfSchema>;

export async function withdrawOnBehalf(
  tx: ShopTx,
  input: Partial<Record<keyof WithdrawOnBehalfInput, unknown>>,
  actor: { userId: string; requestId?: string | null; now?: Date },
): Promise<ConsentEventRow[]> {
  const parsed = WithdrawOnBehalfSchema.safeParse(input);
  if (!parsed.success) throw new AppError("invalid_input", "Nothing was withdrawn.", { fields: fieldErrors(parsed.error) });
  const { customerId, channel, purpose, note } = parsed.data;
  const [customer] = await tx.select({ id: customers.id }).from(customers).where(eq(customers.id, customerId)).limit(1);
  if (!customer) throw notFound("Customer");

  const granted = await tx
    .select({ channel: consentState.channel, purpose: consentState.purpose })
    .from(consentState)
    .where(and(eq(consentState.customerId, customerId), eq(consentState.granted, true)));
  const targets = granted.filter((g) => (channel === "all" || g.channel === channel) && (purpose === "all" || g.purpose === purpose));
  if (targets.length === 0) return [];

  const now = actor.now ?? new Date();
  const policy = await currentPolicy(tx, now);
  return recordConsentEvents(
    tx,
    targets.map((t) => ({
      customerId,
      channel: t.channel,
      purpose: t.purpose,
      action: "withdraw" as const,
      method: "owner_on_behalf" as const,
      actorType: "owner" as const,
      actorId: actor.userId,
      requestId: actor.requestId ?? null,
      page: "/customers/[id]",
      policyVersionId: policy?.id ?? null,
      policySha256: policy?.sha256 ?? null,
      evidence: { note },
      occurredAt: now,
    })),
    { now },
  );
}
