import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { addCustomer, makeShop } from "../../test/factories";
import type { Database } from "../db/client";
import { consentState } from "../db/schema";
import { withShop } from "../db/tenant";
import { publishPolicy } from "./policies";
import { recordConsentEvents } from "./record-consent-events";
import { verifyLedger } from "./verify-ledger";
import { withdrawOnBehalf } from "./withdraw-on-behalf";

describe.each(engines())("withdrawal on a customer's behalf on $name", (engine) => {
  let database: Database;
  let shopId: string;
  let customerId: string;
  const owner = "0190a4b2-0000-7000-8000-000000000001";

  beforeAll(async () => {
    database = await engine.open();
    shopId = (await makeShop(database)).shopId;
    customerId = (await addCustomer(database, shopId)).id;
    await withShop(shopId, (tx) => publishPolicy(tx, { version: "v1", text: "We write only when you asked us to, by the channel you chose.", effectiveAt: "2026-01-01" }, { now: new Date("2026-01-01") }), database);
    const grant = (channel: "email" | "sms", purpose: "marketing" | "surveys") => ({
      customerId, channel, purpose, action: "grant" as const, method: "checkout" as const, actorType: "customer" as const, evidence: { form: "checkout" }, occurredAt: new Date("2026-02-01T10:00:00Z"),
    });
    await withShop(shopId, (tx) => recordConsentEvents(tx, [grant("email", "marketing"), grant("sms", "marketing"), grant("email", "surveys")]), database);
  });
  afterAll(() => database?.close());

  it("withdraws what is granted for the channel asked, with the note, the owner and the policy in effect, once", async () => {
    const events = await withShop(shopId, (tx) => withdrawOnBehalf(tx, { customerId, channel: "email", purpose: "all", note: "Asked at the till" }, { userId: owner, requestId: "req-1", now: new Date("2026-03-01T09:00:00Z") }), database);
    expect(events.map((e) => [e.channel, e.purpose, e.action, e.method, e.actorType, e.actorId]).sort()).toEqual([
      ["email", "marketing", "withdraw", "owner_on_behalf", "owner", owner],
      ["email", "surveys", "withdraw", "owner_on_behalf", "owner", owner],
    ]);
    expect(events[0]).toMatchObject({ evidence: { note: "Asked at the till" }, requestId: "req-1" });
    expect(events[0]!.policySha256).toMatch(/^[0-9a-f]{64}$/);
    const state = await withShop(shopId, (tx) => tx.select().from(consentState), database);
    expect(state.filter((s) => s.granted).map((s) => s.channel)).toEqual(["sms"]);
    // Again: nothing left to withdraw on email, nothing recorded.
    expect(await withShop(shopId, (tx) => withdrawOnBehalf(tx, { customerId, channel: "email", purpose: "all", note: "Asked at the till" }, { userId: owner }), database)).toEqual([]);
    expect(await withShop(shopId, (tx) => verifyLedger(tx), database)).toMatchObject({ ok: true, events: 5 });
  });

  it("needs a note, and cannot grant", async () => {
    await expect(withShop(shopId, (tx) => withdrawOnBehalf(tx, { customerId, channel: "sms", purpose: "marketing", note: " " }, { userId: owner }), database)).rejects.toMatchObject({
      code: "invalid_input",
      fields: [{ field: "note" }],
    });
    await expect(
      withShop(shopId, (tx) => recordConsentEvents(tx, [{ customerId, channel: "sms", purpose: "surveys", action: "grant", method: "owner_on_behalf", actorType: "owner", evidence: { note: "said yes" }, occurredAt: new Date() } as never]), database),
    ).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("answers not found for another shop's customer", async () => {
    const other = await makeShop(database);
    await expect(withShop(other.shopId, (tx) => withdrawOnBehalf(tx, { customerId, channel: "all", purpose: "all", note: "Asked by phone" }, { userId: owner }), database)).rejects.toMatchObject({ code: "not_found" });
  });
});
