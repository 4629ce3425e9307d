import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { addCustomer, makeShop } from "../../test/factories";
import type { Database } from "../db/client";
import { withShop } from "../db/tenant";
import { consentEventsCsv, countConsentByMonth, listConsentEvents } from "./list-consent-events";
import { publishPolicy } from "./policies";
import { recordConsentEvents } from "./record-consent-events";

describe.each(engines())("consent log on $name", (engine) => {
  let database: Database;
  let shopId: string;
  let anna: { id: string };
  let ben: { id: string };
  const timeZone = "Europe/Berlin";

  beforeAll(async () => {
    database = await engine.open();
    shopId = (await makeShop(database)).shopId;
    anna = await addCustomer(database, shopId, { firstName: "Anna", lastName: "Weber", email: "anna@example.com" });
    ben = await addCustomer(database, shopId, { firstName: "Ben", email: "ben@example.com" });
    const policy = await withShop(shopId, (tx) => publishPolicy(tx, { version: "v1", text: "We write only when you asked us to, by the channel you chose.", effectiveAt: "2026-01-01" }, { now: new Date("2026-01-01") }), database);
    const base = { actorType: "customer" as const, policyVersionId: policy.id, policySha256: policy.sha256 };
    await withShop(shopId, (tx) =>
      recordConsentEvents(tx, [
        { ...base, customerId: anna.id, channel: "email", purpose: "marketing", action: "grant", method: "checkout", evidence: { form: "checkout" }, occurredAt: new Date("2026-01-31T23:30:00Z") }, // 1 Feb in Berlin
        { ...base, customerId: ben.id, channel: "sms", purpose: "marketing", action: "grant", method: "preference_page", requestId: '=HYPERLINK("req-ben-1")', occurredAt: new Date("2026-02-10T10:00:00Z") },
        { ...base, customerId: anna.id, channel: "email", purpose: "marketing", action: "withdraw", method: "one_click_unsubscribe", evidence: { sendId: null }, occurredAt: new Date("2026-04-02T10:00:00Z") },
      ]),
    database);
  });
  afterAll(() => database?.close());

  const list = (params: Record<string, unknown>) => withShop(shopId, (tx) => listConsentEvents(tx, params, { timeZone }), database);

  it("lists newest first with customer, policy and chain, and filters by customer, channel, method and shop-time days", async () => {
    const all = await list({});
    expect(all.total).toBe(3);
    expect(all.rows.map((r) => r.seq)).toEqual([3, 2, 1]);
    expect(all.rows[2]).toMatchObject({ customerName: "Anna Weber", policyVersion: "v1", method: "checkout", prevHash: null });
    expect((await list({ q: "anna" })).rows.map((r) => r.seq)).toEqual([3, 1]);
    expect((await list({ q: "req-ben" })).rows.map((r) => r.seq)).toEqual([2]);
    expect((await list({ customer: ben.id })).total).toBe(1);
    expect((await list({ channel: "sms" })).rows.map((r) => r.seq)).toEqual([2]);
    expect((await list({ method: "one_click_unsubscribe", action: "withdraw" })).rows.map((r) => r.seq)).toEqual([3]);
    // 23:30 UTC on 31 January is 1 February in Berlin.
    expect((await list({ from: "2026-02-01", to: "2026-02-01" })).rows.map((r) => r.seq)).toEqual([1]);
    expect((await list({ to: "2026-01-31" })).total).toBe(0);
    // Odd values fall back to no filter, never to an error.
    expect((await list({ channel: "fax", from: "yesterday", page: "-3" })).total).toBe(3);
  });

  it("counts grants and withdrawals per shop-time month, months without events included", async () => {
    const months = await withShop(shopId, (tx) => countConsentByMonth(tx, {}, { timeZone }), database);
    expect(months).toEqual([
      { month: "2026-02", grants: 2, withdrawals: 0 },
      { month: "2026-03", grants: 0, withdrawals: 0 },
      { month: "2026-04", grants: 0, withdrawals: 1 },
    ]);
  });

  it("exports the filtered log oldest first as CSV with formula cells escaped", async () => {
    const csv = await withShop(shopId, (tx) => consentEventsCsv(tx, { channel: "sms" }, { timeZone }), database);
    const parsed = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true });
    expect(parsed.data).toHaveLength(1);
    expect(parsed.data[0]).toMatchObject({ seq: "2", channel: "sms", method: "preference_page", request_id: '\'=HYPERLINK("req-ben-1")', policy_version: "v1", customer_email: "ben@example.com" });
    const whole = await withShop(shopId, (tx) => consentEventsCsv(tx, {}, { timeZone }), database);
    const rows = Papa.parse<Record<string, string>>(whole, { header: true, skipEmptyLines: true }).data;
    expect(rows.map((r) => r.seq)).toEqual(["1", "2", "3"]);
    expect(rows[1]!.prev_hash).toBe(rows[0]!.hash);
    expect(whole).not.toMatch(/(^|,|")=HYPERLINK/m);
  });
});
