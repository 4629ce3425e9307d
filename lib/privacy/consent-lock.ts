// The consent ledger's per-shop writer lock (the one lib/consent/record-consent-events.ts takes),
// taken early by use cases that read the current state and then decide whether to write: two
// concurrent requests then decide one after the other, and the second sees the first's event.
import { sql } from "drizzle-orm";
import { currentShopId, type ShopTx } from "../db/tenant";

export async function lockConsentLedger(tx: ShopTx): Promise<string> {
  const shopId = await currentShopId(tx);
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`consent:${shopId}`}, 0))`);
  return shopId;
}
