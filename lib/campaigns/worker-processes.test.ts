// Two real worker processes (`regulars worker`) against one Postgres and a real SMTP server; one is
// killed mid-batch. Every queued message must arrive, none may be lost, and a message that was in
// the killed worker's hands when it died may arrive a second time only as the same message (the
// same Message-ID, which mailboxes show once) — never as a different one.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { makeShop } from "../../test/factories";
import { startSmtpInbox, type SmtpInbox } from "../../test/smtp-inbox";
import { queryRows, type Database } from "../db/client";
import { campaigns, customers, segmentMembers, segments, sends, variants } from "../db/schema";
import { withShop } from "../db/tenant";
import { recordConsentEvents } from "../consent/record-consent-events";
import { targetAudience } from "./target-audience";

const postgres = engines().find((e) => e.name === "postgres");
const MESSAGES = 240;

describe.skipIf(!postgres)("two worker processes, one killed mid-batch", () => {
  let database: Database & { url?: string };
  let inbox: SmtpInbox;
  let shopId: string;
  let campaignId: string;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    database = await postgres!.open();
    inbox = await startSmtpInbox({ delayMs: 4 });
    ({ shopId } = await makeShop(database, "Workers shop"));
    const now = new Date();
    campaignId = await withShop(shopId, async (tx) => {
      const [seg] = await tx.insert(segments).values({ shopId, key: "custom-all", name: "Everyone", kind: "custom", rules: {} }).returning({ id: segments.id });
      const rows = await tx.insert(customers).values(Array.from({ length: MESSAGES }, (_, i) => ({ shopId, email: `reader-${i}@example.com` }))).returning({ id: customers.id });
      await tx.insert(segmentMembers).values(rows.map((r) => ({ shopId, segmentId: seg!.id, customerId: r.id })));
      await recordConsentEvents(tx, rows.map((r) => ({ customerId: r.id, channel: "email" as const, purpose: "marketing" as const, action: "grant" as const, method: "checkout" as const, actorType: "customer" as const, evidence: { form: "checkout" }, occurredAt: now })), { now });
      const [c] = await tx.insert(campaigns).values({ shopId, name: "Everyone", channel: "email", purpose: "marketing", segmentId: seg!.id, status: "approved", holdoutPct: 0 }).returning();
      await tx.insert(variants).values({ shopId, campaignId: c!.id, key: "A", subject: "News", body: "Hello." });
      // A quiet-hours-free shop, so every message is due now.
      await tx.execute(sql`update shops set quiet_hours_start = 0, quiet_hours_end = 0`);
      const result = await targetAudience(tx, c!.id, { trigger: "manual", now });
      expect(result.funnel.queued).toBe(MESSAGES);
      return c!.id;
    }, database);
  });

  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill("SIGKILL");
    await inbox?.close();
    await database?.close();
  });

  function startWorker(): Promise<ChildProcess> {
    const child = spawn(process.execPath, [path.resolve("scripts/regulars.mjs"), "worker"], {
      env: { ...process.env, DATABASE_URL: database.url, PGLITE_DIR: "", SMTP_URL: inbox.url, APP_URL: "http://localhost:3998", AUTH_SECRET: "a worker test secret that is long enough", WORKER_LEASE_MS: "2000" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    workers.push(child);
    return new Promise((resolve, reject) => {
      let err = "";
      child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
      child.stdout!.on("data", (d: Buffer) => d.toString().includes("sending queued messages") && resolve(child));
      child.on("exit", (code) => reject(new Error(`worker exited with ${code}: ${err}`)));
    });
  }

  const waitFor = async (what: string, done: () => boolean | Promise<boolean>, ms = 90_000) => {
    const until = Date.now() + ms;
    while (!(await done())) {
      if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  it("delivers every message, loses none, and never sends a different message twice", async () => {
    const first = await startWorker();
    await startWorker();
    await waitFor("the first messages", () => inbox.mails.length >= MESSAGES / 4);
    first.kill("SIGKILL");
    // There was work left for the other worker, including what the killed one had taken.
    expect(inbox.mails.length).toBeLessThan(MESSAGES);
    const sent = async () => {
      const [r] = await withShop(shopId, (tx) => queryRows<{ n: number }>(tx, sql`select count(*)::int as n from sends where campaign_id = ${campaignId}::uuid and status = 'sent'`), database);
      return r!.n === MESSAGES;
    };
    await waitFor("every message to be sent", sent);

    const rows = await withShop(shopId, (tx) => tx.select({ id: sends.id, status: sends.status, messageId: sends.messageId, customerId: sends.customerId }).from(sends).where(eq(sends.campaignId, campaignId)), database);
    expect(rows.every((r) => r.status === "sent")).toBe(true);
    const expected = new Set(rows.map((r) => `<${r.id}@localhost>`));
    const received = inbox.mails.map((m) => m.messageId!);
    // Nothing lost, nothing foreign.
    expect(new Set(received)).toEqual(expected);
    // At most the messages in the killed worker's hands (it sends 4 at a time) arrived again, each as the same message.
    const copies = new Map<string, number>();
    for (const id of received) copies.set(id, (copies.get(id) ?? 0) + 1);
    const twice = [...copies.values()].filter((n) => n > 1);
    expect(twice.length).toBeLessThanOrEqual(4);
    expect(twice.every((n) => n === 2)).toBe(true);
    expect(received.length).toBeLessThanOrEqual(MESSAGES + 4);
    // Each went to its own customer.
    const emailOf = new Map((await withShop(shopId, (tx) => tx.select({ id: customers.id, email: customers.email }).from(customers), database)).map((c) => [c.id, c.email]));
    for (const m of inbox.mails) {
      const row = rows.find((r) => `<${r.id}@localhost>` === m.messageId)!;
      expect(m.to).toBe(emailOf.get(row.customerId));
    }
  }, 180_000);
});
