// The fairness report on a shop built by hand, on both engines: ten English-speaking customers in
// London who get three campaigns (one of them an offer only they get) and twenty German-speaking
// customers in Berlin who get one; one of the Germans said yes but set a weekly budget of 0, so
// consent alone never reached them. The shares and flags below are worked out from that by hand.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { makeShop } from "../../test/factories";
import type { Database } from "../db/client";
import { campaigns, customerScores, customers, segmentMembers, segments, shops } from "../db/schema";
import { withShop, type ShopTx } from "../db/tenant";
import { recordConsentEvents } from "../consent/record-consent-events";
import { approveCampaign, createCampaign, type Actor } from "../campaigns/campaign-lifecycle";
import { runWorker } from "../campaigns/run-worker";
import { getFairnessReport, type FairnessReport } from "./fairness-report";
import { monthStart, parseFairnessQuery } from "./fairness-query";

const JUNE = { from: new Date("2026-05-31T23:00:00Z"), to: new Date("2026-06-30T23:00:00Z") };
const MAY = { from: new Date("2026-04-30T23:00:00Z"), to: JUNE.from };
const at = (day: number) => new Date(`2026-06-${String(day).padStart(2, "0")}T12:00:00Z`);

const group = (r: FairnessReport, dimension: string, key: string) => {
  const g = r.dimensions.find((d) => d.dimension === dimension)?.groups.find((x) => x.key === key);
  if (!g) throw new Error(`no group ${dimension}/${key}`);
  return g;
};
const flagKeys = (r: FairnessReport) => r.flags.map((f) => `${f.kind}:${f.dimension}:${f.group}`).sort();

describe("fairness months", () => {
  it("are calendar months in the shop's time zone, across a change of clocks", () => {
    expect(monthStart("2026-03", "Europe/London").toISOString()).toBe("2026-03-01T00:00:00.000Z");
    expect(monthStart("2026-04", "Europe/London").toISOString()).toBe("2026-03-31T23:00:00.000Z");
    expect(monthStart("2026-01", "America/New_York").toISOString()).toBe("2026-01-01T05:00:00.000Z");
    const q = parseFairnessQuery({ from: "2026-06", to: "2026-06" }, { timeZone: "Europe/London" });
    expect([q.from, q.to]).toEqual([JUNE.from, JUNE.to]);
    const fallback = parseFairnessQuery({ from: "June", to: "2026-13", campaign: "x" }, { timeZone: "UTC", now: new Date("2026-06-15T00:00:00Z") });
    expect(fallback).toMatchObject({ campaignId: null, fromMonth: "2026-04", toMonth: "2026-06" });
  });
});

describe.each(engines())("fairness report on $name", (engine) => {
  let database: Database;
  let shopId: string;
  let owner: Actor;
  const en: string[] = [];
  const de: string[] = [];
  const ids: Record<string, string> = {};
  const inShop = <T>(fn: (tx: ShopTx) => Promise<T>) => withShop(shopId, fn, database);
  const transports = { mail: async () => undefined, sms: async () => undefined };

  beforeAll(async () => {
    process.env.AUTH_SECRET ??= "a test secret that is long enough to sign links";
    database = await engine.open();
    const shop = await makeShop(database, "Fairness shop");
    shopId = shop.shopId;
    owner = { userId: shop.userId, role: "owner" };
    const segmentIds = await inShop(async (tx) => {
      await tx.update(shops).set({ timeZone: "Europe/London", quietHoursStart: 22, quietHoursEnd: 7 }).where(eq(shops.id, shopId));
      const [everyone] = await tx.insert(segments).values({ shopId, key: "custom-everyone", name: "Everyone", kind: "custom", rules: {} }).returning({ id: segments.id });
      const [english] = await tx.insert(segments).values({ shopId, key: "custom-english", name: "English speakers", kind: "custom", rules: {} }).returning({ id: segments.id });
      const people = [
        ...Array.from({ length: 10 }, (_, i) => ({ list: en, locale: "en-GB", timeZone: "Europe/London", name: `En${i}`, lifecycle: "loyal", monetary: 5 })),
        ...Array.from({ length: 20 }, (_, i) => ({ list: de, locale: "de-DE", timeZone: "Europe/Berlin", name: `De${i}`, lifecycle: i < 10 ? "active" : "lapsed", monetary: i < 10 ? 3 : 1 })),
      ];
      for (const p of people) {
        const [c] = await tx.insert(customers).values({
          shopId, email: `${p.name.toLowerCase()}@example.com`, firstName: p.name, locale: p.locale, timeZone: p.timeZone,
          // De0 said yes but wants no messages at all: consenting, never contacted.
          contactBudgetPerWeek: p.name === "De0" ? 0 : null,
        }).returning();
        p.list.push(c!.id);
        ids[p.name] = c!.id;
        await tx.insert(customerScores).values({
          shopId, customerId: c!.id, orders: 4, purchaseDays: 4, revenueMinor: 10_000, firstOrderAt: new Date("2025-01-01T00:00:00Z"), lastOrderAt: new Date("2026-05-01T00:00:00Z"),
          recencyScore: 3, frequencyScore: 3, monetaryScore: p.monetary, rfmGroup: "x", lifecycle: p.lifecycle, predictedValueMinor: 1000, valueBasis: "history", computedAt: new Date("2026-05-31T00:00:00Z"),
        });
        await tx.insert(segmentMembers).values({ shopId, segmentId: everyone!.id, customerId: c!.id });
        if (p.locale === "en-GB") await tx.insert(segmentMembers).values({ shopId, segmentId: english!.id, customerId: c!.id });
        // De18 and De19 never said yes.
        if (p.name !== "De18" && p.name !== "De19") {
          await recordConsentEvents(tx, [{ customerId: c!.id, channel: "email", purpose: "marketing", action: "grant", method: "checkout", actorType: "customer", evidence: { form: "checkout" }, occurredAt: new Date("2026-03-03T10:00:00Z") }], { now: at(1) });
        }
      }
      return { everyone: everyone!.id, english: english!.id };
    });

    // Three campaigns a week and more apart (the shop's cap is two a week), each sent by the worker.
    const plan = [
      { key: "news", name: "News for everyone", segmentId: segmentIds.everyone, offer: false, day: 2 },
      { key: "offer", name: "20 % off for English speakers", segmentId: segmentIds.english, offer: true, day: 10 },
      { key: "more", name: "More news in English", segmentId: segmentIds.english, offer: false, day: 18 },
    ];
    for (const p of plan) {
      const { id } = await inShop((tx) => createCampaign(tx, owner, {
        name: p.name, channel: "email", purpose: "marketing", segmentId: p.segmentId, holdoutPct: 0, offer: p.offer,
        variants: [{ subject: p.name, body: "Hello {{first_name|there}}" }],
      }));
      ids[p.key] = id;
      await inShop((tx) => approveCampaign(tx, owner, id, { now: at(p.day) }));
      await runWorker({ database, once: true, transports, now: () => new Date(at(p.day).getTime() + 60_000), pollMs: 10 });
    }
    // A draft sends nothing and does not widen whose consent counts.
    await inShop((tx) => createCampaign(tx, owner, { name: "Draft by text", channel: "sms", purpose: "surveys", segmentId: segmentIds.everyone, variants: [{ body: "Hi" }] }));
  });
  afterAll(() => database?.close());

  it("keeps the offer flag the owner set", async () => {
    const rows = await inShop((tx) => tx.select({ name: campaigns.name, offer: campaigns.offer }).from(campaigns).orderBy(campaigns.name));
    expect(rows).toEqual([
      { name: "20 % off for English speakers", offer: true },
      { name: "Draft by text", offer: false },
      { name: "More news in English", offer: false },
      { name: "News for everyone", offer: false },
    ]);
  });

  it("over all campaigns in June: shares by hand, the over-contacted and the offer-less groups flagged", async () => {
    const r = await inShop((tx) => getFairnessReport(tx, JUNE));
    expect(r.consentPairs).toEqual([{ channel: "email", purpose: "marketing" }]);
    // 10 English speakers × 3 messages + 17 German speakers × 1 (18 consent, De0's budget is 0).
    expect(r.totals).toEqual({ customers: 30, consenting: 28, messages: 47, contacted: 27, neverContacted: 1, offerMessages: 10, offered: 10 });

    const english = group(r, "locale", "en-GB");
    expect(english).toMatchObject({ customers: 10, consenting: 10, messages: 30, contacted: 10, neverContacted: 0, offerMessages: 10, offered: 10 });
    expect(english.customerShare).toBeCloseTo(10 / 30, 10);
    expect(english.consentingShare).toBeCloseTo(10 / 28, 10);
    expect(english.messageShare).toBeCloseTo(30 / 47, 10);
    expect(english.offerShare).toBe(1);
    expect(english.messagesPerConsenting).toBe(3);
    expect(english.label).toBe("English (United Kingdom) (en-GB)");

    const german = group(r, "locale", "de-DE");
    expect(german).toMatchObject({ customers: 20, consenting: 18, messages: 17, contacted: 17, neverContacted: 1, offerMessages: 0, offered: 0, offerShare: 0 });
    expect(german.consentingShare).toBeCloseTo(18 / 28, 10);
    expect(german.messageShare).toBeCloseTo(17 / 47, 10);
    expect(german.messagesPerConsenting).toBeCloseTo(17 / 18, 10);
    // Lapsed: De10–De19, of whom De18 and De19 never consented.
    expect(group(r, "lifecycle", "lapsed")).toMatchObject({ customers: 10, consenting: 8, messages: 8 });
    expect(group(r, "value_tier", "5")).toMatchObject({ customers: 10, messages: 30, label: "Spend 5 of 5 (highest)" });
    expect(group(r, "region", "Europe")).toMatchObject({ customers: 30, messages: 47, messageShare: 1 });

    // English speakers: 30/47 = 63.8 % of the messages for 35.7 % of the consenting (1.79×, above 1.5×).
    // German speakers and the "active" group (De0–De9, 10 consenting): no offer at all.
    // "Lapsed" has only 8 consenting customers: below the minimum, never flagged.
    // "English speakers" (10 members) holds no German speaker where the shop's mix gives 6.7.
    expect(flagKeys(r)).toEqual([
      "fewer_offers:lifecycle:active", "fewer_offers:locale:de-DE", "fewer_offers:time_zone:Europe/Berlin", "fewer_offers:value_tier:3",
      "more_contact:lifecycle:loyal", "more_contact:locale:en-GB", "more_contact:time_zone:Europe/London", "more_contact:value_tier:5",
      "segment_excludes:locale:de-DE", "segment_excludes:time_zone:Europe/Berlin",
    ]);
    const over = r.flags.find((f) => f.kind === "more_contact" && f.group === "en-GB")!;
    expect(over.ratio).toBeCloseTo((30 / 47) / (10 / 28), 10);
    expect(over.sentence).toContain("63.8 % of the messages (30 of 47)");
    expect(r.flags.find((f) => f.kind === "segment_excludes" && f.dimension === "locale")?.segmentId).toBeDefined();

    // 28 customers consent or were messaged: one with 0, seventeen with 1, ten with 3 (nearest rank).
    expect(r.distribution).toEqual({ n: 28, p50: 1, p90: 3, p99: 3, max: 3 });
    expect(r.mostContacted.customers).toBe(1);
    expect(r.mostContacted.messages).toBe(3);
    expect(en).toContain(r.mostContacted.people[0]!.customerId);
    expect(r.neverContacted).toEqual({ count: 1, sample: [{ customerId: ids.De0, name: "De0" }] });
  });

  it("for the offer campaign alone: only its messages, only its segment's mix", async () => {
    const r = await inShop((tx) => getFairnessReport(tx, { campaignId: ids.offer, ...JUNE }));
    expect(r.campaign).toMatchObject({ name: "20 % off for English speakers", offer: true });
    expect(r.totals).toEqual({ customers: 30, consenting: 28, messages: 10, contacted: 10, neverContacted: 18, offerMessages: 10, offered: 10 });
    expect(group(r, "locale", "de-DE")).toMatchObject({ messages: 0, neverContacted: 18, messageShare: 0 });
    expect(r.segmentMix.map((m) => [m.name, m.dimension, m.size])).toEqual([["English speakers", "locale", 10], ["English speakers", "time_zone", 10]]);
    expect(r.segmentMix[0]!.groups.map((g) => [g.key, g.members, g.shopCustomers])).toEqual([["de-DE", 0, 20], ["en-GB", 10, 10]]);
    const more = r.flags.find((f) => f.kind === "more_contact" && f.group === "en-GB");
    expect(more?.ratio).toBeCloseTo(1 / (10 / 28), 10);
    expect(r.neverContacted.sample).toHaveLength(18);
  });

  it("a month without messages has nothing to flag but the segment that leaves a group out", async () => {
    const r = await inShop((tx) => getFairnessReport(tx, MAY));
    expect(r.totals.messages).toBe(0);
    expect(r.totals.neverContacted).toBe(28);
    expect(r.distribution).toEqual({ n: 28, p50: 0, p90: 0, p99: 0, max: 0 });
    expect(r.mostContacted).toEqual({ customers: 0, messages: 0, messageShare: null, people: [] });
    expect(group(r, "locale", "en-GB").messageShare).toBeNull();
    expect(flagKeys(r)).toEqual(["segment_excludes:locale:de-DE", "segment_excludes:time_zone:Europe/Berlin"]);
  });

  it("another shop's campaign is not found", async () => {
    const other = await makeShop(database, "Other shop");
    await expect(withShop(other.shopId, (tx) => getFairnessReport(tx, { campaignId: ids.offer, ...JUNE }), database)).rejects.toMatchObject({ code: "not_found" });
  });
});
