// Opt-out rates on a shop in New York built by hand, on both engines. Two campaigns: "Spring" by
// email (the default guardrail, 1 % once 5 opted out) with variants A and B, and "Texts" by SMS
// (2 % once 2). Recipients say no with the one-click link of their message (the real use case);
// withdrawals by the preference page or by a link tied to no message do not count. Messages belong
// to the month they were sent in, in New York, whenever the opt-out came. The counts are worked out
// below by hand; the Wilson intervals are scipy's (binomtest(k, n).proportion_ci(method="wilson")).
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { makeShop } from "../../test/factories";
import { recordConsentEvents } from "../consent/record-consent-events";
import type { Database } from "../db/client";
import { campaigns, customers, sends, shops, suppressions, variants } from "../db/schema";
import { withShop, type ShopTx } from "../db/tenant";
import { unsubscribeOneClick } from "../privacy/unsubscribe-one-click";
import { listOptOutRates, type OptOutRate, type OptOutRates } from "./opt-out-rates";

const WILSON: Record<string, [number, number]> = {
  "4/201": [0.00776546467370701, 0.050042456090318724],
  "6/100": [0.027786123963188185, 0.1247681544589592],
  "2/50": [0.011038884327619812, 0.1346009068750702],
  "12/351": [0.019663246644248185, 0.05879843850726837],
  "11/350": [0.017638177749155947, 0.05539300097936338],
  "1/1": [0.20654931437723745, 1.0],
  "10/301": [0.018144135903168407, 0.06006523533172496],
  "3/200": [0.00511423779325831, 0.04316572879269026],
};

/** The rate's counts, its point estimate and its interval against the reference. */
function expectRate(r: OptOutRate, optOuts: number, delivered: number, over: boolean) {
  expect({ optOuts: r.optOuts, delivered: r.delivered, overGuardrail: r.overGuardrail }).toEqual({ optOuts, delivered, overGuardrail: over });
  if (!r.rate.enough) throw new Error(`no rate for ${optOuts}/${delivered}: ${r.rate.reason}`);
  expect(r.rate.rate).toBeCloseTo(optOuts / delivered, 12);
  const [low, high] = WILSON[`${optOuts}/${delivered}`]!;
  expect(r.rate.ci95[0]).toBeCloseTo(low, 10);
  expect(r.rate.ci95[1]).toBeCloseTo(high, 10);
}

interface Batch {
  campaign: "spring" | "texts";
  variant: "A" | "B";
  count: number;
  sentAt: Date | null;
  status?: "sent" | "delivered" | "queued" | "failed";
}

describe.each(engines())("opt-out rates on $name", (engine) => {
  let database: Database;
  let shopId: string;
  const inShop = <T>(fn: (tx: ShopTx) => Promise<T>) => withShop(shopId, fn, database);
  const sendIds: Record<string, { sendId: string; customerId: string }[]> = {};
  let springId = "";
  let textsId = "";

  beforeAll(async () => {
    database = await engine.open();
    ({ shopId } = await makeShop(database, "Opt-out shop"));
    await inShop(async (tx) => {
      await tx.update(shops).set({ timeZone: "America/New_York" }).where(eq(shops.id, shopId));
      const [spring] = await tx.insert(campaigns).values({ shopId, name: "Spring", channel: "email", purpose: "marketing", status: "done", holdoutPct: 0 }).returning();
      const [texts] = await tx.insert(campaigns).values({ shopId, name: "Texts", channel: "sms", purpose: "marketing", status: "done", holdoutPct: 0, optOutThresholdBp: 200, optOutMinCount: 2 }).returning();
      springId = spring!.id;
      textsId = texts!.id;
      const vs = await tx.insert(variants).values([
        { shopId, campaignId: springId, key: "A", subject: "Spring", body: "Hi" },
        { shopId, campaignId: springId, key: "B", subject: "Spring!", body: "Hello" },
        { shopId, campaignId: textsId, key: "A", body: "Hi" },
      ]).returning();
      const variantId = (campaignId: string, key: string) => vs.find((v) => v.campaignId === campaignId && v.key === key)!.id;

      const batches: Record<string, Batch> = {
        // 2026-04-01 03:00 UTC is 31 March, 23:00 in New York: a March message.
        springMarch: { campaign: "spring", variant: "A", count: 1, sentAt: new Date("2026-04-01T03:00:00Z") },
        springA: { campaign: "spring", variant: "A", count: 150, sentAt: new Date("2026-04-10T15:00:00Z") },
        springADelivered: { campaign: "spring", variant: "A", count: 50, sentAt: new Date("2026-04-10T15:00:00Z"), status: "delivered" },
        springAQueued: { campaign: "spring", variant: "A", count: 4, sentAt: null, status: "queued" },
        springAFailed: { campaign: "spring", variant: "A", count: 2, sentAt: null, status: "failed" },
        springB: { campaign: "spring", variant: "B", count: 100, sentAt: new Date("2026-04-20T15:00:00Z") },
        textsA: { campaign: "texts", variant: "A", count: 49, sentAt: new Date("2026-04-15T15:00:00Z") },
        // 1 May, 02:00 UTC is 30 April, 22:00 in New York: an April message.
        textsLate: { campaign: "texts", variant: "A", count: 1, sentAt: new Date("2026-05-01T02:00:00Z") },
      };
      let serial = 0;
      for (const [name, b] of Object.entries(batches)) {
        const campaignId = b.campaign === "spring" ? springId : textsId;
        const people = await tx.insert(customers).values(Array.from({ length: b.count }, () => ({ shopId, email: `c${++serial}@example.com`, phone: `+1555000${String(serial).padStart(4, "0")}` }))).returning({ id: customers.id });
        const rows = await tx.insert(sends).values(people.map((p) => ({
          shopId, campaignId, variantId: variantId(campaignId, b.variant), customerId: p.id, channel: b.campaign === "spring" ? "email" as const : "sms" as const,
          status: b.status ?? "sent", why: "test", idempotencyKey: `${campaignId}:${p.id}`, sentAt: b.sentAt,
        }))).returning({ id: sends.id, customerId: sends.customerId });
        sendIds[name] = rows.map((r) => ({ sendId: r.id, customerId: r.customerId }));
      }
      // Complaints: one on 31 March in New York (1 April in UTC), two in April.
      await tx.insert(suppressions).values([
        { shopId, channel: "email", address: "x1@example.com", reason: "complaint", createdAt: new Date("2026-04-01T03:30:00Z") },
        { shopId, channel: "email", address: "x2@example.com", reason: "complaint", createdAt: new Date("2026-04-12T12:00:00Z") },
        { shopId, channel: "sms", address: "+15550009999", reason: "complaint", createdAt: new Date("2026-04-16T12:00:00Z") },
        { shopId, channel: "email", address: "x3@example.com", reason: "bounce", createdAt: new Date("2026-04-12T12:00:00Z") },
      ]);
    });

    const optOut = (name: string, index: number, channel: "email" | "sms", at: string) => {
      const s = sendIds[name]![index]!;
      return inShop((tx) => unsubscribeOneClick(tx, { customerId: s.customerId, channel, sendId: s.sendId }, { now: new Date(at) }));
    };
    await optOut("springMarch", 0, "email", "2026-04-02T12:00:00Z");
    for (const i of [0, 1]) await optOut("springA", i, "email", "2026-04-11T12:00:00Z");
    await optOut("springADelivered", 0, "email", "2026-04-11T12:00:00Z");
    for (const i of [0, 1, 2, 3, 4]) await optOut("springB", i, "email", "2026-04-21T12:00:00Z");
    // Answered in May: still an opt-out of an April message.
    await optOut("springB", 5, "email", "2026-05-03T12:00:00Z");
    await optOut("textsA", 0, "sms", "2026-04-16T12:00:00Z");
    await optOut("textsLate", 0, "sms", "2026-05-01T12:00:00Z");
    // The same link clicked again writes nothing and counts once.
    const again = await optOut("springA", 0, "email", "2026-04-12T12:00:00Z");
    expect(again.changed).toBe(false);

    // Withdrawals that are not a message's one-click link do not count against a campaign.
    const byPage = sendIds.springB![10]!;
    const noLink = sendIds.springB![11]!;
    await inShop(async (tx) => {
      await recordConsentEvents(tx, [{ customerId: byPage.customerId, channel: "email", purpose: "marketing", action: "withdraw", method: "preference_page", actorType: "customer", page: "/p", evidence: {}, occurredAt: new Date("2026-04-22T12:00:00Z") }], { now: new Date("2026-04-22T12:00:00Z") });
      await unsubscribeOneClick(tx, { customerId: noLink.customerId, channel: "email", sendId: null }, { now: new Date("2026-04-22T12:00:00Z") });
    });
  });
  afterAll(() => database?.close());

  let r: OptOutRates;
  beforeAll(async () => {
    r = await inShop((tx) => listOptOutRates(tx, { from: "2026-03", to: "2026-05" }));
  });

  it("counts one-click opt-outs over delivered messages, per campaign, variant and channel, with Wilson intervals", () => {
    expect(r.timeZone).toBe("America/New_York");
    // Spring A: 1 + 150 + 50 delivered (queued and failed reached no one), 1 + 2 + 1 opted out:
    // 2 % is over the 1 % limit but only 4 people opted out, fewer than the 5 the limit waits for.
    const springA = r.byVariant.find((v) => v.campaignId === springId && v.key === "A")!;
    expectRate(springA, 4, 201, false);
    // Spring B: 6 of 100, the one in May included; the page and the link without a message do not count.
    const springB = r.byVariant.find((v) => v.campaignId === springId && v.key === "B")!;
    expectRate(springB, 6, 100, true);
    // Texts: 2 of 50 = 4 %, over its own 2 % once 2 opted out.
    const texts = r.byVariant.find((v) => v.campaignId === textsId)!;
    expectRate(texts, 2, 50, true);
    expect(r.byVariant).toHaveLength(3);

    const spring = r.byCampaign.find((c) => c.campaignId === springId)!;
    expectRate(spring, 10, 301, true);
    expect(spring.limits).toEqual({ thresholdBp: 100, minCount: 5 });
    expect(r.byCampaign.find((c) => c.campaignId === textsId)!.limits).toEqual({ thresholdBp: 200, minCount: 2 });

    // By channel against the line (the strictest limit: 1 % once 5): SMS's 2 opt-outs are too few to cross it.
    expectRate(r.byChannel.find((c) => c.channel === "email")!, 10, 301, true);
    expectRate(r.byChannel.find((c) => c.channel === "sms")!, 2, 50, false);
    expectRate(r.total, 12, 351, true);
  });

  it("draws the guardrail line at the strictest limit of the campaigns sent in the period", () => {
    expect(r.guardrail).toMatchObject({ thresholdBp: 100, minCount: 5, rate: 0.01 });
    expect(r.guardrail.sentence).toBe("The line is the strictest campaign limit in this period: 1 % of the people reached, once 5 opted out.");
  });

  it("puts each message in the month it was sent in New York, and every month of the period is there", () => {
    expect(r.byMonth.map((m) => m.month)).toEqual(["2026-03", "2026-04", "2026-05"]);
    const [march, april, may] = r.byMonth;
    expectRate(march!, 1, 1, false);
    expectRate(april!, 11, 350, true);
    expect(may!.delivered).toBe(0);
    expect(may!.rate).toMatchObject({ enough: false });
    expect(may!.overGuardrail).toBe(false);
    // Complaints by the month they came in, bounces left out.
    expect(r.complaints.total).toBe(3);
    expect(r.complaints.byMonth).toEqual([{ month: "2026-03", count: 1 }, { month: "2026-04", count: 2 }, { month: "2026-05", count: 0 }]);
    expect(r.complaints.byChannel.sort((a, b) => a.channel.localeCompare(b.channel))).toEqual([{ channel: "email", count: 2 }, { channel: "sms", count: 1 }]);
  });

  it("for April alone leaves out the message sent on 31 March in New York", async () => {
    const april = await inShop((tx) => listOptOutRates(tx, { from: "2026-04", to: "2026-04" }));
    expectRate(april.byVariant.find((v) => v.campaignId === springId && v.key === "A")!, 3, 200, false);
    expectRate(april.total, 11, 350, true);
    expect(april.complaints.total).toBe(2);
  });

  it("a period with no messages has no rate, and the line is the default for new campaigns", async () => {
    const empty = await inShop((tx) => listOptOutRates(tx, { from: "2025-01", to: "2025-02" }));
    expect(empty.total).toMatchObject({ optOuts: 0, delivered: 0, overGuardrail: false, rate: { enough: false } });
    expect(empty.byCampaign).toEqual([]);
    expect(empty.byMonth.map((m) => [m.month, m.delivered])).toEqual([["2025-01", 0], ["2025-02", 0]]);
    expect(empty.guardrail).toMatchObject({ thresholdBp: 100, minCount: 5, rate: 0.01 });
    expect(empty.guardrail.sentence).toBe("A campaign pauses itself when more than 1 % of the people it reached opt out, once 5 have.");
  });

  it("refuses a range that is not one", async () => {
    await expect(inShop((tx) => listOptOutRates(tx, { from: "2026-05", to: "2026-03" }))).rejects.toMatchObject({ code: "invalid_input" });
    await expect(inShop((tx) => listOptOutRates(tx, { from: "2026-13", to: "2026-14" }))).rejects.toMatchObject({ code: "invalid_input" });
  });
});
