import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { makeShop } from "../../test/factories";
import { recordConsentEvents } from "../consent/record-consent-events";
import type { Database } from "../db/client";
import { campaignDecisions, campaignRuns, campaigns, customers, orderItems, orders, segmentMembers, segments, sends, shops } from "../db/schema";
import type { MailMessage } from "../mail/send-mail";
import { verifyPrivacyToken } from "../privacy/tokens";
import { withShop, type ShopTx } from "../db/tenant";
import { getSurveyPage } from "../surveys/get-survey-page";
import { setAutomation, type AutomationKey } from "./automations";
import { runDailyAutomations } from "./run-daily-automations";
import { runWorker } from "./run-worker";

// Noon in New York (16:00 UTC); the shop's calendar day runs from 04:00 to 04:00 UTC.
const NOW = new Date("2026-06-10T16:00:00Z");
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY);
const APP = "http://localhost:3999";

describe.each(engines())("time-based automations on $name", (engine) => {
  let database: Database;
  beforeAll(async () => {
    process.env.AUTH_SECRET ??= "a test secret that is long enough to sign links";
    database = await engine.open();
  });
  afterAll(() => database.close());

  /**
   * A shop in New York without quiet hours whose automations were switched on a month ago, before
   * it had any orders (so nobody was targeted then), with no holdout: every due customer with a grant gets one.
   */
  async function shopWith(keys: AutomationKey[]) {
    const { shopId, userId } = await makeShop(database, "Roastery");
    const inShop = <T>(fn: (tx: ShopTx) => Promise<T>) => withShop(shopId, fn, database);
    await inShop(async (tx) => {
      await tx.update(shops).set({ timeZone: "America/New_York", quietHoursStart: 0, quietHoursEnd: 0 }).where(eq(shops.id, shopId));
      for (const key of keys) await setAutomation(tx, { key, on: true, userId, now: daysAgo(30) });
      await tx.update(campaigns).set({ holdoutPct: 0 }).where(eq(campaigns.automation, true));
    });
    let n = 0;
    /** A customer with orders (each of one line of `item`) and grants (email × purpose). */
    const customer = (email: string, purchases: { daysAgo: number; item?: string }[], grants: ("marketing" | "surveys")[]) =>
      inShop(async (tx) => {
        const [c] = await tx.insert(customers).values({ shopId, email, firstName: email.split("@")[0] }).returning();
        for (const p of purchases) {
          const [o] = await tx.insert(orders).values({ shopId, customerId: c!.id, externalId: `o-${(n += 1)}`, placedAt: daysAgo(p.daysAgo), totalMinor: 1500, currency: "EUR" }).returning();
          await tx.insert(orderItems).values({ shopId, orderId: o!.id, name: p.item ?? "Mug", category: p.item ?? "Mugs", quantity: 1, priceMinor: 1500 });
        }
        await recordConsentEvents(tx, grants.map((purpose) => ({
          customerId: c!.id, channel: "email" as const, purpose, action: "grant" as const, method: "checkout" as const, actorType: "customer" as const, evidence: { form: "checkout" }, occurredAt: daysAgo(60),
        })), { now: daysAgo(60) });
        return c!;
      });
    const campaignOf = async (key: AutomationKey) =>
      (await inShop((tx) => tx.select().from(campaigns).where(and(eq(campaigns.automation, true), eq(campaigns.trigger, key)))))[0]!;
    const sendsOf = async (key: AutomationKey) => {
      const campaign = await campaignOf(key);
      return inShop((tx) => tx.select().from(sends).where(eq(sends.campaignId, campaign.id)));
    };
    const decisionsOf = async (runId: string) =>
      Object.fromEntries((await inShop((tx) => tx.select().from(campaignDecisions).where(eq(campaignDecisions.runId, runId)))).map((d) => [d.customerId, d.outcome]));
    return { shopId, inShop, customer, campaignOf, sendsOf, decisionsOf };
  }

  it("the post-purchase survey reaches only customers due a survey who said yes to surveys, with a survey link of their own", async () => {
    const shop = await shopWith(["post_purchase_survey"]);
    const ann = await shop.customer("ann@example.com", [{ daysAgo: 8 }], ["surveys"]);
    const bob = await shop.customer("bob@example.com", [{ daysAgo: 9 }], ["marketing"]); // said yes to offers, not to surveys
    await shop.customer("cat@example.com", [{ daysAgo: 3 }], ["surveys"]); // too recent: the order may not have arrived
    await shop.customer("dan@example.com", [{ daysAgo: 40 }], ["surveys"]); // too old to ask about

    const [run] = await shop.inShop((tx) => runDailyAutomations(tx, { now: NOW }));
    expect(run).toMatchObject({ automation: "post_purchase_survey", queued: 1 });
    // The segment was recomputed for today: Ann and Bob are due; Bob has no grant for surveys.
    expect(await shop.decisionsOf(run!.runId!)).toEqual({ [ann.id]: "queued", [bob.id]: "no_consent" });
    const queued = await shop.sendsOf("post_purchase_survey");
    expect(queued.map((s) => s.customerId)).toEqual([ann.id]);

    const mail: MailMessage[] = [];
    const tally = await runWorker({ database, once: true, now: () => NOW, appUrl: APP, transports: { mail: async (m) => void mail.push(m), sms: async () => undefined } });
    expect(tally.sent).toBe(1);
    expect(mail.map((m) => m.to)).toEqual(["ann@example.com"]);
    const url = mail[0]!.text.match(new RegExp(`${APP}/s/([A-Za-z0-9_-]+)`));
    expect(url, mail[0]!.text).not.toBeNull();
    const link = verifyPrivacyToken(url![1]!, "survey", { now: NOW });
    expect(link).toMatchObject({ shopId: shop.shopId, customerId: ann.id, sendId: queued[0]!.id });
    expect(await shop.inShop((tx) => getSurveyPage(tx, link!))).toMatchObject({ shop: { name: "Roastery" }, answer: null });
  });

  it("the reorder reminder picks a customer as long after their purchase as this shop's customers usually wait, and no sooner or much later", async () => {
    const shop = await shopWith(["replenishment"]);
    // Three regulars rebuy coffee every 20 days: the shop's usual interval for coffee is 20 days.
    // (Their own last coffee was 50 days ago, more than twice that: stale, so not reminded.)
    for (const who of ["r1", "r2", "r3"]) await shop.customer(`${who}@example.com`, [{ daysAgo: 70, item: "Coffee" }, { daysAgo: 50, item: "Coffee" }], []);
    const due = await shop.customer("due@example.com", [{ daysAgo: 21, item: "Coffee" }], ["marketing"]);
    await shop.customer("early@example.com", [{ daysAgo: 12, item: "Coffee" }], ["marketing"]);
    await shop.customer("lapsed@example.com", [{ daysAgo: 45, item: "Coffee" }], ["marketing"]);
    // Mugs have no rhythm (nobody bought one twice): a mug 21 days ago is no reason to write.
    await shop.customer("mug@example.com", [{ daysAgo: 21, item: "Mug" }], ["marketing"]);

    const [run] = await shop.inShop((tx) => runDailyAutomations(tx, { now: NOW }));
    expect(run).toMatchObject({ automation: "replenishment", queued: 1 });
    expect(await shop.decisionsOf(run!.runId!)).toEqual({ [due.id]: "queued" });
    const [member] = await shop.inShop(async (tx) => {
      const [segment] = await tx.select().from(segments).where(eq(segments.key, "replenishment_due"));
      return tx.select().from(segmentMembers).where(eq(segmentMembers.segmentId, segment!.id));
    });
    expect(member).toMatchObject({ customerId: due.id, reasonParams: { item: "Coffee", usualDays: 20 } });
    expect((await shop.sendsOf("replenishment")).map((s) => s.customerId)).toEqual([due.id]);
  });

  it("the reorder reminder counts purchase days in the shop's time zone: two cups of tea on one evening are not a rebuy", async () => {
    const shop = await shopWith(["replenishment"]);
    for (const who of ["r1", "r2", "r3"]) await shop.customer(`${who}@example.com`, [{ daysAgo: 70, item: "Coffee" }, { daysAgo: 50, item: "Coffee" }], []);
    const due = await shop.customer("due@example.com", [{ daysAgo: 21, item: "Coffee" }], ["marketing"]);
    // Three regulars buy tea at 09:00 and again at 22:30 on one New York day, which is 02:30 the next
    // day in UTC: one purchase day each in the shop's calendar, so tea has no rhythm. (Counted in UTC
    // days, tea would be rebought "every day", and anyone who bought tea the day before yesterday would be written to.)
    for (const who of ["t1", "t2", "t3"]) await shop.customer(`${who}@example.com`, [{ daysAgo: 10 + 3 / 24, item: "Tea" }, { daysAgo: 10 - 10.5 / 24, item: "Tea" }], []);
    await shop.customer("tea@example.com", [{ daysAgo: 1.5, item: "Tea" }], ["marketing"]);

    const [run] = await shop.inShop((tx) => runDailyAutomations(tx, { now: NOW }));
    expect(await shop.decisionsOf(run!.runId!)).toEqual({ [due.id]: "queued" });
  });

  it("runs once per shop day: again the same day queues nothing and records no run; the next day only newcomers; win-back once a month", async () => {
    const shop = await shopWith(["post_purchase_survey", "replenishment", "win_back"]);
    const ann = await shop.customer("ann@example.com", [{ daysAgo: 8 }], ["surveys", "marketing"]);
    const atRisk = await shop.inShop(async (tx) => {
      const [segment] = await tx.select().from(segments).where(eq(segments.key, "lifecycle_at_risk"));
      await tx.insert(segmentMembers).values({ shopId: shop.shopId, segmentId: segment!.id, customerId: ann.id });
      return segment!.id;
    });
    expect(atRisk).toBeTruthy();
    const run = (at: Date) => shop.inShop((tx) => runDailyAutomations(tx, { now: at }));
    const runCount = async () => (await shop.inShop((tx) => tx.select().from(campaignRuns))).length;

    const first = await run(NOW);
    expect(first.map((r) => [r.automation, r.queued])).toEqual([["post_purchase_survey", 1], ["replenishment", 0], ["win_back", 1]]);
    const runs = await runCount();
    const sendCount = async () => (await shop.sendsOf("post_purchase_survey")).length + (await shop.sendsOf("win_back")).length + (await shop.sendsOf("replenishment")).length;
    expect(await sendCount()).toBe(2);

    // Later the same day in New York (23:00 there, already the 11th in UTC): nothing at all.
    for (const at of [new Date(NOW.getTime() + 60_000), new Date("2026-06-11T03:00:00Z")]) {
      expect(await run(at)).toEqual([
        { automation: "post_purchase_survey", runId: null, queued: 0 },
        { automation: "replenishment", runId: null, queued: 0 },
        { automation: "win_back", runId: null, queued: 0 },
      ]);
    }
    expect(await runCount()).toBe(runs);
    expect(await sendCount()).toBe(2);

    // The next day in New York: each runs again. Ann had her survey (one per 90 days) and her
    // win-back (one a month); Bob, new since yesterday's run, is asked.
    const bob = await shop.customer("bob@example.com", [{ daysAgo: 8 }], ["surveys"]);
    const next = await run(new Date("2026-06-11T05:00:00Z"));
    expect(next.every((r) => r.runId !== null)).toBe(true);
    expect(next.map((r) => [r.automation, r.queued])).toEqual([["post_purchase_survey", 1], ["replenishment", 0], ["win_back", 0]]);
    expect(await shop.decisionsOf(next.find((r) => r.automation === "win_back")!.runId!)).toEqual({ [ann.id]: "already_queued" });
    expect((await shop.sendsOf("post_purchase_survey")).map((s) => s.customerId).sort()).toEqual([ann.id, bob.id].sort());
  });

  it("runs nothing in a shop whose automations are off, and stops once switched off", async () => {
    const shop = await shopWith(["post_purchase_survey"]);
    await shop.customer("ann@example.com", [{ daysAgo: 8 }], ["surveys"]);
    await shop.inShop((tx) => setAutomation(tx, { key: "post_purchase_survey", on: false, userId: null, now: daysAgo(1) }));
    expect(await shop.inShop((tx) => runDailyAutomations(tx, { now: NOW }))).toEqual([]);
    expect(await shop.sendsOf("post_purchase_survey")).toEqual([]);
  });
});
