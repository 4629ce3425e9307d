// Who is calling the REST API: a Bearer key, looked up by its hash. A missing, unknown or revoked
// key gets the same 401, so a caller cannot tell which.
import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "../db/client";
import { apiKeys } from "../db/schema";
import { withApiKeyHash, withShop } from "../db/tenant";
import { AppError } from "../errors";
import { hashApiKey } from "../shops/credentials";

export interface ApiCaller {
  shopId: string;
  keyId: string;
}

const UNAUTHORIZED = "Send a valid API key as Authorization: Bearer <key>. Keys are created in Settings.";

export async function authenticateApiKey(authorization: string | null, database?: Database): Promise<ApiCaller> {
  const key = /^Bearer\s+(rk_[A-Za-z0-9_-]{20,})\s*$/.exec(authorization ?? "")?.[1];
  if (!key) throw new AppError("unauthorized", UNAUTHORIZED);
  const hash = hashApiKey(key);
  const [row] = await withApiKeyHash(
    hash,
    (tx) => tx.select({ id: apiKeys.id, shopId: apiKeys.shopId }).from(apiKeys).where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt))),
    database,
  );
  if (!row) throw new AppError("unauthorized", UNAUTHORIZED);
  await withShop(row.shopId, (tx) => tx.update(apiKeys).set({ lastUsedAt: new Date() }).where(eq(apiKeys.id, row.id)), database);
  return { shopId: row.shopId, keyId: row.id };
}
