import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { makeShop } from "../../test/factories";
import { SuppressionInputSchema } from "../api/schemas";
import type { Database } from "../db/client";
import { campaignDecisions, campaigns, customers, segmentMembers, segments, sends, shops, suppressions, variants } from "../db/schema";
import { withShop, type ShopTx } from "../db/tenant";
import { recordConsentEvents } from "../consent/record-consent-events";
import { suppressAddress } from "./suppress-address";
import { targetAudience } from "./target-audience";

const NOW = new Date("2026-06-10T12:00:00Z");

describe.each(engines())("bounces and complaints on $name", (engine) => {
  let database: Database;
  let shopId: string;
  const inShop = <T>(fn: (tx: ShopTx) => Promise<T>) => withShop(shopId, fn, database);
  let ana: string;
  let ben: string;
  let segmentId: string;

  async function campaign(channel: "email" | "sms") {
    return inShop(async (tx) => {
      const [c] = await tx.insert(campaigns).values({ shopId, name: channel, channel, purpose: "marketing", segmentId, status: "approved", holdoutPct: 0 }).returning();
      await tx.insert(variants).values({ shopId, campaignId: c!.id, key: "A", subject: "Hi", body: "Hello" });
      return (await targetAudience(tx, c!.id, { trigger: "manual", now: NOW })).runId;
    });
  }

  beforeAll(async () => {
    database = await engine.open();
    ({ shopId } = await makeShop(database, "Bouncing shop"));
    await inShop(async (tx) => {
      await tx.update(shops).set({ country: "GB", quietHoursStart: 0, quietHoursEnd: 0 }).where(eq(shops.id, shopId));
      const rows = await tx.insert(customers).values([{ shopId, email: "Ana@Example.com", phone: "+447700900111" }, { shopId, email: "ben@example.com" }]).returning({ id: customers.id });
      [ana, ben] = rows.map((r) => r.id) as [string, string];
      const [seg] = await tx.insert(segments).values({ shopId, key: "custom-all", name: "All", kind: "custom", rules: {} }).returning({ id: segments.id });
      segmentId = seg!.id;
      await tx.insert(segmentMembers).values(rows.map((r) => ({ shopId, segmentId, customerId: r.id })));
      await recordConsentEvents(tx, rows.flatMap((r) => (["email", "sms"] as const).map((channel) => ({
        customerId: r.id, channel, purpose: "marketing" as const, action: "grant" as const, method: "checkout" as const, actorType: "customer" as const, evidence: { form: "checkout" }, occurredAt: NOW,
      }))), { now: NOW });
    });
  });
  afterAll(() => database.close());

  it("stops what is queued to a bounced address at once, and leaves it out of every later campaign", async () => {
    await campaign("email");
    const input = SuppressionInputSchema.parse({ channel: "email", address: " ANA@example.com ", reason: "bounce" });
    expect(await inShop((tx) => suppressAddress(tx, input))).toEqual({ outcome: "created", address: "ana@example.com", stoppedMessages: 1 });
    // Reported again (providers retry): nothing more.
    expect(await inShop((tx) => suppressAddress(tx, input))).toEqual({ outcome: "unchanged", address: "ana@example.com", stoppedMessages: 0 });
    const queued = await inShop((tx) => tx.select().from(sends).where(eq(sends.customerId, ana)));
    expect(queued.map((s) => [s.status, s.skipReason])).toEqual([["skipped", "suppressed"]]);
    expect((await inShop((tx) => tx.select().from(sends).where(eq(sends.customerId, ben))))[0]!.status).toBe("queued");

    const run = await campaign("email");
    const [decision] = await inShop((tx) => tx.select().from(campaignDecisions).where(eq(campaignDecisions.runId, run)).then((d) => d.filter((x) => x.customerId === ana)));
    expect(decision!.outcome).toBe("suppressed");
  });

  it("reads a complaint's phone number as the shop's customers' numbers are stored, and only for its channel", async () => {
    const input = SuppressionInputSchema.parse({ channel: "sms", address: "07700 900111", reason: "complaint" });
    expect(await inShop((tx) => suppressAddress(tx, input))).toMatchObject({ outcome: "created", address: "+447700900111" });
    const run = await campaign("sms");
    const decisions = await inShop((tx) => tx.select().from(campaignDecisions).where(eq(campaignDecisions.runId, run)));
    expect(decisions.find((d) => d.customerId === ana)!.outcome).toBe("suppressed");
    const stored = await inShop((tx) => tx.select({ channel: suppressions.channel, reason: suppressions.reason }).from(suppressions));
    expect(stored.sort((a, b) => a.channel.localeCompare(b.channel))).toEqual([{ channel: "email", reason: "bounce" }, { channel: "sms", reason: "complaint" }]);
  });

  it("refuses an email report whose address is not an email, naming the field", () => {
    const parsed = SuppressionInputSchema.safeParse({ channel: "email", address: "not-an-address", reason: "bounce" });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]).toMatchObject({ path: ["address"], message: "an email address" });
    expect(SuppressionInputSchema.safeParse({ channel: "email", address: "a@b.co", reason: "spam" }).success).toBe(false);
  });
});
