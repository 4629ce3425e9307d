import { asc, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { addCustomer, makeShop } from "../../test/factories";
import { queryRows, type Database } from "../db/client";
import { consentEvents, consentState } from "../db/schema";
import { withShop } from "../db/tenant";
import { hashConsentEvent } from "./hash-consent-event";
import { recordConsentEvents } from "./record-consent-events";

describe.each(engines())("consent ledger on $name", (engine) => {
  let database: Database;
  let shopId: string;
  let customerId: string;

  beforeAll(async () => {
    database = await engine.open();
    shopId = (await makeShop(database)).shopId;
    customerId = (await addCustomer(database, shopId)).id;
  });
  afterAll(() => database?.close());

  const grant = (at: string) => ({
    customerId, channel: "email" as const, purpose: "marketing" as const, action: "grant" as const,
    method: "checkout" as const, actorType: "customer" as const, evidence: { form: "checkout" }, occurredAt: new Date(at),
  });

  it("chains each row to the one before and derives the current state from the latest event", async () => {
    await withShop(shopId, (tx) => recordConsentEvents(tx, [grant("2026-01-05T10:00:00Z")]), database);
    await withShop(
      shopId,
      (tx) =>
        recordConsentEvents(tx, [
          { customerId, channel: "email", purpose: "marketing", action: "withdraw", method: "one_click_unsubscribe", actorType: "customer", evidence: { sendId: null }, occurredAt: new Date("2026-02-01T08:00:00Z") },
        ]),
      database,
    );
    const rows = await withShop(shopId, (tx) => tx.select().from(consentEvents).orderBy(asc(consentEvents.seq)), database);
    expect(rows.map((r) => [r.seq, r.action])).toEqual([[1, "grant"], [2, "withdraw"]]);
    expect(rows[0]?.prevHash).toBeNull();
    expect(rows[1]?.prevHash).toBe(rows[0]?.hash);
    for (const row of rows) expect(hashConsentEvent(row)).toBe(row.hash);
    const state = await withShop(shopId, (tx) => tx.select().from(consentState), database);
    expect(state).toMatchObject([{ channel: "email", purpose: "marketing", granted: false, eventId: rows[1]?.id }]);
  });

  it("keeps the later decision when an older event arrives afterwards", async () => {
    await withShop(shopId, (tx) => recordConsentEvents(tx, [grant("2025-12-01T10:00:00Z")]), database);
    const [state] = await withShop(shopId, (tx) => tx.select().from(consentState), database);
    expect(state?.granted).toBe(false);
  });

  it("refuses to change or delete a ledger row, even for a superuser", async () => {
    const refusal = (q: ReturnType<typeof sql>) =>
      database.db.execute(q).then(
        () => "allowed",
        (e: Error) => String((e.cause as Error | undefined)?.message ?? e.message),
      );
    expect(await refusal(sql`update consent_events set action = 'grant'`)).toBe("consent_events is append-only: UPDATE is refused");
    expect(await refusal(sql`delete from consent_events`)).toBe("consent_events is append-only: DELETE is refused");
    expect(await refusal(sql`truncate consent_events cascade`)).toBe("consent_events is append-only: TRUNCATE is refused");
    const [n] = await withShop(shopId, (tx) => queryRows<{ n: number }>(tx, sql`select count(*)::int as n from consent_events`), database);
    expect(n?.n).toBe(3);
  });

  it("refuses a row that does not continue the chain", async () => {
    const [last] = await withShop(shopId, (tx) => tx.select().from(consentEvents).orderBy(asc(consentEvents.seq)), database).then((r) => r.slice(-1));
    const forged = { ...last!, id: undefined, seq: last!.seq + 1, prevHash: "0".repeat(64) };
    await expect(withShop(shopId, (tx) => tx.insert(consentEvents).values(forged), database)).rejects.toThrow();
  });

  it("refuses events an owner may not record, and events from the future", async () => {
    await expect(
      withShop(shopId, (tx) => recordConsentEvents(tx, [{ ...grant("2026-01-01T00:00:00Z"), method: "owner_on_behalf", actorType: "owner", evidence: { note: "said yes" } } as never]), database),
    ).rejects.toMatchObject({ code: "invalid_input" });
    await expect(
      withShop(shopId, (tx) => recordConsentEvents(tx, [grant(new Date(Date.now() + 86_400_000).toISOString())]), database),
    ).rejects.toMatchObject({ code: "invalid_input", message: expect.stringContaining("future") });
  });
});
