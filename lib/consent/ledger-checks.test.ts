import { asc, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { addCustomer, makeShop } from "../../test/factories";
import type { Database } from "../db/client";
import { consentEvents } from "../db/schema";
import { withShop } from "../db/tenant";
import { checkLedger, getLedgerStatus } from "./ledger-checks";
import { recordConsentEvents } from "./record-consent-events";

describe.each(engines())("the ledger's last check on $name", (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(() => database?.close());

  async function grant(shopId: string, customerId: string, n: number) {
    await withShop(shopId, (tx) =>
      recordConsentEvents(
        tx,
        Array.from({ length: n }, (_, i) => ({
          customerId,
          channel: "email" as const,
          purpose: "marketing" as const,
          action: i % 2 ? ("withdraw" as const) : ("grant" as const),
          method: "preference_page" as const,
          actorType: "customer" as const,
          page: "/p/token",
          requestId: `req-${i}`,
          occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000),
        })),
      ), database);
  }

  it("says the chain was never checked, then when it was found intact and how many events came after", async () => {
    const { shopId } = await makeShop(database);
    const customer = await addCustomer(database, shopId);
    await grant(shopId, customer.id, 5);
    expect(await withShop(shopId, getLedgerStatus, database)).toEqual({ headSeq: 5, lastCheck: null, eventsSinceCheck: 5 });

    const result = await withShop(shopId, (tx) => checkLedger(tx, { source: "page" }), database);
    expect(result.ok).toBe(true);
    const checked = await withShop(shopId, getLedgerStatus, database);
    expect(checked).toMatchObject({ headSeq: 5, eventsSinceCheck: 0, lastCheck: { ok: true, events: 5, headSeq: 5, firstBadSeq: null } });

    await grant(shopId, customer.id, 2);
    expect(await withShop(shopId, getLedgerStatus, database)).toMatchObject({ headSeq: 7, eventsSinceCheck: 2, lastCheck: { headSeq: 5 } });
    // Another shop's checks are not this shop's.
    const other = await makeShop(database);
    expect((await withShop(other.shopId, getLedgerStatus, database)).lastCheck).toBeNull();
  });

  it("keeps a broken chain's check with the first event that does not fit", async () => {
    const { shopId } = await makeShop(database);
    const customer = await addCustomer(database, shopId);
    await grant(shopId, customer.id, 4);
    const rows = await withShop(shopId, (tx) => tx.select().from(consentEvents).orderBy(asc(consentEvents.seq)), database);
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`update consent_events set request_id = 'forged' where id = ${rows[2]!.id}`);
    });
    await withShop(shopId, (tx) => checkLedger(tx, { source: "cli" }), database);
    const status = await withShop(shopId, getLedgerStatus, database);
    expect(status.lastCheck).toMatchObject({ ok: false, firstBadSeq: 3, events: 4 });
    expect(status.lastCheck!.reason).toMatch(/#?3/);
  });
});
