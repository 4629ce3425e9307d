// Workers deliver a few claimed messages per transaction (deliver-send.ts). Two messages for one
// customer must not be decided together: each would count the week's messages without the other
// and both would go out over the cap. The second waits, and is then decided with the first counted.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { makeShop } from "../../test/factories";
import { queryRows, type Database } from "../db/client";
import { campaigns, customers, segmentMembers, segments, shops, variants } from "../db/schema";
import { withShop, type ShopTx } from "../db/tenant";
import { recordConsentEvents } from "../consent/record-consent-events";
import type { MailMessage } from "../mail/send-mail";
import { claimDueSends } from "./claim-sends";
import { deliverSends } from "./deliver-send";
import { targetAudience } from "./target-audience";

const NOW = new Date("2026-06-10T12:00:00Z");

describe.each(engines())("delivering a few claimed messages together on $name", (engine) => {
  let database: Database;
  let shopId: string;
  const inShop = <T>(fn: (tx: ShopTx) => Promise<T>) => withShop(shopId, fn, database);
  const mailed: MailMessage[] = [];
  const transports = { mail: async (m: MailMessage) => void mailed.push(m), sms: async () => {} };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    process.env.AUTH_SECRET ??= "a test secret that is long enough to sign links";
    database = await engine.open();
    ({ shopId } = await makeShop(database, "Batch shop"));
    await inShop(async (tx) => {
      await tx.update(shops).set({ quietHoursStart: 0, quietHoursEnd: 0, frequencyCapPerWeek: 2 }).where(eq(shops.id, shopId));
      const [seg] = await tx.insert(segments).values({ shopId, key: "custom-all", name: "Everyone", kind: "custom", rules: {} }).returning({ id: segments.id });
      for (const key of ["twice", "once"]) {
        const [c] = await tx.insert(customers).values({ shopId, email: `${key}@example.com` }).returning({ id: customers.id });
        ids[key] = c!.id;
        await tx.insert(segmentMembers).values({ shopId, segmentId: seg!.id, customerId: c!.id });
      }
      await recordConsentEvents(tx, Object.values(ids).map((customerId) => ({
        customerId, channel: "email" as const, purpose: "marketing" as const, action: "grant" as const, method: "checkout" as const, actorType: "customer" as const, evidence: { form: "checkout" }, occurredAt: new Date("2026-03-03T10:00:00Z"),
      })), { now: NOW });
      // Two campaigns for "twice", one for "once", queued under a cap of two a week…
      for (const [name, who] of [["First", [ids.twice!, ids.once!]], ["Second", [ids.twice!]]] as const) {
        const [c] = await tx.insert(campaigns).values({ shopId, name, channel: "email", purpose: "marketing", segmentId: seg!.id, status: "approved", holdoutPct: 0 }).returning({ id: campaigns.id });
        await tx.insert(variants).values({ shopId, campaignId: c!.id, key: "A", subject: "Hi", body: "Hello." });
        const run = await targetAudience(tx, c!.id, { trigger: "manual", now: NOW, customerIds: who });
        expect(run.funnel.queued).toBe(who.length);
      }
      // …and the owner lowers it to one before they go out.
      await tx.update(shops).set({ frequencyCapPerWeek: 1 }).where(eq(shops.id, shopId));
    });
  });
  afterAll(() => database.close());

  it("sends one message per customer among the few, and decides the second for a customer after the first went", async () => {
    const claimed = await inShop((tx) => claimDueSends(tx, { workerId: "w1", limit: 10, now: NOW, leaseMs: 60_000 }));
    expect(claimed).toHaveLength(3);
    const first = await deliverSends(database, shopId, claimed, { workerId: "w1", now: () => NOW, transports, appUrl: "http://localhost:3999" });
    expect(first.outcomes.map((o) => o.outcome.status).sort()).toEqual(["sent", "sent"]);
    expect(first.deferred).toHaveLength(1);
    expect(mailed.map((m) => m.to).sort()).toEqual(["once@example.com", "twice@example.com"]);

    const second = await deliverSends(database, shopId, first.deferred, { workerId: "w1", now: () => NOW, transports, appUrl: "http://localhost:3999" });
    expect(second).toEqual({ outcomes: [{ sendId: first.deferred[0], outcome: { status: "skipped", reason: "frequency_cap" } }], deferred: [] });
    expect(mailed).toHaveLength(2);

    const rows = await inShop((tx) => queryRows<{ email: string; status: string; skip_reason: string | null; claimed_by: string | null; has_receipt: boolean }>(tx, sql`
      select c.email, s.status::text as status, s.skip_reason, s.claimed_by, s.consent_event_id is not null and s.consent_hash is not null as has_receipt
        from sends s join customers c on c.id = s.customer_id order by c.email, s.status`));
    expect(rows).toEqual([
      { email: "once@example.com", status: "sent", skip_reason: null, claimed_by: null, has_receipt: true },
      { email: "twice@example.com", status: "sent", skip_reason: null, claimed_by: null, has_receipt: true },
      { email: "twice@example.com", status: "skipped", skip_reason: "frequency_cap", claimed_by: null, has_receipt: true },
    ]);
  });
});
