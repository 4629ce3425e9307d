// API keys of a shop: created with a name and shown once, stored only as a hash, revoked for good.
import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import { apiKeys } from "../db/schema";
import { currentShopId, type ShopTx } from "../db/tenant";
import { AppError, notFound } from "../errors";
import { newApiKey } from "./credentials";

export const ApiKeyNameSchema = z.string().trim().min(1, "Give the key a name, e.g. the system that uses it.").max(80, "Use at most 80 characters.");

export async function listApiKeys(tx: ShopTx) {
  return tx
    .select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, createdAt: apiKeys.createdAt, lastUsedAt: apiKeys.lastUsedAt, revokedAt: apiKeys.revokedAt })
    .from(apiKeys)
    .orderBy(desc(apiKeys.createdAt));
}

/** Creates a key; the returned `key` is the only time it is ever visible. */
export async function createApiKey(tx: ShopTx, name: string): Promise<{ id: string; key: string }> {
  const parsed = ApiKeyNameSchema.safeParse(name);
  if (!parsed.success) throw new AppError("invalid_input", parsed.error.issues[0]!.message, { fields: [{ field: "name", message: parsed.error.issues[0]!.message }] });
  const key = newApiKey();
  const [row] = await tx
    .insert(apiKeys)
    .values({ shopId: await currentShopId(tx), name: parsed.data, prefix: key.prefix, keyHash: key.hash })
    .returning({ id: apiKeys.id });
  return { id: row!.id, key: key.key };
}

export async function revokeApiKey(tx: ShopTx, id: string): Promise<void> {
  if (!z.uuid().safeParse(id).success) throw notFound("API key");
  const revoked = await tx.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, id)).returning({ id: apiKeys.id });
  if (revoked.length === 0) throw notFound("API key");
}
