// A check of the consent ledger is worth remembering: the Overview shows when the chain was last
// found intact (or broken, and where), and how many events were written after that check, so the
// owner knows whether "intact" still covers everything. Verifying walks the whole chain, too slow
// for every page view on a large shop; reading the last check is one row.
import { desc } from "drizzle-orm";
import { ledgerChecks } from "../db/schema";
import { currentShopId, type ShopTx } from "../db/tenant";
import { getLedgerHead, verifyLedger, type Checkpoint, type LedgerVerification } from "./verify-ledger";

export type LedgerCheckSource = "page" | "cli";

/** Verifies the chain and records the outcome in the same transaction. */
export async function checkLedger(tx: ShopTx, options: { checkpoint?: Checkpoint | null; source: LedgerCheckSource }): Promise<LedgerVerification> {
  const result = await verifyLedger(tx, { checkpoint: options.checkpoint ?? null });
  await tx.insert(ledgerChecks).values({
    shopId: await currentShopId(tx),
    ok: result.ok,
    events: result.events,
    headSeq: result.headSeq,
    firstBadSeq: result.firstBadSeq,
    reason: result.reason,
    source: options.source,
  });
  return result;
}

export interface LedgerStatus {
  /** The ledger's last event number now (0: no events yet). */
  headSeq: number;
  /** The most recent check, or null when the chain was never checked. */
  lastCheck: { checkedAt: Date; ok: boolean; events: number; headSeq: number; firstBadSeq: number | null; reason: string } | null;
  /** Events written after the last check (all of them when there was none): not covered by it. */
  eventsSinceCheck: number;
}

export async function getLedgerStatus(tx: ShopTx): Promise<LedgerStatus> {
  const head = await getLedgerHead(tx);
  const [last] = await tx
    .select({ checkedAt: ledgerChecks.checkedAt, ok: ledgerChecks.ok, events: ledgerChecks.events, headSeq: ledgerChecks.headSeq, firstBadSeq: ledgerChecks.firstBadSeq, reason: ledgerChecks.reason })
    .from(ledgerChecks)
    .orderBy(desc(ledgerChecks.checkedAt))
    .limit(1);
  return { headSeq: head.seq, lastCheck: last ?? null, eventsSinceCheck: Math.max(0, head.seq - (last?.headSeq ?? 0)) };
}
