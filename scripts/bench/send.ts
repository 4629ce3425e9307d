// `regulars bench send`: 10,000 queued emails sent by two workers (each re-checking consent and
// caps, rendering the message with its links, and recording the result) to an SMTP server in this
// process (smtp-server), against nodemailer sending the same 10,000 rendered messages straight to
// the same server through a pool of as many connections, in the same run. Reports messages per second of each and their
// ratio (Regulars ÷ nodemailer; higher is better).
import type { AddressInfo } from "node:net";
import nodemailer from "nodemailer";
import { SMTPServer } from "smtp-server";
import { campaigns, variants } from "../../lib/db/schema";
import { withShop } from "../../lib/db/tenant";
import { readEnv } from "../../lib/env";
import { closeMailPools, sendMail } from "../../lib/mail/send-mail";
import { runWorker } from "../../lib/campaigns/run-worker";
import { targetAudience } from "../../lib/campaigns/target-audience";
import { createShop } from "../../lib/shops/create-shop";
import { withBenchDatabase } from "./bench-database";

export interface SendBenchResult {
  name: "send";
  messages: number;
  workers: number;
  project_ms: number;
  baseline_ms: number;
  /** Regulars' messages per second over nodemailer's (target ≥ 0.5). */
  ratio: number;
  project_per_s: number;
  baseline_per_s: number;
  database: string;
  baseline: string;
}

export async function benchSend(options: { messages: number; workers: number; url: string; log: (s: string) => void }): Promise<SendBenchResult> {
  const { url, log } = options;
  process.env.AUTH_SECRET ??= "a benchmark secret that is long enough to sign links";
  let received = 0;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, _session, callback) {
      stream.on("data", () => {});
      stream.on("end", () => {
        received += 1;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;

  return withBenchDatabase(url, "send", async ({ database, raw }): Promise<SendBenchResult> => {
    const { shopId } = await createShop({ name: "Bench send", ownerEmail: `bench-${Date.now()}@example.com`, ownerPassword: "bench password 1" }, { database });
    log(`Queueing ${options.messages} emails…`);
    const segmentId = await raw.begin(async (q) => {
      await q`update shops set quiet_hours_start = 0, quiet_hours_end = 0 where id = ${shopId}::uuid`;
      await q`insert into customers (shop_id, id, external_id, email, first_name)
              select ${shopId}::uuid, gen_random_uuid(), 'C' || i, 'c' || i || '@example.com', 'Name ' || i from generate_series(1, ${options.messages}::int) i`;
      const [seg] = await q<{ id: string }[]>`insert into segments (shop_id, key, name, kind, rules) values (${shopId}::uuid, 'custom-everyone', 'Everyone', 'custom', '{}') returning id`;
      await q`insert into segment_members (shop_id, segment_id, customer_id) select ${shopId}::uuid, ${seg!.id}::uuid, id from customers where shop_id = ${shopId}::uuid`;
      await q`insert into consent_state (shop_id, customer_id, channel, purpose, granted, event_id, event_hash, updated_at)
              select ${shopId}::uuid, id, 'email', 'marketing', true, gen_random_uuid(), encode(sha256(id::text::bytea), 'hex'), now() - interval '30 days'
                from customers where shop_id = ${shopId}::uuid`;
      return seg!.id;
    });
    await withShop(shopId, async (tx) => {
      const [c] = await tx.insert(campaigns).values({ shopId, name: "Bench", channel: "email", purpose: "marketing", segmentId, status: "approved", holdoutPct: 0 }).returning({ id: campaigns.id });
      await tx.insert(variants).values({ shopId, campaignId: c!.id, key: "A", subject: "News for {{first_name}}", body: "Hello {{first_name}},\n\nSomething new at {{shop_name}}." });
      await targetAudience(tx, c!.id, { trigger: "bench" });
    }, database);
    await raw`analyze`;

    // The messages as the workers render them, for the baseline to send as they are. Each worker
    // process has a pool of 4 connections (lib/mail/send-mail.ts); the workers here share one
    // process, so its one pool gets 4 per worker — the baseline's number of connections.
    const env = { ...readEnv(), SMTP_URL: `${smtpUrl}?maxConnections=${4 * options.workers}` };
    const rendered: Parameters<typeof sendMail>[0][] = [];
    log(`Regulars: ${options.workers} workers sending…`);
    const transports = {
      mail: (m: Parameters<typeof sendMail>[0]) => {
        rendered.push(m);
        return sendMail(m, env);
      },
      sms: async () => {},
    };
    let t = performance.now();
    await Promise.all(Array.from({ length: options.workers }, () => runWorker({ database, once: true, transports, batch: 100 })));
    const projectMs = performance.now() - t;
    if (received !== options.messages) throw new Error(`The workers delivered ${received} of ${options.messages} messages`);
    closeMailPools();

    log("Baseline: nodemailer with a pool, the same messages…");
    const pool = nodemailer.createTransport(`${smtpUrl}?pool=true&maxConnections=${4 * options.workers}`);
    received = 0;
    t = performance.now();
    const queue = [...rendered];
    await Promise.all(Array.from({ length: 4 * options.workers }, async () => {
      for (let m = queue.pop(); m; m = queue.pop()) await pool.sendMail({ from: env.MAIL_FROM, ...m });
    }));
    const baselineMs = performance.now() - t;
    pool.close();
    const perS = (ms: number) => Number(((options.messages * 1000) / ms).toFixed(1));
    return {
      name: "send",
      messages: options.messages,
      workers: options.workers,
      project_ms: Math.round(projectMs),
      baseline_ms: Math.round(baselineMs),
      ratio: Number((baselineMs / projectMs).toFixed(2)),
      project_per_s: perS(projectMs),
      baseline_per_s: perS(baselineMs),
      database: "postgres",
      baseline: "nodemailer.sendMail of the same rendered messages through one pool (4 connections per worker), no database",
    };
  }, { max: 2 * options.workers + 2 }).finally(async () => {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });
}
