// The webhook verifier (Standard Webhooks): the signature is an HMAC-SHA256 of "id.timestamp.body"
// with one of the shop's active secrets (two while a rotation's grace period runs), compared in
// constant time, and the timestamp must lie within five minutes of now. Every refusal is the same
// answer, and an unknown shop costs the same work as a known one, so nothing tells them apart.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { gt, isNull, or } from "drizzle-orm";
import { webhookSecrets } from "../db/schema";
import type { ShopTx } from "../db/tenant";
import { AppError } from "../errors";

export const TOLERANCE_SECONDS = 5 * 60;
export const BAD_SIGNATURE =
  "The webhook could not be verified: send webhook-id, webhook-timestamp (seconds, within 5 minutes of now) and webhook-signature (v1,<base64 HMAC-SHA256 of id.timestamp.body with the shop's secret>).";

export interface WebhookHeaders {
  id: string | null;
  timestamp: string | null;
  signature: string | null;
}

const keyOf = (secret: string) => Buffer.from(secret.startsWith("whsec_") ? secret.slice(6) : secret, "base64");

/** The signature header value a sender writes: v1,<base64 HMAC-SHA256 of "id.timestamp.body">. */
export function signWebhook(secret: string, id: string, timestamp: number | string, body: string): string {
  return `v1,${createHmac("sha256", keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

/**
 * Whether the headers carry a signature of the body by one of the secrets, at a time within the
 * tolerance. Pure: every secret is tried against every signature, so the work does not depend on
 * which (if any) matched.
 */
export function signatureMatches(secrets: readonly string[], headers: WebhookHeaders, body: string, now: Date): boolean {
  const { id, timestamp, signature } = headers;
  const keys = secrets.length > 0 ? secrets : [`whsec_${randomBytes(24).toString("base64")}`];
  const ts = timestamp !== null && /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : NaN;
  const fresh = Number.isFinite(ts) && Math.abs(now.getTime() / 1000 - ts) <= TOLERANCE_SECONDS;
  const given = (signature ?? "").split(" ").filter((s) => s.startsWith("v1,")).map((s) => Buffer.from(s.slice(3), "base64"));
  let matched = false;
  for (const secret of keys) {
    const expected = createHmac("sha256", keyOf(secret)).update(`${id ?? ""}.${timestamp ?? ""}.${body}`).digest();
    for (const g of given) {
      if (g.length === expected.length && timingSafeEqual(g, expected)) matched = true;
    }
  }
  return matched && fresh && secrets.length > 0 && !!id && id.length <= 200;
}

/** The shop's active secrets, newest first (none for a shop that does not exist). */
export async function activeSecrets(tx: ShopTx, now = new Date()): Promise<string[]> {
  const rows = await tx.select({ secret: webhookSecrets.secret, createdAt: webhookSecrets.createdAt }).from(webhookSecrets)
    .where(or(isNull(webhookSecrets.revokedAt), gt(webhookSecrets.revokedAt, now)));
  return rows.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).slice(0, 2).map((r) => r.secret);
}

/**
 * Throws invalid_signature (401) unless the delivery is signed by one of the shop's active secrets
 * and fresh. Runs in the transaction that then applies the delivery, so a refusal writes nothing.
 */
export async function verifyWebhook(tx: ShopTx, headers: WebhookHeaders, body: string, now = new Date()): Promise<void> {
  if (!signatureMatches(await activeSecrets(tx, now), headers, body, now)) throw new AppError("invalid_signature", BAD_SIGNATURE);
}

/** The same refusal, after the same HMAC work, for a shop id that cannot name any shop. */
export function refuseUnknownShop(headers: WebhookHeaders, body: string, now = new Date()): never {
  signatureMatches([], headers, body, now);
  throw new AppError("invalid_signature", BAD_SIGNATURE);
}
