// Sends an email through the SMTP server of SMTP_URL, the same one the sign-in links use. Without
// one, the message is written as an .eml file under .data/outbox, so a demo works offline and the
// operator can still open what would have been sent. Connections to the server are pooled (one
// pool per SMTP_URL for the life of the process): campaigns send thousands of messages, and a new
// connection and greeting per message would cost more than the message.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
import { readEnv } from "../env";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Extra headers, e.g. List-Unsubscribe and List-Unsubscribe-Post (RFC 8058). */
  headers?: Record<string, string>;
  /** A fixed Message-ID (with its angle brackets), so the same message sent twice is one message to the mailbox. */
  messageId?: string;
}

export type MailDelivery = { via: "smtp" } | { via: "file"; file: string };

export const outboxDir = () => path.resolve(process.env.REGULARS_ROOT ?? process.cwd(), ".data/outbox");

const pools = new Map<string, Transporter>();

function smtp(url: string): Transporter {
  let pool = pools.get(url);
  if (!pool) {
    // The URL's own query may set pool options too; these are the defaults under it.
    const u = new URL(url);
    if (!u.searchParams.has("pool")) u.searchParams.set("pool", "true");
    if (!u.searchParams.has("maxConnections")) u.searchParams.set("maxConnections", "4");
    pool = nodemailer.createTransport(u.toString());
    pools.set(url, pool);
  }
  return pool;
}

/** Closes the pooled connections (a worker stopping, a test ending). */
export function closeMailPools(): void {
  for (const pool of pools.values()) pool.close();
  pools.clear();
}

export async function sendMail(message: MailMessage, env = readEnv()): Promise<MailDelivery> {
  const mail = { from: env.MAIL_FROM, ...message };
  if (env.SMTP_URL) {
    await smtp(env.SMTP_URL).sendMail(mail);
    return { via: "smtp" };
  }
  const built = await nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" }).sendMail(mail);
  fs.mkdirSync(outboxDir(), { recursive: true });
  const file = path.join(outboxDir(), `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomUUID()}.eml`);
  fs.writeFileSync(file, built.message as Buffer);
  return { via: "file", file };
}
