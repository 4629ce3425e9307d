import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { makeShop } from "../../test/factories";
import { startSmtpInbox, type SmtpInbox } from "../../test/smtp-inbox";
import { queryRows, type Database } from "../db/client";
import { campaigns, consentState, customers, orderItems, orders, products, segmentMembers, segments, sends, shops, variants } from "../db/schema";
import { withShop, type ShopTx } from "../db/tenant";
import { recordConsentEvents } from "../consent/record-consent-events";
import type { ConsentEventInput } from "../consent/schemas";
import { readEnv } from "../env";
import { closeMailPools, sendMail } from "../mail/send-mail";
import { verifyPrivacyToken } from "../privacy/tokens";
import { deliverSend } from "./deliver-send";
import { checkOptOutGuardrail } from "./opt-out-guardrail";
import { runWorker } from "./run-worker";
import { targetAudience } from "./target-audience";

const NOW = new Date("2026-06-10T12:00:00Z");
const APP = "http://localhost:3999";

describe.each(engines())("sending queued messages on $name", (engine) => {
  let database: Database;
  let inbox: SmtpInbox;
  let shopId: string;
  let segmentId: string;
  const inShop = <T>(fn: (tx: ShopTx) => Promise<T>) => withShop(shopId, fn, database);
  const smsOut: { to: string; body: string; idempotencyKey: string }[] = [];
  let failMail = false;
  const transports = {
    mail: async (m: Parameters<typeof sendMail>[0]) => {
      if (failMail) throw new Error("connect ECONNREFUSED 127.0.0.1:25");
      return sendMail(m, { ...readEnv(), SMTP_URL: inbox.url, APP_URL: APP });
    },
    sms: async (m: { to: string; body: string; idempotencyKey: string }) => void smsOut.push(m),
  };
  const grant = (customerId: string, channel: "email" | "sms", action: "grant" | "withdraw" = "grant", at = "2026-03-03T10:00:00Z"): ConsentEventInput => ({
    customerId, channel, purpose: "marketing", action, method: "checkout", actorType: "customer", evidence: { form: "checkout" }, occurredAt: new Date(at),
  });

  async function queue(channel: "email" | "sms", customerIds: string[], body = "Hi {{first_name|there}},\n\nHow is the {{last_order_product}}?") {
    const campaign = await inShop(async (tx) => {
      const [c] = await tx.insert(campaigns).values({ shopId, name: `To ${channel}`, channel, purpose: "marketing", segmentId, status: "approved", holdoutPct: 0 }).returning();
      await tx.insert(variants).values({ shopId, campaignId: c!.id, key: "A", subject: "We miss you, {{first_name|friend}}", body });
      return c!;
    });
    await inShop((tx) => targetAudience(tx, campaign.id, { trigger: "manual", now: NOW, customerIds }));
    return campaign;
  }
  const sendsOf = (campaignId: string) => inShop((tx) => tx.select().from(sends).where(eq(sends.campaignId, campaignId)).orderBy(sends.customerId));
  const work = () => runWorker({ database, once: true, transports, now: () => NOW, pollMs: 10, appUrl: APP });

  beforeAll(async () => {
    process.env.AUTH_SECRET ??= "a test secret that is long enough to sign links";
    database = await engine.open();
    inbox = await startSmtpInbox();
    ({ shopId } = await makeShop(database, "Sending shop"));
    await inShop(async (tx) => {
      await tx.update(shops).set({ timeZone: "Europe/London", quietHoursStart: 22, quietHoursEnd: 7 }).where(eq(shops.id, shopId));
      const [seg] = await tx.insert(segments).values({ shopId, key: "custom-all", name: "Everyone", kind: "custom", rules: {} }).returning({ id: segments.id });
      segmentId = seg!.id;
    });
  });
  afterAll(async () => {
    closeMailPools();
    await inbox.close();
    await database.close();
  });

  async function customer(values: Partial<typeof customers.$inferInsert>, channels: ("email" | "sms")[] = ["email"]) {
    return inShop(async (tx) => {
      const [c] = await tx.insert(customers).values({ shopId, ...values }).returning();
      await tx.insert(segmentMembers).values({ shopId, segmentId, customerId: c!.id });
      await recordConsentEvents(tx, channels.map((ch) => grant(c!.id, ch)), { now: NOW });
      return c!;
    });
  }

  it("sends each message once, with the links, headers and receipt a customer and an auditor need", async () => {
    const ana = await customer({ email: "ana@example.com", firstName: "Ana" });
    await inShop(async (tx) => {
      const [o] = await tx.insert(orders).values({ shopId, customerId: ana.id, externalId: "A-1", placedAt: new Date("2026-05-01T10:00:00Z"), totalMinor: 1200, currency: "EUR" }).returning();
      await tx.insert(orderItems).values({ shopId, orderId: o!.id, name: "Inner tube", quantity: 1, priceMinor: 1200 });
    });
    const campaign = await queue("email", [ana.id]);
    const before = inbox.mails.length;
    const tally = await work();
    expect(tally.sent).toBe(1);
    const mail = inbox.mails.slice(before);
    expect(mail).toHaveLength(1);
    const [sent] = await sendsOf(campaign.id);
    expect(sent).toMatchObject({ status: "sent", claimedBy: null, attempts: 1 });
    expect(mail[0]!.to).toBe("ana@example.com");
    expect(mail[0]!.header("Subject")).toBe("We miss you, Ana");
    expect(mail[0]!.messageId).toBe(`<${sent!.id}@localhost>`);
    expect(sent!.messageId).toBe(mail[0]!.messageId);
    expect(mail[0]!.text).toContain("How is the Inner tube?");
    expect(mail[0]!.text).toContain("Why you got this: You are in our \"Everyone\" group and said yes to offers and news by email on 3 Mar 2026.");
    // RFC 8058: an https-style unsubscribe URL naming this send, and the one-click header.
    expect(mail[0]!.header("List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    const url = mail[0]!.header("List-Unsubscribe")!.match(/^<(.+)>$/)![1]!;
    expect(url.startsWith(`${APP}/u/`)).toBe(true);
    expect(verifyPrivacyToken(url.slice(`${APP}/u/`.length), "unsubscribe", { now: NOW })).toMatchObject({ shopId, customerId: ana.id, channel: "email", sendId: sent!.id });
    // The receipt is the grant in force when it went out.
    const [state] = await inShop((tx) => tx.select().from(consentState).where(eq(consentState.customerId, ana.id)));
    expect([sent!.consentEventId, sent!.consentHash]).toEqual([state!.eventId, state!.eventHash]);
    // Nothing is due any more: a second pass sends nothing.
    expect((await work()).sent).toBe(0);
    expect(inbox.mails.length).toBe(before + 1);
  });

  it("fills {{recommended_products}} from what others bought with what the customer bought", async () => {
    const gus = await customer({ email: "gus@example.com" });
    await inShop(async (tx) => {
      const [tube, pump] = await tx.insert(products).values([{ shopId, externalId: "P-TUBE", name: "Tube", category: "Parts" }, { shopId, externalId: "P-PUMP", name: "Floor pump", category: "Tools" }]).returning();
      const [other] = await tx.insert(customers).values({ shopId, email: "other@example.com" }).returning();
      const line = (orderId: string, p: typeof tube) => ({ shopId, orderId, productId: p!.id, name: p!.name, category: p!.category, quantity: 1, priceMinor: 900 });
      const [o1] = await tx.insert(orders).values({ shopId, customerId: other!.id, externalId: "R-1", placedAt: new Date("2026-05-02T10:00:00Z"), totalMinor: 1800, currency: "EUR" }).returning();
      await tx.insert(orderItems).values([line(o1!.id, tube), line(o1!.id, pump)]);
      const [o2] = await tx.insert(orders).values({ shopId, customerId: gus.id, externalId: "R-2", placedAt: new Date("2026-05-03T10:00:00Z"), totalMinor: 900, currency: "EUR" }).returning();
      await tx.insert(orderItems).values([line(o2!.id, tube)]);
    });
    await queue("email", [gus.id], "Hi,\n\nYou may like:{{recommended_products}}");
    const before = inbox.mails.length;
    expect((await work()).sent).toBe(1);
    expect(inbox.mails.slice(before)[0]!.text).toContain("You may like:\n- Floor pump\n");
  });

  it("checks again at sending: a withdrawal or an erasure after the audience was built stops the message", async () => {
    const ben = await customer({ email: "ben@example.com" });
    const cat = await customer({ email: "cat@example.com" });
    const campaign = await queue("email", [ben.id, cat.id]);
    await inShop(async (tx) => {
      await recordConsentEvents(tx, [grant(ben.id, "email", "withdraw", "2026-06-10T11:00:00Z")], { now: NOW });
      await tx.update(customers).set({ email: null, erasedAt: NOW }).where(eq(customers.id, cat.id));
    });
    const before = inbox.mails.length;
    expect(await work()).toMatchObject({ sent: 0, skipped: 2 });
    expect(inbox.mails.length).toBe(before);
    expect((await sendsOf(campaign.id)).map((s) => [s.customerId, s.status, s.skipReason])).toEqual(
      [[ben.id, "skipped", "no_consent"], [cat.id, "skipped", "erased"]].sort((a, b) => a[0]!.localeCompare(b[0]!)),
    );
  });

  it("waits while the campaign is paused, retries a failing server with a growing pause, and gives up after five attempts", async () => {
    const dan = await customer({ email: "dan@example.com" });
    const campaign = await queue("email", [dan.id]);
    await inShop((tx) => tx.update(campaigns).set({ status: "paused" }).where(eq(campaigns.id, campaign.id)));
    expect(await work()).toMatchObject({ sent: 0, released: 0 });
    expect((await sendsOf(campaign.id))[0]).toMatchObject({ status: "queued", attempts: 0 });
    // Paused between a worker taking the message and sending it: handed back, untouched.
    await inShop((tx) => tx.update(sends).set({ status: "sending", claimedBy: "w1", claimedAt: NOW, attempts: 1 }).where(eq(sends.campaignId, campaign.id)));
    const [taken] = await sendsOf(campaign.id);
    expect(await deliverSend(database, shopId, taken!.id, { workerId: "w1", now: () => NOW, transports, appUrl: APP })).toEqual({ status: "released" });
    expect(await deliverSend(database, shopId, taken!.id, { workerId: "w2", now: () => NOW, transports, appUrl: APP })).toEqual({ status: "not_ours" });
    expect((await sendsOf(campaign.id))[0]).toMatchObject({ status: "queued", attempts: 0, claimedBy: null });

    await inShop((tx) => tx.update(campaigns).set({ status: "sending" }).where(eq(campaigns.id, campaign.id)));
    failMail = true;
    try {
      const waits: number[] = [];
      for (let attempt = 1; attempt <= 5; attempt++) {
        const [s] = await sendsOf(campaign.id);
        // Due again: the test moves the clock past the pause the previous failure set.
        const due = new Date(Math.max(NOW.getTime(), s!.sendAfter.getTime()));
        const tally = await runWorker({ database, once: true, transports, now: () => due, appUrl: APP });
        const [after] = await sendsOf(campaign.id);
        if (attempt < 5) {
          expect(tally.retry).toBe(1);
          expect(after).toMatchObject({ status: "queued", attempts: attempt, lastError: "connect ECONNREFUSED 127.0.0.1:25" });
          waits.push((after!.sendAfter.getTime() - due.getTime()) / 60_000);
        } else {
          expect(tally.failed).toBe(1);
          expect(after).toMatchObject({ status: "failed", attempts: 5 });
        }
      }
      expect(waits).toEqual([1, 2, 4, 8]);
    } finally {
      failMail = false;
    }
  });

  it("takes over a message whose worker stopped holding it once the lease has run out, and not before", async () => {
    const fay = await customer({ email: "fay@example.com" });
    const campaign = await queue("email", [fay.id]);
    const taken = new Date(NOW.getTime() - 60_000);
    await inShop((tx) => tx.update(sends).set({ status: "sending", claimedBy: "stopped-worker", claimedAt: taken, attempts: 1 }).where(eq(sends.campaignId, campaign.id)));
    expect((await runWorker({ database, once: true, transports, now: () => NOW, appUrl: APP, leaseMs: 120_000 })).sent).toBe(0);
    expect((await runWorker({ database, once: true, transports, now: () => NOW, appUrl: APP, leaseMs: 30_000 })).sent).toBe(1);
    expect((await sendsOf(campaign.id))[0]).toMatchObject({ status: "sent", attempts: 2, claimedBy: null });
  });

  it("keeps going when a message fails unexpectedly: it waits and is tried again, and a customer's odd language does not stop it", async () => {
    const hal = await customer({ email: "hal@example.com", locale: "en_GB!!" });
    await inShop(async (tx) => {
      const [o] = await tx.insert(orders).values({ shopId, customerId: hal.id, externalId: "H-1", placedAt: new Date("2026-05-04T10:00:00Z"), totalMinor: 500, currency: "EUR" }).returning();
      await tx.insert(orderItems).values({ shopId, orderId: o!.id, name: "Bell", quantity: 1, priceMinor: 500 });
    });
    const campaign = await queue("email", [hal.id], "Your order of {{last_order_date}}.");
    const secret = process.env.AUTH_SECRET;
    delete process.env.AUTH_SECRET; // links cannot be signed: an error no mail server caused
    try {
      expect((await work()).retry).toBe(1);
    } finally {
      process.env.AUTH_SECRET = secret;
    }
    const [waiting] = await sendsOf(campaign.id);
    expect(waiting).toMatchObject({ status: "queued", claimedBy: null, attempts: 1 });
    expect(waiting!.lastError).toMatch(/^Unexpected: AUTH_SECRET/);
    expect(waiting!.sendAfter.toISOString()).toBe(new Date(NOW.getTime() + 5 * 60_000).toISOString());
    const later = new Date(NOW.getTime() + 6 * 60_000);
    const before = inbox.mails.length;
    expect((await runWorker({ database, once: true, transports, now: () => later, appUrl: APP })).sent).toBe(1);
    expect(inbox.mails.slice(before)[0]!.text).toContain("Your order of 4 May 2026.");
  });

  it("sends a text message with why and the opt-out link, to the customer's phone", async () => {
    const eve = await customer({ phone: "+447700900123", firstName: "Eve" }, ["sms"]);
    const campaign = await queue("sms", [eve.id], "Group ride Saturday 9:00, {{first_name}}!");
    expect((await work()).sent).toBe(1);
    const [sent] = await sendsOf(campaign.id);
    const sms = smsOut.find((m) => m.idempotencyKey === sent!.idempotencyKey)!;
    expect(sms.to).toBe("+447700900123");
    expect(sms.body).toMatch(/^Group ride Saturday 9:00, Eve!\n\nWhy: You are in our "Everyone" group and said yes to offers and news by text message on 3 Mar 2026\.\n\nStop: http:\/\/localhost:3999\/u\/[A-Za-z0-9_-]+$/);
  });

  it("pauses a campaign whose messages make too many people opt out, saying why", async () => {
    const people = await Promise.all(Array.from({ length: 20 }, (_, i) => customer({ email: `many-${i}@example.com` })));
    const campaign = await queue("email", people.map((p) => p.id));
    await inShop((tx) => tx.update(campaigns).set({ optOutThresholdBp: 1000, optOutMinCount: 3 }).where(eq(campaigns.id, campaign.id)));
    await work();
    const sent = await sendsOf(campaign.id);
    expect(sent.every((s) => s.status === "sent")).toBe(true);
    const unsubscribe = (s: (typeof sent)[number]): ConsentEventInput => ({
      customerId: s.customerId, channel: "email", purpose: "marketing", action: "withdraw", method: "one_click_unsubscribe", actorType: "customer", evidence: { sendId: s.id }, occurredAt: NOW,
    });
    // 2 of 20 (10 %): at the limit, and below the minimum count.
    await inShop((tx) => recordConsentEvents(tx, sent.slice(0, 2).map(unsubscribe), { now: NOW }));
    expect(await inShop((tx) => checkOptOutGuardrail(tx, campaign.id))).toMatchObject({ delivered: 20, optOuts: 2, paused: false });
    await inShop((tx) => recordConsentEvents(tx, sent.slice(2, 3).map(unsubscribe), { now: NOW }));
    expect(await inShop((tx) => checkOptOutGuardrail(tx, campaign.id))).toMatchObject({ delivered: 20, optOuts: 3, rate: 0.15, paused: true });
    const [c] = await inShop((tx) => tx.select().from(campaigns).where(eq(campaigns.id, campaign.id)));
    expect(c!.status).toBe("paused");
    expect(c!.pausedReason).toBe("Paused by the opt-out guardrail: 3 of 20 people who got it opted out (15 %), above your limit of 10 %. Check the message and its audience before resuming.");
    const [n] = await inShop((tx) => queryRows<{ n: number }>(tx, sql`select count(*)::int as n from sends where campaign_id = ${campaign.id}::uuid and status = 'sent'`));
    expect(n!.n).toBe(20);
  });
});
