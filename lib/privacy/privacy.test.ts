import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { addCustomer, makeShop } from "../../test/factories";
import { publishPolicy } from "../consent/policies";
import { recordConsentEvents } from "../consent/record-consent-events";
import { hashConsentEvent } from "../consent/hash-consent-event";
import { verifyLedger } from "../consent/verify-ledger";
import type { Database } from "../db/client";
import { campaigns, consentEvents, consentState, customerAttributes, customers, sends } from "../db/schema";
import { withShop } from "../db/tenant";
import { takeRateLimit } from "../http/take-rate-limit";
import { changeConsentChoice } from "./change-consent-choice";
import { eraseCustomer } from "./erase-customer";
import { exportCustomer } from "./export-customer";
import { getPreferencePage } from "./get-preference-page";
import { honourGpc } from "./honour-gpc";
import { setContactBudget } from "./set-contact-budget";
import { unsubscribeOneClick } from "./unsubscribe-one-click";

describe.each(engines())("customer privacy pages on $name", (engine) => {
  let database: Database;
  let shopId: string;
  let otherShopId: string;
  let customerId: string;
  let policyId: string;
  let sendId: string;
  const run = <T>(fn: Parameters<typeof withShop<T>>[1], shop = shopId) => withShop(shop, fn, database);
  const eventsOf = (id: string) => run((tx) => tx.select().from(consentEvents).where(eq(consentEvents.customerId, id)).orderBy(asc(consentEvents.seq)));

  beforeAll(async () => {
    database = await engine.open();
    shopId = (await makeShop(database)).shopId;
    otherShopId = (await makeShop(database, "Other shop")).shopId;
    const customer = await addCustomer(database, shopId, { email: "ada@example.com", firstName: "Ada", orders: [{ totalMinor: 4200, placedAt: new Date("2026-03-01T10:00:00Z") }] });
    customerId = customer.id;
    await run(async (tx) => {
      policyId = (await publishPolicy(tx, { version: "v1", text: "We write to you only about what you chose.", effectiveAt: new Date() })).id;
      await tx.update(customers).set({ phone: "+4915112345678" }).where(eq(customers.id, customerId));
      await tx.insert(customerAttributes).values({ shopId, customerId, key: "favourite_bike", value: "gravel" });
      const [grant] = await recordConsentEvents(tx, [
        { customerId, channel: "email", purpose: "marketing", action: "grant", method: "checkout", actorType: "customer", evidence: { form: "checkout" }, occurredAt: new Date(Date.now() - 86_400_000) },
        { customerId, channel: "sms", purpose: "marketing", action: "grant", method: "checkout", actorType: "customer", evidence: { form: "checkout" }, occurredAt: new Date(Date.now() - 86_400_000) },
      ]);
      const [campaign] = await tx.insert(campaigns).values({ shopId, name: "Spring rides", channel: "email", purpose: "marketing", status: "done" }).returning();
      const [sent] = await tx
        .insert(sends)
        .values({ shopId, campaignId: campaign!.id, customerId, channel: "email", status: "sent", why: "You said yes to offers by email at checkout.", consentEventId: grant!.id, consentHash: grant!.hash, idempotencyKey: "k1", sentAt: new Date() })
        .returning();
      sendId = sent!.id;
      await tx.insert(sends).values({ shopId, campaignId: campaign!.id, customerId, channel: "email", status: "queued", why: "Queued", idempotencyKey: "k2" });
    });
  });
  afterAll(() => database?.close());

  it("shows what the shop holds, the message and why, and choices off unless granted", async () => {
    const page = await run((tx) => getPreferencePage(tx, customerId));
    if (page.erased) throw new Error("not erased");
    expect(page.customer).toMatchObject({ email: "ada@example.com", firstName: "Ada", phone: "+4915112345678" });
    expect(page.attributes).toEqual([{ label: "favourite_bike", value: "gravel" }]);
    expect(page.orders).toMatchObject({ all: 1, counted: 1 });
    expect(page.messages).toMatchObject([{ campaign: "Spring rides", why: "You said yes to offers by email at checkout." }]);
    expect(page.policy).toMatchObject({ id: policyId, version: "v1" });
    const granted = page.channels.flatMap((c) => c.choices).filter((c) => c.granted).map((c) => `${c.channel}/${c.purpose}`);
    expect(granted.sort()).toEqual(["email/marketing", "sms/marketing"]);
    expect(page.channels.map((c) => c.channel)).toEqual(["email", "sms"]);
  });

  it("records one preference_page event per change, none for a choice already in force", async () => {
    const before = (await eventsOf(customerId)).length;
    expect(await run((tx) => changeConsentChoice(tx, customerId, { channel: "email", purpose: "surveys", action: "grant", policyVersionId: policyId }))).toEqual({ changed: true });
    expect(await run((tx) => changeConsentChoice(tx, customerId, { channel: "email", purpose: "surveys", action: "grant", policyVersionId: policyId }))).toEqual({ changed: false });
    expect(await run((tx) => changeConsentChoice(tx, customerId, { channel: "email", purpose: "surveys", action: "withdraw", policyVersionId: policyId }))).toEqual({ changed: true });
    const rows = (await eventsOf(customerId)).slice(before);
    expect(rows.map((r) => [r.method, r.action, r.policyVersionId])).toEqual([["preference_page", "grant", policyId], ["preference_page", "withdraw", policyId]]);
    await expect(run((tx) => changeConsentChoice(tx, customerId, { channel: "fax", purpose: "surveys", action: "grant" } as never))).rejects.toMatchObject({ code: "invalid_input" });
    // Another shop's customer is simply not there: a link signed for the other shop naming this customer finds nothing.
    await expect(run((tx) => getPreferencePage(tx, customerId), otherShopId)).rejects.toMatchObject({ code: "not_found" });
    await expect(run((tx) => exportCustomer(tx, customerId), otherShopId)).rejects.toMatchObject({ code: "not_found" });
    await expect(run((tx) => unsubscribeOneClick(tx, { customerId, channel: "email", sendId: null }), otherShopId)).rejects.toMatchObject({ code: "not_found" });
    await expect(run((tx) => changeConsentChoice(tx, customerId, { channel: "email", purpose: "surveys", action: "grant" }), otherShopId)).rejects.toMatchObject({ code: "not_found" });
  });

  it("records the browser's GPC signal once, however many visits carry it", async () => {
    // Three first visits at once (Postgres runs them on separate connections): one records.
    const first = await Promise.all([1, 2, 3].map(() => run((tx) => honourGpc(tx, customerId))));
    expect(first.filter((r) => r.recorded)).toHaveLength(1);
    expect(await run((tx) => honourGpc(tx, customerId))).toEqual({ recorded: false });
    const gpc = (await eventsOf(customerId)).filter((e) => e.method === "gpc");
    expect(gpc.map((e) => [e.channel, e.purpose, e.action, e.gpc])).toEqual([
      ["email", "personalization", "withdraw", true],
      ["sms", "personalization", "withdraw", true],
      ["push", "personalization", "withdraw", true],
    ]);
    const page = await run((tx) => getPreferencePage(tx, customerId));
    expect(page.erased === false && page.gpcHonouredAt).toBeInstanceOf(Date);
  });

  it("unsubscribes in one click with one ledger event, whether posted again or at the same time", async () => {
    const input = { customerId, channel: "sms" as const, sendId };
    const results = await Promise.all(Array.from({ length: 5 }, () => run((tx) => unsubscribeOneClick(tx, input))));
    expect(results.filter((r) => r.changed)).toHaveLength(1);
    expect(await run((tx) => unsubscribeOneClick(tx, input))).toEqual({ changed: false });
    const unsub = (await eventsOf(customerId)).filter((e) => e.method === "one_click_unsubscribe");
    expect(unsub).toHaveLength(1);
    expect(unsub[0]).toMatchObject({ channel: "sms", purpose: "marketing", action: "withdraw", evidence: { sendId }, policyVersionId: policyId });
    const [state] = await run((tx) => tx.select().from(consentState).where(sql`customer_id = ${customerId} and channel = 'sms' and purpose = 'marketing'`));
    expect(state?.granted).toBe(false);
  });

  it("keeps the contact budget the customer chose, and refuses one out of range", async () => {
    expect(await run((tx) => setContactBudget(tx, customerId, "2"))).toEqual({ budget: 2 });
    await expect(run((tx) => setContactBudget(tx, customerId, "99"))).rejects.toMatchObject({ code: "invalid_input" });
    const [row] = await run((tx) => tx.select({ b: customers.contactBudgetPerWeek }).from(customers).where(eq(customers.id, customerId)));
    expect(row?.b).toBe(2);
  });

  it("exports everything held, with the consent history's hashes", async () => {
    const data = await run((tx) => exportCustomer(tx, customerId));
    expect(data.customer).toMatchObject({ email: "ada@example.com", contactBudgetPerWeek: 2, attributes: { favourite_bike: "gravel" } });
    expect(data.orders).toMatchObject([{ total: 42, currency: "EUR" }]);
    expect(data.messages.map((m) => m.why)).toContain("You said yes to offers by email at checkout.");
    const ledger = await eventsOf(customerId);
    expect(data.consentHistory.map((e) => e.hash)).toEqual(ledger.map((e) => e.hash));
    expect(JSON.parse(JSON.stringify(data)).consentHistory[0].hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("erases personal fields, stops queued messages and keeps the ledger's proof intact", async () => {
    const ledgerBefore = await run((tx) => tx.select().from(consentEvents).orderBy(asc(consentEvents.seq)));
    const checkpoint = await run((tx) => verifyLedger(tx));
    expect(checkpoint.ok).toBe(true);
    const result = await run((tx) => eraseCustomer(tx, customerId, { by: "customer" }));
    expect(result).toMatchObject({ withdrawn: 1, stoppedMessages: 1, alreadyErased: false });
    const [row] = await run((tx) => tx.select().from(customers).where(eq(customers.id, customerId)));
    expect(row).toMatchObject({ email: null, phone: null, firstName: null, lastName: null, externalId: null });
    expect(row?.erasedAt).toBeInstanceOf(Date);
    const queued = await run((tx) => tx.select().from(sends).where(eq(sends.status, "queued")));
    expect(queued).toHaveLength(0);
    expect(await run((tx) => tx.select().from(customerAttributes))).toHaveLength(0);

    const ledgerAfter = await run((tx) => tx.select().from(consentEvents).orderBy(asc(consentEvents.seq)));
    // Nothing before the erasure changed; the erasure appended its withdrawals; every hash still fits its row and chain.
    expect(ledgerAfter.slice(0, ledgerBefore.length)).toEqual(ledgerBefore);
    expect(ledgerAfter.slice(ledgerBefore.length).map((e) => [e.channel, e.purpose, e.action, e.evidence])).toEqual([["email", "marketing", "withdraw", { erasure: true }]]);
    let prev: string | null = null;
    for (const e of ledgerAfter) {
      expect(e.prevHash).toBe(prev);
      expect(hashConsentEvent(e)).toBe(e.hash);
      prev = e.hash;
    }
    expect(JSON.stringify(ledgerAfter)).not.toContain("ada@example.com");
    // The ledger's own verifier agrees, also against the head written down before the erasure.
    const verified = await run((tx) => verifyLedger(tx, { checkpoint: { seq: checkpoint.headSeq, hash: checkpoint.headHash! } }));
    expect(verified).toMatchObject({ ok: true, events: ledgerAfter.length, firstBadEventId: null, checkpoint: { matched: true } });
    const state = await run((tx) => tx.select().from(consentState).where(eq(consentState.customerId, customerId)));
    expect(state.filter((s) => s.granted)).toHaveLength(0);

    const page = await run((tx) => getPreferencePage(tx, customerId));
    expect(page.erased).toBe(true);
    expect(await run((tx) => eraseCustomer(tx, customerId, { by: "customer" }))).toMatchObject({ alreadyErased: true });
    await expect(run((tx) => changeConsentChoice(tx, customerId, { channel: "email", purpose: "marketing", action: "grant" }))).rejects.toMatchObject({ code: "not_found" });
  });

  it("limits requests per bucket and minute", async () => {
    const now = new Date("2026-06-01T12:00:10Z");
    const limits = [{ bucket: `ip:${Math.random()}`, limit: 3 }];
    for (let i = 0; i < 3; i++) await takeRateLimit(database.db, limits, now);
    await expect(takeRateLimit(database.db, limits, now)).rejects.toMatchObject({ code: "rate_limited", retryAfter: 50 });
    await expect(takeRateLimit(database.db, limits, new Date("2026-06-01T12:01:00Z"))).resolves.toBeUndefined();
  });
});
