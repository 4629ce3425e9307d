import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { addCustomer, makeShop } from "../../test/factories";
import { queryRows, type Database } from "../db/client";
import { events } from "../db/schema";
import { withShop } from "../db/tenant";
import { recordConsentEvents } from "../consent/record-consent-events";
import { verifyLedger } from "../consent/verify-ledger";
import { updateRetention } from "../shops/update-retention";
import { purgeAllShops, purgeExpired } from "./purge-expired";

const now = new Date("2026-06-15T12:00:00Z");
const monthsAgo = (m: number, days = 0) => {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - m);
  return new Date(d.getTime() - days * 86_400_000);
};

describe.each(engines())("retention purge on $name", (engine) => {
  let database: Database;
  let shopId: string;
  let otherShopId: string;
  let customerId: string;

  beforeAll(async () => {
    database = await engine.open();
    shopId = (await makeShop(database)).shopId;
    otherShopId = (await makeShop(database)).shopId;
    customerId = (await addCustomer(database, shopId)).id;
    const otherCustomer = (await addCustomer(database, otherShopId)).id;
    await withShop(otherShopId, (tx) => tx.insert(events).values({ shopId: otherShopId, customerId: otherCustomer, type: "product.viewed", occurredAt: monthsAgo(30) }), database);
  });
  afterAll(() => database?.close());

  const count = (id: string) => withShop(id, (tx) => queryRows<{ n: number }>(tx, sql`select count(*)::int as n from events`), database).then((r) => r[0]!.n);

  it("removes raw events older than their purpose's retention, says what it removed and keeps the rest", async () => {
    await withShop(shopId, (tx) => updateRetention(tx, { marketingMonths: 3, personalizationMonths: "12", otherMonths: 24 }), database);
    const rows = [
      { type: "cart.abandoned", occurredAt: monthsAgo(3, 1) }, // expired (3 months)
      { type: "checkout.started", occurredAt: monthsAgo(4) }, // expired
      { type: "cart.updated", occurredAt: monthsAgo(2) }, // kept
      { type: "product.viewed", occurredAt: monthsAgo(13) }, // expired (12 months)
      { type: "product.viewed", occurredAt: monthsAgo(11) }, // kept
      { type: "newsletter.opened", occurredAt: monthsAgo(25) }, // expired (24 months)
      { type: "newsletter.opened", occurredAt: monthsAgo(23) }, // kept
    ];
    await withShop(shopId, (tx) => tx.insert(events).values(rows.map((r) => ({ ...r, shopId, customerId }))), database);
    await withShop(shopId, (tx) => recordConsentEvents(tx, [{ customerId, channel: "email", purpose: "marketing", action: "grant", method: "checkout", actorType: "customer", evidence: { form: "checkout" }, occurredAt: monthsAgo(60) }], { now }), database);

    const result = await withShop(shopId, (tx) => purgeExpired(tx, { now }), database);
    expect(result).toMatchObject({
      removed: 4,
      byType: { "cart.abandoned": 1, "checkout.started": 1, "product.viewed": 1, "newsletter.opened": 1 },
      remaining: 3,
      oldestKept: monthsAgo(23).toISOString(),
      retentionMonths: { marketingMonths: 3, personalizationMonths: 12, otherMonths: 24 },
      cutoffs: { marketing: monthsAgo(3).toISOString(), personalization: monthsAgo(12).toISOString(), other: monthsAgo(24).toISOString() },
    });
    expect(await count(shopId)).toBe(3);
    expect(await count(otherShopId)).toBe(1);

    // Running again removes nothing more.
    expect(await withShop(shopId, (tx) => purgeExpired(tx, { now }), database)).toMatchObject({ removed: 0, byType: {}, remaining: 3 });
  });

  it("never purges the consent ledger, however old", async () => {
    const before = await withShop(shopId, (tx) => verifyLedger(tx), database);
    const far = new Date(now.getTime() + 20 * 365 * 86_400_000);
    await purgeAllShops({ database, now: far });
    expect(await count(shopId)).toBe(0);
    expect(await count(otherShopId)).toBe(0);
    const after = await withShop(shopId, (tx) => verifyLedger(tx), database);
    expect(after).toMatchObject({ ok: true, events: 1, headHash: before.headHash });
  });

  it("refuses a retention outside 1–120 whole months, naming the field", async () => {
    await expect(withShop(shopId, (tx) => updateRetention(tx, { marketingMonths: 0, personalizationMonths: 12, otherMonths: 24 }), database)).rejects.toMatchObject({
      code: "invalid_input",
      fields: [{ field: "marketingMonths", message: "Keep events at least 1 month." }],
    });
    await expect(withShop(shopId, (tx) => updateRetention(tx, { marketingMonths: 3, personalizationMonths: 1.5, otherMonths: 121 }), database)).rejects.toMatchObject({
      fields: [{ field: "personalizationMonths" }, { field: "otherMonths" }],
    });
  });
});
