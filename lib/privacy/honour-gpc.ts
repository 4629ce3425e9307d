// Global Privacy Control: a browser that sends `Sec-GPC: 1` asks every site not to sell or share
// the person's data and not to use it beyond what they came for. On the preference page that is
// honoured as a withdrawal of personalization on every channel (Regulars shares nothing with
// anyone, so there is no sharing to stop), recorded once with method gpc: the first visit with
// the signal writes the events, later visits find them and write nothing.
import { and, eq } from "drizzle-orm";
import { currentPolicy } from "../consent/policies";
import { recordConsentEvents } from "../consent/record-consent-events";
import { ChannelSchema } from "../consent/schemas";
import { consentEvents, customers } from "../db/schema";
import type { ShopTx } from "../db/tenant";
import { lockConsentLedger } from "./consent-lock";

export async function honourGpc(tx: ShopTx, customerId: string, context: { requestId?: string | null; now?: Date } = {}): Promise<{ recorded: boolean }> {
  const now = context.now ?? new Date();
  const recordedBefore = async () => {
    const [row] = await tx
      .select({ id: consentEvents.id })
      .from(consentEvents)
      .where(and(eq(consentEvents.customerId, customerId), eq(consentEvents.method, "gpc")))
      .limit(1);
    return row !== undefined;
  };
  // Every later visit stops here, without waiting for the ledger's lock; the first checks again under it.
  if (await recordedBefore()) return { recorded: false };
  await lockConsentLedger(tx);
  const [customer] = await tx.select({ erasedAt: customers.erasedAt }).from(customers).where(eq(customers.id, customerId)).limit(1);
  if (!customer || customer.erasedAt || (await recordedBefore())) return { recorded: false };
  const policy = await currentPolicy(tx, now);
  await recordConsentEvents(
    tx,
    ChannelSchema.options.map((channel) => ({
      customerId, channel, purpose: "personalization" as const, action: "withdraw" as const,
      method: "gpc" as const, gpc: true as const, actorType: "customer" as const, page: "/p",
      policyVersionId: policy?.id ?? null, policySha256: policy?.sha256 ?? null,
      requestId: context.requestId ?? null, occurredAt: now, evidence: {},
    })),
    { now },
  );
  return { recorded: true };
}
