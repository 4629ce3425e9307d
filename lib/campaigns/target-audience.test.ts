import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { makeShop } from "../../test/factories";
import { queryRows, type Database } from "../db/client";
import { campaignDecisions, campaigns, consentState, customers, segmentMembers, segments, sends, shops, suppressions, variants } from "../db/schema";
import { withShop, type ShopTx } from "../db/tenant";
import { recordConsentEvents } from "../consent/record-consent-events";
import type { ConsentEventInput } from "../consent/schemas";
import { targetAudience } from "./target-audience";

const NOW = new Date("2026-06-10T12:00:00Z"); // 13:00 in London, 21:00 in Tokyo

describe.each(engines())("targeting a campaign's audience on $name", (engine) => {
  let database: Database;
  let shopId: string;
  const inShop = <T>(fn: (tx: ShopTx) => Promise<T>) => withShop(shopId, fn, database);
  let segmentId: string;
  const ids: Record<string, string> = {};

  const consent = (customerId: string, action: "grant" | "withdraw", channel: "email" | "sms" = "email", at = "2026-03-03T10:00:00Z"): ConsentEventInput => ({
    customerId, channel, purpose: "marketing", action, method: "checkout", actorType: "customer", evidence: { form: "checkout" }, occurredAt: new Date(at),
  });

  async function newCampaign(values: { holdoutPct?: number; variants?: number; status?: "approved" | "draft" } = {}) {
    return inShop(async (tx) => {
      const [c] = await tx.insert(campaigns).values({ shopId, name: "Come back", channel: "email", purpose: "marketing", segmentId, status: values.status ?? "approved", holdoutPct: values.holdoutPct ?? 0 }).returning();
      for (let i = 0; i < (values.variants ?? 1); i++) await tx.insert(variants).values({ shopId, campaignId: c!.id, key: String.fromCharCode(65 + i), subject: "Hi", body: "Hello {{first_name}}" });
      return c!;
    });
  }

  beforeAll(async () => {
    database = await engine.open();
    ({ shopId } = await makeShop(database, "Targeting shop"));
    await inShop(async (tx) => {
      await tx.update(shops).set({ timeZone: "Europe/London", frequencyCapPerWeek: 2, quietHoursStart: 21, quietHoursEnd: 8 }).where(eq(shops.id, shopId));
      const people: [string, Partial<typeof customers.$inferInsert>][] = [
        ["yes", { email: "Yes@Example.com", firstName: "Ana" }],
        ["tokyo", { email: "tokyo@example.com", timeZone: "Asia/Tokyo" }],
        ["never", { email: "never@example.com" }],
        ["withdrew", { email: "withdrew@example.com" }],
        ["smsOnly", { email: "sms@example.com", phone: "+447700900001" }],
        ["erased", { email: null, erasedAt: NOW }],
        ["noEmail", { phone: "+447700900002" }],
        ["bounced", { email: "bounced@example.com" }],
        ["budgetNone", { email: "none@example.com", contactBudgetPerWeek: 0 }],
        ["capped", { email: "capped@example.com" }],
        ["outside", { email: "outside@example.com" }],
      ];
      for (const [key, values] of people) {
        const [c] = await tx.insert(customers).values({ shopId, ...values }).returning({ id: customers.id });
        ids[key] = c!.id;
      }
      const [seg] = await tx.insert(segments).values({ shopId, key: "custom-lapsed", name: "Lapsed", kind: "custom", rules: {} }).returning({ id: segments.id });
      segmentId = seg!.id;
      await tx.insert(segmentMembers).values(Object.entries(ids).filter(([k]) => k !== "outside").map(([, customerId]) => ({ shopId, segmentId, customerId })));
      await recordConsentEvents(tx, [
        ...["yes", "tokyo", "withdrew", "erased", "noEmail", "bounced", "budgetNone", "capped", "outside"].map((k) => consent(ids[k]!, "grant")),
        consent(ids.withdrew!, "withdraw", "email", "2026-05-01T10:00:00Z"),
        consent(ids.smsOnly!, "grant", "sms"),
      ], { now: NOW });
      await tx.insert(suppressions).values({ shopId, channel: "email", address: "bounced@example.com", reason: "bounce" });
      // Two messages this week already: the shop's cap of two is reached.
      const [earlier] = await tx.insert(campaigns).values({ shopId, name: "Earlier", channel: "email", purpose: "marketing", status: "done" }).returning();
      for (const day of [8, 9]) {
        await tx.insert(sends).values({ shopId, campaignId: earlier!.id, customerId: ids.capped!, channel: "email", status: "sent", why: "earlier", idempotencyKey: `earlier:${day}`, sentAt: new Date(`2026-06-0${day}T10:00:00Z`) });
      }
    });
  });
  afterAll(() => database.close());

  it("decides for every member with the first reason that left them out, and queues messages only with a current grant", async () => {
    const campaign = await newCampaign();
    const result = await inShop((tx) => targetAudience(tx, campaign.id, { trigger: "manual", now: NOW }));
    expect(result.funnel).toEqual({
      considered: 10, queued: 2, holdout: 0, erased: 1, no_address: 1, suppressed: 1, no_consent: 3, contact_budget: 1, frequency_cap: 1, already_queued: 0,
    });
    const decisions = await inShop((tx) => tx.select().from(campaignDecisions).where(eq(campaignDecisions.runId, result.runId)));
    const outcomeOf = Object.fromEntries(Object.entries(ids).map(([k, id]) => [k, decisions.find((d) => d.customerId === id)?.outcome]));
    expect(outcomeOf).toEqual({
      yes: "queued", tokyo: "queued", never: "no_consent", withdrew: "no_consent", smsOnly: "no_consent", erased: "erased", noEmail: "no_address",
      bounced: "suppressed", budgetNone: "contact_budget", capped: "frequency_cap", outside: undefined,
    });

    const queued = await inShop((tx) => tx.select().from(sends).where(eq(sends.runId, result.runId)));
    expect(queued.map((s) => s.customerId).sort()).toEqual([ids.yes!, ids.tokyo!].sort());
    for (const s of queued) {
      // The consent receipt is the grant in force: the ledger event and its hash.
      const [state] = await inShop((tx) => tx.select().from(consentState).where(and(eq(consentState.customerId, s.customerId), eq(consentState.channel, "email"), eq(consentState.purpose, "marketing"))));
      expect([s.consentEventId, s.consentHash]).toEqual([state!.eventId, state!.eventHash]);
      expect(s.why).toBe('You are in our "Lapsed" group and said yes to offers and news by email on 3 Mar 2026.');
      expect(s.status).toBe("queued");
    }
    // 13:00 in London: now. 21:00 in Tokyo: quiet hours, so not before 08:00 Tokyo time tomorrow.
    expect(queued.find((s) => s.customerId === ids.yes)!.sendAfter.toISOString()).toBe(NOW.toISOString());
    expect(queued.find((s) => s.customerId === ids.tokyo)!.sendAfter.toISOString()).toBe("2026-06-10T23:00:00.000Z");
    const [c] = await inShop((tx) => tx.select({ status: campaigns.status }).from(campaigns).where(eq(campaigns.id, campaign.id)));
    expect(c!.status).toBe("sending");
  });

  it("never queues a customer twice for one campaign, however often it is targeted", async () => {
    const campaign = await newCampaign();
    await inShop((tx) => targetAudience(tx, campaign.id, { trigger: "manual", now: NOW }));
    const again = await inShop((tx) => targetAudience(tx, campaign.id, { trigger: "manual", now: NOW }));
    expect(again.funnel.queued).toBe(0);
    expect(again.funnel.already_queued).toBe(2);
    const [n] = await inShop((tx) => queryRows<{ n: number }>(tx, sql`select count(*)::int as n from sends where campaign_id = ${campaign.id}::uuid`));
    expect(n!.n).toBe(2);
  });

  it("reaches nobody from a draft, and says what is missing", async () => {
    const draft = await newCampaign({ status: "draft" });
    await expect(inShop((tx) => targetAudience(tx, draft.id, { trigger: "manual", now: NOW }))).rejects.toThrow("The campaign is draft; only an approved campaign reaches anyone.");
    const noVariant = await inShop(async (tx) => (await tx.insert(campaigns).values({ shopId, name: "Empty", channel: "email", purpose: "marketing", segmentId, status: "approved" }).returning())[0]!);
    await expect(inShop((tx) => targetAudience(tx, noVariant.id, { trigger: "manual", now: NOW }))).rejects.toThrow("The campaign has no active variant to send.");
    const [n] = await inShop((tx) => queryRows<{ n: number }>(tx, sql`select count(*)::int as n from campaign_runs where campaign_id in (${draft.id}::uuid, ${noVariant.id}::uuid)`));
    expect(n!.n).toBe(0);
  });

  it("holds out its share of eligible customers and splits the rest between variants without a sample-ratio mismatch", async () => {
    // 1,500 more consenting members.
    await inShop(async (tx) => {
      const rows = await tx.insert(customers).values(Array.from({ length: 1500 }, (_, i) => ({ shopId, email: `many-${i}@example.com` }))).returning({ id: customers.id });
      await tx.insert(segmentMembers).values(rows.map((r) => ({ shopId, segmentId, customerId: r.id })));
      await recordConsentEvents(tx, rows.map((r) => consent(r.id, "grant")), { now: NOW });
    });
    const campaign = await newCampaign({ holdoutPct: 20, variants: 2 });
    const result = await inShop((tx) => targetAudience(tx, campaign.id, { trigger: "manual", now: NOW }));
    const eligible = result.funnel.queued + result.funnel.holdout;
    // The first two consenting customers have had two messages this week (the campaigns above): the cap leaves them out.
    expect(result.funnel.frequency_cap).toBe(3);
    expect(eligible).toBe(1500);
    expect(result.arms.holdout).toBe(result.funnel.holdout);
    expect(result.arms.variants.map((v) => v.key)).toEqual(["A", "B"]);
    expect(result.arms.variants.reduce((s, v) => s + v.customers, 0)).toBe(result.funnel.queued);
    // 20 % ± 4 standard deviations (about 4 %) of 1,500.
    expect(Math.abs(result.funnel.holdout / eligible - 0.2)).toBeLessThan(0.042);
    expect(result.sampleRatio?.mismatch).toBe(false);
    // Held-out customers get no message.
    const [n] = await inShop((tx) => queryRows<{ n: number }>(tx, sql`select count(*)::int as n from sends s join campaign_decisions d on d.customer_id = s.customer_id and d.run_id = ${result.runId}::uuid where s.run_id = ${result.runId}::uuid and d.outcome = 'holdout'`));
    expect(n!.n).toBe(0);
  });
});
