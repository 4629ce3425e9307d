import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { makeShop } from "../../test/factories";
import { queryRows, type Database } from "../db/client";
import { campaigns, customers, segmentMembers, segments, sends, shops, variants } from "../db/schema";
import { withShop, type ShopTx } from "../db/tenant";
import { recordConsentEvents } from "../consent/record-consent-events";
import { isAppError } from "../errors";
import { approveCampaign, createCampaign, markCampaignDone, pauseCampaign, resumeCampaign, updateCampaignDraft, type Actor } from "./campaign-lifecycle";
import { previewCampaign } from "./preview-campaign";
import { getCampaignDetail, listCampaigns } from "./read-campaigns";
import { runWorker } from "./run-worker";
import { targetAudience } from "./target-audience";

const NOW = new Date("2026-06-10T12:00:00Z"); // 13:00 in London: outside quiet hours

describe.each(engines())("a campaign's lifecycle on $name", (engine) => {
  let database: Database;
  let shopId: string;
  let owner: Actor;
  const viewer: Actor = { userId: "00000000-0000-4000-8000-000000000001", role: "viewer" };
  let segmentId: string;
  const inShop = <T>(fn: (tx: ShopTx) => Promise<T>) => withShop(shopId, fn, database);
  const ids: string[] = [];
  const outbox: { to: string; subject: string }[] = [];
  const transports = { mail: async (m: { to: string; subject: string }) => void outbox.push({ to: m.to, subject: m.subject }), sms: async () => undefined };

  const input = (over: Record<string, unknown> = {}) => ({
    name: "Come back", channel: "email", purpose: "marketing", segmentId, holdoutPct: 0,
    variants: [{ subject: "We miss you, {{first_name|friend}}", body: "Hi {{first_name|there}}, it has been a while." }],
    ...over,
  });
  const counts = () => inShop(async (tx) => {
    const [row] = await queryRows<{ runs: number; decisions: number; sends: number }>(tx, sql`select (select count(*)::int from campaign_runs) as runs,
      (select count(*)::int from campaign_decisions) as decisions, (select count(*)::int from sends) as sends`);
    return row!;
  });
  const refusal = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      if (isAppError(e)) return { code: e.code, status: e.status, message: e.message, fields: e.fields };
      throw e;
    }
    throw new Error("expected a refusal");
  };

  beforeAll(async () => {
    process.env.AUTH_SECRET ??= "a test secret that is long enough to sign links";
    database = await engine.open();
    const shop = await makeShop(database, "Lifecycle shop");
    shopId = shop.shopId;
    owner = { userId: shop.userId, role: "owner" };
    await inShop(async (tx) => {
      await tx.update(shops).set({ timeZone: "Europe/London", quietHoursStart: 22, quietHoursEnd: 7 }).where(eq(shops.id, shopId));
      const [seg] = await tx.insert(segments).values({ shopId, key: "custom-all", name: "Everyone", kind: "custom", rules: {} }).returning({ id: segments.id });
      segmentId = seg!.id;
      for (const [i, name] of ["Ana", "Ben", "Cleo"].entries()) {
        const [c] = await tx.insert(customers).values({ shopId, email: `${name.toLowerCase()}@example.com`, firstName: name }).returning();
        ids.push(c!.id);
        await tx.insert(segmentMembers).values({ shopId, segmentId, customerId: c!.id });
        // Cleo never said yes.
        if (i < 2) {
          await recordConsentEvents(tx, [{ customerId: c!.id, channel: "email", purpose: "marketing", action: "grant", method: "checkout", actorType: "customer", evidence: { form: "checkout" }, occurredAt: new Date("2026-03-03T10:00:00Z") }], { now: NOW });
        }
      }
    });
  });
  afterAll(() => database.close());

  it("refuses templates with unknown merge fields, an email without subject and a bad holdout when saving, and saves nothing", async () => {
    const before = await inShop((tx) => tx.select().from(campaigns));
    const r = await refusal(inShop((tx) => createCampaign(tx, owner, input({ holdoutPct: 60, variants: [{ subject: "", body: "Hi {{frist_name}}" }] }))));
    expect(r.status).toBe(400);
    expect(r.fields.map((f) => f.field).sort()).toEqual(["holdoutPct", "variants.0.body"]);
    expect(r.message).toContain("{{frist_name}}");
    expect(r.message).toMatch(/^The campaign was not saved: (Holdout: .*Variant A, message: |Variant A, message: .*Holdout: )/);
    const subject = await refusal(inShop((tx) => createCampaign(tx, owner, input({ variants: [{ subject: " ", body: "Hi" }] }))));
    expect(subject.fields).toEqual([{ field: "variants.0.subject", message: "An email needs a subject." }]);
    const none = await refusal(inShop((tx) => createCampaign(tx, owner, input({ variants: [] }))));
    expect(none.fields).toEqual([{ field: "variants", message: "Write at least one message." }]);
    expect(await inShop((tx) => tx.select().from(campaigns))).toHaveLength(before.length);
  });

  it("a viewer can neither create nor approve; a draft cannot be targeted", async () => {
    expect((await refusal(inShop((tx) => createCampaign(tx, viewer, input())))).status).toBe(403);
    const { id } = await inShop((tx) => createCampaign(tx, owner, input()));
    const r = await refusal(inShop((tx) => approveCampaign(tx, viewer, id, { now: NOW })));
    expect(r).toMatchObject({ status: 403, message: "Only an owner of this shop can approve a campaign." });
    const t = await refusal(inShop((tx) => targetAudience(tx, id, { trigger: "manual", now: NOW })));
    expect(t.status).toBe(409);
    const [c] = await inShop((tx) => tx.select().from(campaigns).where(eq(campaigns.id, id)));
    expect(c!.status).toBe("draft");
    expect(c!.approvedBy).toBeNull();
  });

  it("a preview shows the funnel, a sample with reasons and a rendered message, and writes nothing", async () => {
    const { id } = await inShop((tx) => createCampaign(tx, owner, input({ name: "Previewed" })));
    const before = await counts();
    const p = await inShop((tx) => previewCampaign(tx, id, { now: NOW, customerId: ids[0] }));
    expect(p.funnel).toMatchObject({ considered: 3, queued: 2, no_consent: 1 });
    expect(p.steps.map((s) => [s.key, s.customers])).toEqual([["segment", 3], ["consented", 2], ["within_caps", 2], ["after_holdout", 2], ["sent", 2]]);
    expect(p.sample).toHaveLength(3);
    // A customer left out has no variant (their arm is computed for everyone but used only when queued).
    expect(p.sample.find((s) => s.customerId === ids[2])).toMatchObject({ outcome: "no_consent", reason: "no current yes for this channel and purpose", variantKey: null });
    expect(p.sample.find((s) => s.customerId === ids[0])).toMatchObject({ outcome: "queued", variantKey: "A" });
    expect(p.message?.email?.subject).toBe("We miss you, Ana");
    expect(p.message?.email?.text).toContain('You are in our "Everyone" group');
    expect(await counts()).toEqual(before);
    const [c] = await inShop((tx) => tx.select().from(campaigns).where(eq(campaigns.id, id)));
    expect(c!.status).toBe("draft");
    // Someone outside the audience has no message to preview.
    const outsider = await inShop(async (tx) => (await tx.insert(customers).values({ shopId, email: "out@example.com" }).returning())[0]!);
    expect((await refusal(inShop((tx) => previewCampaign(tx, id, { now: NOW, customerId: outsider.id })))).status).toBe(400);
  });

  it("only a draft is edited; approval by an owner records who and when and targets at once", async () => {
    const { id } = await inShop((tx) => createCampaign(tx, owner, input({ name: "Approved now" })));
    await inShop((tx) => updateCampaignDraft(tx, owner, id, input({ name: "Approved now", variants: [{ subject: "A", body: "One" }, { subject: "B", body: "Two", weight: 3 }] })));
    expect((await inShop((tx) => tx.select().from(variants).where(eq(variants.campaignId, id)))).map((v) => [v.key, v.weight])).toEqual([["A", 1], ["B", 3]]);
    const approved = await inShop((tx) => approveCampaign(tx, owner, id, { now: NOW }));
    expect(approved.status).toBe("sending");
    expect(approved.targeting?.funnel).toMatchObject({ considered: 3, queued: 2 });
    const [c] = await inShop((tx) => tx.select().from(campaigns).where(eq(campaigns.id, id)));
    expect(c).toMatchObject({ status: "sending", approvedBy: owner.userId, approvedAt: NOW });
    expect(await inShop((tx) => tx.select().from(sends).where(eq(sends.campaignId, id)))).toHaveLength(2);
    expect((await refusal(inShop((tx) => approveCampaign(tx, owner, id, { now: NOW })))).status).toBe(409);
    expect((await refusal(inShop((tx) => updateCampaignDraft(tx, owner, id, input())))).status).toBe(409);
    // Pause and resume; done only once nothing is left queued.
    expect((await refusal(inShop((tx) => pauseCampaign(tx, viewer, id)))).status).toBe(403);
    await inShop((tx) => pauseCampaign(tx, owner, id));
    expect((await refusal(inShop((tx) => markCampaignDone(tx, owner, id)))).message).toContain("2 messages are still waiting");
    await inShop((tx) => resumeCampaign(tx, owner, id));
    const [resumed] = await inShop((tx) => tx.select().from(campaigns).where(eq(campaigns.id, id)));
    expect(resumed).toMatchObject({ status: "sending", pausedReason: null });
  });

  it("a scheduled campaign is targeted by the worker when due, not before", async () => {
    const at = new Date(NOW.getTime() + 3_600_000);
    const { id } = await inShop((tx) => createCampaign(tx, owner, input({ name: "Scheduled", scheduledAt: at.toISOString(), variants: [{ subject: "Scheduled hello", body: "Hi" }] })));
    const approved = await inShop((tx) => approveCampaign(tx, owner, id, { now: NOW }));
    expect(approved).toEqual({ status: "approved", targeting: null });
    // Other campaigns' messages are sent meanwhile; this one has none yet.
    await runWorker({ database, once: true, transports, now: () => NOW, pollMs: 10 });
    expect(await inShop((tx) => tx.select().from(sends).where(eq(sends.campaignId, id)))).toHaveLength(0);
    expect(outbox.filter((m) => m.subject === "Scheduled hello")).toHaveLength(0);

    const later = new Date(at.getTime() + 60_000);
    await runWorker({ database, once: true, transports, now: () => later, pollMs: 10 });
    const [c] = await inShop((tx) => tx.select().from(campaigns).where(eq(campaigns.id, id)));
    expect(c!.status).toBe("sending");
    const sent = await inShop((tx) => tx.select().from(sends).where(eq(sends.campaignId, id)));
    expect(sent.map((s) => s.status).sort()).toEqual(["sent", "sent"]);
    expect(outbox.filter((m) => m.subject === "Scheduled hello").map((m) => m.to).sort()).toEqual(["ana@example.com", "ben@example.com"]);
    // A second pass targets nothing again.
    await runWorker({ database, once: true, transports, now: () => later, pollMs: 10 });
    const runs = await inShop((tx) => queryRows<{ n: number }>(tx, sql`select count(*)::int as n from campaign_runs where campaign_id = ${id}::uuid`));
    expect(runs[0]!.n).toBe(1);
    await inShop((tx) => markCampaignDone(tx, owner, id));
    const [done] = await inShop((tx) => tx.select().from(campaigns).where(eq(campaigns.id, id)));
    expect(done!.status).toBe("done");

    // What the campaign pages read: counts, the run's funnel and arms, decisions and messages.
    const detail = await inShop((tx) => getCampaignDetail(tx, id));
    expect(detail.counts).toMatchObject({ queued: 0, sent: 2, skipped: 0, optOuts: 0, optOutRate: 0 });
    expect(detail.latestRun?.steps.map((s) => s.customers)).toEqual([3, 2, 2, 2, 2]);
    expect(detail.latestRun?.arms.variants.map((v) => v.customers)).toEqual([2]);
    expect(detail.decisions.map((d) => d.reason).sort()).toEqual(["message queued", "message queued", "no current yes for this channel and purpose"]);
    expect(detail.sends.map((s) => s.status)).toEqual(["sent", "sent"]);
    const listed = (await inShop(listCampaigns)).find((c) => c.id === id);
    expect(listed).toMatchObject({ status: "done", segmentName: "Everyone", counts: { sent: 2, queued: 0 } });
  });

  it("a scheduled campaign whose segment is gone pauses with the reason instead of stopping the worker", async () => {
    const [seg] = await inShop((tx) => tx.insert(segments).values({ shopId, key: "custom-gone", name: "Gone", kind: "custom", rules: {} }).returning({ id: segments.id }));
    const { id } = await inShop((tx) => createCampaign(tx, owner, input({ name: "Orphan", segmentId: seg!.id, scheduledAt: NOW.toISOString() })));
    await inShop(async (tx) => {
      await tx.update(campaigns).set({ scheduledAt: new Date(NOW.getTime() + 1000) }).where(eq(campaigns.id, id));
      await approveCampaign(tx, owner, id, { now: NOW });
      await tx.delete(segments).where(eq(segments.id, seg!.id));
    });
    await runWorker({ database, once: true, transports, now: () => new Date(NOW.getTime() + 60_000), pollMs: 10 });
    const [c] = await inShop((tx) => tx.select().from(campaigns).where(eq(campaigns.id, id)));
    expect(c!.status).toBe("paused");
    expect(c!.pausedReason).toContain("Not sent at its scheduled time");
  });
});
