// Sends an email through the SMTP server of SMTP_URL, the same one the sign-in links use. Without
// one, the message is written as an .eml file under .data/outbox, so a demo works offline and the
// operator can still open what would have been sent.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import nodemailer from "nodemailer";
import { readEnv } from "../env";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export type MailDelivery = { via: "smtp" } | { via: "file"; file: string };

export const outboxDir = () => path.resolve(process.env.REGULARS_ROOT ?? process.cwd(), ".data/outbox");

export async function sendMail(message: MailMessage, env = readEnv()): Promise<MailDelivery> {
  const mail = { from: env.MAIL_FROM, ...message };
  if (env.SMTP_URL) {
    await nodemailer.createTransport(env.SMTP_URL).sendMail(mail);
    return { via: "smtp" };
  }
  const built = await nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" }).sendMail(mail);
  fs.mkdirSync(outboxDir(), { recursive: true });
  const file = path.join(outboxDir(), `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomUUID()}.eml`);
  fs.writeFileSync(file, built.message as Buffer);
  return { via: "file", file };
}
