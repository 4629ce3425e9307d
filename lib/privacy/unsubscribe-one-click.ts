// RFC 8058 one-click unsubscribe: withdraws marketing on the link's channel. However often and
// however concurrently it is posted, it writes one ledger event: the ledger's lock orders the
// requests and each later one finds marketing already withdrawn.
import { and, eq } from "drizzle-orm";
import { currentPolicy } from "../consent/policies";
import { recordConsentEvents } from "../consent/record-consent-events";
import type { Channel } from "../consent/schemas";
import { consentState, customers, shops } from "../db/schema";
import type { ShopTx } from "../db/tenant";
import { notFound } from "../errors";
import { lockConsentLedger } from "./consent-lock";

export async function unsubscribeOneClick(
  tx: ShopTx,
  input: { customerId: string; channel: Channel; sendId: string | null },
  context: { requestId?: string | null; now?: Date } = {},
): Promise<{ changed: boolean }> {
  const now = context.now ?? new Date();
  await lockConsentLedger(tx);
  const [customer] = await tx.select({ id: customers.id }).from(customers).where(eq(customers.id, input.customerId)).limit(1);
  if (!customer) throw notFound("Customer");
  const [current] = await tx
    .select({ granted: consentState.granted })
    .from(consentState)
    .where(and(eq(consentState.customerId, input.customerId), eq(consentState.channel, input.channel), eq(consentState.purpose, "marketing")));
  if (current && !current.granted) return { changed: false };
  const policy = await currentPolicy(tx, now);
  await recordConsentEvents(
    tx,
    [
      {
        customerId: input.customerId, channel: input.channel, purpose: "marketing", action: "withdraw",
        method: "one_click_unsubscribe", actorType: "customer", page: "/u",
        policyVersionId: policy?.id ?? null, policySha256: policy?.sha256 ?? null,
        requestId: context.requestId ?? null, occurredAt: now, evidence: { sendId: input.sendId },
      },
    ],
    { now },
  );
  return { changed: true };
}

/** What the confirmation page needs: the shop's name and whether marketing on the channel is already off. */
export async function findUnsubscribeTarget(tx: ShopTx, customerId: string, channel: Channel): Promise<{ shopName: string; alreadyOff: boolean }> {
  const [customer] = await tx.select({ id: customers.id }).from(customers).where(eq(customers.id, customerId)).limit(1);
  if (!customer) throw notFound("Customer");
  const [shop] = await tx.select({ name: shops.name }).from(shops).limit(1);
  const [current] = await tx
    .select({ granted: consentState.granted })
    .from(consentState)
    .where(and(eq(consentState.customerId, customerId), eq(consentState.channel, channel), eq(consentState.purpose, "marketing")));
  return { shopName: shop?.name ?? "The shop", alreadyOff: current ? !current.granted : false };
}
