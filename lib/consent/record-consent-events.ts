// Appends events to a shop's consent ledger. Writers of one shop are serialised by a transaction-
// scoped advisory lock, so each new row continues the chain from the true head; the database
// trigger refuses any row that does not (see drizzle/0001_tenancy_rls_and_ledger.sql).
import { desc, eq, sql } from "drizzle-orm";
import { consentEvents } from "../db/schema";
import { currentShopId, type ShopTx } from "../db/tenant";
import { AppError } from "../errors";
import { hashConsentEvent } from "./hash-consent-event";
import { ConsentEventInputSchema, type ConsentEventInput } from "./schemas";

export type ConsentEventRow = typeof consentEvents.$inferSelect;

const BATCH = 500;

export async function recordConsentEvents(
  tx: ShopTx,
  inputs: ConsentEventInput[],
  options: { now?: Date } = {},
): Promise<ConsentEventRow[]> {
  if (inputs.length === 0) return [];
  const now = options.now ?? new Date();
  const parsed = inputs.map((input, i) => {
    const result = ConsentEventInputSchema.safeParse(input);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new AppError("invalid_input", `Consent event ${i + 1}: ${issue?.path.join(".")}: ${issue?.message}`);
    }
    if (result.data.occurredAt.getTime() > now.getTime() + 5 * 60_000) {
      throw new AppError("invalid_input", `Consent event ${i + 1}: occurredAt is in the future`);
    }
    return result.data;
  });

  const shopId = await currentShopId(tx);
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`consent:${shopId}`}, 0))`);
  const head = await ledgerHead(tx, shopId);

  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? null;
  const rows = parsed.map((e) => {
    seq += 1;
    const row = { shopId, seq, ...e, recordedAt: now, prevHash };
    const hash = hashConsentEvent(row);
    prevHash = hash;
    return { ...row, hash };
  });

  const stored: ConsentEventRow[] = [];
  for (let i = 0; i < rows.length; i += BATCH) {
    stored.push(...(await tx.insert(consentEvents).values(rows.slice(i, i + BATCH)).returning()));
  }
  return stored;
}

/** The last event of a shop's chain (its seq and hash), or null for an empty ledger. */
export async function ledgerHead(tx: ShopTx, shopId: string): Promise<{ seq: number; hash: string } | null> {
  const [head] = await tx
    .select({ seq: consentEvents.seq, hash: consentEvents.hash })
    .from(consentEvents)
    .where(eq(consentEvents.shopId, shopId))
    .orderBy(desc(consentEvents.seq))
    .limit(1);
  return head ?? null;
}
