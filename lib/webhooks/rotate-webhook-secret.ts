// Rotating the shop's webhook secret: a new secret (shown to the owner once), while the previous
// one keeps working for a grace period so the sender can switch over. At most two are active: a
// rotation retires every older one at once.
import { desc, eq, gt, isNull, or } from "drizzle-orm";
import { webhookSecrets } from "../db/schema";
import { currentShopId, type ShopTx } from "../db/tenant";
import { newWebhookSecret } from "../shops/credentials";

export const ROTATION_GRACE_HOURS = 24;

export interface WebhookSecretInfo {
  id: string;
  createdAt: Date;
  /** When it stops working (null: until the next rotation). */
  expiresAt: Date | null;
  /** The first characters, to tell secrets apart; the secret itself is shown only when created. */
  hint: string;
}

export async function rotateWebhookSecret(tx: ShopTx, now = new Date()): Promise<{ secret: string; expiresPrevious: Date | null }> {
  const shopId = await currentShopId(tx);
  const active = await tx.select().from(webhookSecrets)
    .where(or(isNull(webhookSecrets.revokedAt), gt(webhookSecrets.revokedAt, now))).orderBy(desc(webhookSecrets.createdAt)).for("update");
  const grace = new Date(now.getTime() + ROTATION_GRACE_HOURS * 3_600_000);
  const [newest, ...older] = active;
  // The one in use until now keeps working through the grace period (or until it ends, if sooner)…
  let expiresPrevious: Date | null = null;
  if (newest) {
    expiresPrevious = newest.revokedAt && newest.revokedAt < grace ? newest.revokedAt : grace;
    await tx.update(webhookSecrets).set({ revokedAt: expiresPrevious }).where(eq(webhookSecrets.id, newest.id));
  }
  // …and any older one stops now, so no more than two are ever active.
  for (const old of older) await tx.update(webhookSecrets).set({ revokedAt: now }).where(eq(webhookSecrets.id, old.id));
  const secret = newWebhookSecret();
  await tx.insert(webhookSecrets).values({ shopId, secret, createdAt: now });
  return { secret, expiresPrevious };
}

export async function listWebhookSecrets(tx: ShopTx, now = new Date()): Promise<WebhookSecretInfo[]> {
  const rows = await tx.select().from(webhookSecrets)
    .where(or(isNull(webhookSecrets.revokedAt), gt(webhookSecrets.revokedAt, now))).orderBy(desc(webhookSecrets.createdAt));
  return rows.map((r) => ({ id: r.id, createdAt: r.createdAt, expiresAt: r.revokedAt, hint: `${r.secret.slice(0, 10)}…` }));
}
