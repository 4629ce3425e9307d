// DESIGN invariants 1 and 7 as a property: for many random shops — customers with and without
// addresses, erased ones, their own weekly limits, messages already sent this week, consent
// histories of grants and withdrawals in any order of time, any channel, purpose, cap and holdout —
// no message is queued or sent to a customer without a current grant for exactly its channel and
// purpose, and nobody gets more messages in a week than the shop's cap or their own limit allow.
// The oracle is computed here from the generated history, not read back from the database.
import fc from "fast-check";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { makeShop } from "../../test/factories";
import type { Database } from "../db/client";
import { campaigns, customers, segmentMembers, segments, sends, shops, variants } from "../db/schema";
import { withShop } from "../db/tenant";
import { recordConsentEvents } from "../consent/record-consent-events";
import type { ConsentEventInput } from "../consent/schemas";
import { runWorker } from "./run-worker";
import { targetAudience } from "./target-audience";

const NOW = new Date("2026-06-10T12:00:00Z");
const CHANNELS = ["email", "sms"] as const;
const PURPOSES = ["marketing", "surveys"] as const;

const eventArb = fc.record({
  channel: fc.constantFrom(...CHANNELS),
  purpose: fc.constantFrom(...PURPOSES),
  action: fc.constantFrom("grant" as const, "withdraw" as const),
  // Minutes before now; several events may share a moment.
  minutesAgo: fc.integer({ min: 0, max: 60 * 24 * 60 }),
});
const customerArb = fc.record({
  email: fc.boolean(),
  phone: fc.boolean(),
  erased: fc.boolean(),
  budget: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
  sentThisWeek: fc.integer({ min: 0, max: 3 }),
  history: fc.array(eventArb, { maxLength: 6 }),
  // Changes between targeting and sending.
  laterWithdraws: fc.boolean(),
});
const shopArb = fc.record({
  cap: fc.integer({ min: 0, max: 3 }),
  channel: fc.constantFrom(...CHANNELS),
  purpose: fc.constantFrom(...PURPOSES),
  holdoutPct: fc.constantFrom(0, 10, 50),
  customers: fc.array(customerArb, { minLength: 1, maxLength: 12 }),
});

type Scenario = typeof shopArb extends fc.Arbitrary<infer T> ? T : never;

describe.each(engines())("consent and caps hold for any shop on $name", (engine) => {
  let database: Database;
  beforeAll(async () => {
    process.env.AUTH_SECRET ??= "a test secret that is long enough to sign links";
    database = await engine.open();
  });
  afterAll(() => database.close());

  async function check(s: Scenario) {
    const { shopId } = await makeShop(database, "Property shop");
    const inShop = <T>(fn: Parameters<typeof withShop<T>>[1]) => withShop(shopId, fn, database);
    const ids: string[] = [];
    await inShop(async (tx) => {
      await tx.update(shops).set({ frequencyCapPerWeek: s.cap, quietHoursStart: 0, quietHoursEnd: 0 }).where(eq(shops.id, shopId));
      const [seg] = await tx.insert(segments).values({ shopId, key: "custom-all", name: "All", kind: "custom", rules: {} }).returning({ id: segments.id });
      const [earlier] = await tx.insert(campaigns).values({ shopId, name: "Earlier", channel: s.channel, purpose: s.purpose, status: "done" }).returning({ id: campaigns.id });
      for (const [i, c] of s.customers.entries()) {
        const [row] = await tx.insert(customers).values({
          shopId, email: c.email ? `p${i}@example.com` : null, phone: c.phone ? `+4477009000${String(i).padStart(2, "0")}` : null,
          erasedAt: c.erased ? NOW : null, contactBudgetPerWeek: c.budget,
        }).returning({ id: customers.id });
        ids.push(row!.id);
        await tx.insert(segmentMembers).values({ shopId, segmentId: seg!.id, customerId: row!.id });
        for (let k = 0; k < c.sentThisWeek; k++) {
          await tx.insert(sends).values({ shopId, campaignId: earlier!.id, customerId: row!.id, channel: s.channel, status: "sent", why: "earlier", idempotencyKey: `earlier:${i}:${k}`, sentAt: new Date(NOW.getTime() - (k + 1) * 86_400_000) });
        }
        const events = c.history.map((e): ConsentEventInput => ({
          customerId: row!.id, channel: e.channel, purpose: e.purpose, action: e.action, method: "checkout", actorType: "customer", evidence: { form: "checkout" }, occurredAt: new Date(NOW.getTime() - e.minutesAgo * 60_000),
        }));
        await recordConsentEvents(tx, events, { now: NOW });
      }
      const [campaign] = await tx.insert(campaigns).values({ shopId, name: "Now", channel: s.channel, purpose: s.purpose, segmentId: seg!.id, status: "approved", holdoutPct: s.holdoutPct }).returning({ id: campaigns.id });
      await tx.insert(variants).values({ shopId, campaignId: campaign!.id, key: "A", subject: "Hi", body: "Hello" });
      await targetAudience(tx, campaign!.id, { trigger: "property", now: NOW });
    });

    // The oracle: the latest decision per channel × purpose (by time, then by order written, as the ledger orders them).
    const grantedAt = (c: Scenario["customers"][number], extra: { action: "grant" | "withdraw"; minutesAgo: number }[] = []) => {
      let latest: { action: string; minutesAgo: number } | null = null;
      for (const e of [...c.history.filter((h) => h.channel === s.channel && h.purpose === s.purpose), ...extra]) {
        if (!latest || e.minutesAgo <= latest.minutesAgo) latest = e;
      }
      return latest?.action === "grant";
    };
    const address = (c: Scenario["customers"][number]) => (s.channel === "email" ? c.email : c.phone);
    const allowed = (c: Scenario["customers"][number]) => Math.min(s.cap, c.budget ?? Infinity);

    const queued = await inShop((tx) => tx.select().from(sends).where(eq(sends.status, "queued")));
    for (const q of queued) {
      const c = s.customers[ids.indexOf(q.customerId)]!;
      expect(grantedAt(c), "queued without a current grant").toBe(true);
      expect(c.erased || !address(c), "queued to an erased customer or one without an address").toBe(false);
      expect(c.sentThisWeek + 1, "queued beyond the cap or the customer's own limit").toBeLessThanOrEqual(allowed(c));
    }

    // Some withdraw after the audience was built; the worker must not send to them.
    await inShop(async (tx) => {
      const later = s.customers.flatMap((c, i) => (c.laterWithdraws ? [{ customerId: ids[i]!, channel: s.channel, purpose: s.purpose, action: "withdraw" as const, method: "owner_on_behalf" as const, actorType: "owner" as const, evidence: { note: "asked in the shop" }, occurredAt: NOW }] : []));
      await recordConsentEvents(tx, later, { now: NOW });
    });
    const delivered: string[] = [];
    await runWorker({ database, once: true, now: () => NOW, transports: { mail: async (m) => void delivered.push(m.to), sms: async (m) => void delivered.push(m.to) } });
    const sent = await inShop((tx) => tx.select().from(sends).where(eq(sends.status, "sent")));
    const fresh = sent.filter((x) => !x.idempotencyKey.startsWith("earlier:"));
    expect(delivered.length).toBe(fresh.length);
    for (const x of fresh) {
      const c = s.customers[ids.indexOf(x.customerId)]!;
      const withdrawnLater = c.laterWithdraws ? [{ action: "withdraw" as const, minutesAgo: 0 }] : [];
      expect(grantedAt(c, withdrawnLater), "sent without a current grant at sending").toBe(true);
      expect(x.consentEventId, "sent without a consent receipt").not.toBeNull();
      expect(c.sentThisWeek + 1).toBeLessThanOrEqual(allowed(c));
    }
  }

  it("never queues or sends without a current grant, to an erased customer, or beyond the caps", async () => {
    await fc.assert(fc.asyncProperty(shopArb, check), { numRuns: engine.name === "pglite" ? 30 : 20, seed: 20261202 });
  }, 600_000);
});
