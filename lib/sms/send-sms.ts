// Sends a text message through an SMS provider's HTTP API (SMS_URL, SMS_TOKEN): one POST of
// {to, body, idempotencyKey} as JSON. Providers that honour the key (most do, under this or a
// similar name) deliver a message sent twice after a crash only once. Without SMS_URL the message
// is written under .data/outbox as a .sms.txt file, like emails without SMTP_URL.
import fs from "node:fs";
import path from "node:path";
import { readEnv } from "../env";
import { outboxDir } from "../mail/send-mail";

export interface SmsMessage {
  /** E.164, as customers' phones are stored. */
  to: string;
  body: string;
  idempotencyKey: string;
}

export type SmsDelivery = { via: "http"; status: number } | { via: "file"; file: string };

export async function sendSms(message: SmsMessage, env = readEnv()): Promise<SmsDelivery> {
  if (env.SMS_URL) {
    const response = await fetch(env.SMS_URL, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": message.idempotencyKey, ...(env.SMS_TOKEN ? { authorization: `Bearer ${env.SMS_TOKEN}` } : {}) },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(15_000),
    });
    if (!response.ok) throw new Error(`The SMS provider answered ${response.status} ${response.statusText}`.trim());
    return { via: "http", status: response.status };
  }
  fs.mkdirSync(outboxDir(), { recursive: true });
  const file = path.join(outboxDir(), `${message.idempotencyKey.replace(/[^a-zA-Z0-9-]/g, "_")}.sms.txt`);
  fs.writeFileSync(file, `To: ${message.to}\n\n${message.body}\n`);
  return { via: "file", file };
}
