// The API's rate limit: at most API_REQUESTS_PER_MINUTE per key in each calendar minute, counted
// in the database so every instance sees the same count.
import { sql } from "drizzle-orm";
import { apiUsage } from "../db/schema";
import type { ShopTx } from "../db/tenant";
import { AppError } from "../errors";

export const API_REQUESTS_PER_MINUTE = 120;

export async function takeApiRequest(tx: ShopTx, caller: { shopId: string; keyId: string }, now = new Date(), limit = API_REQUESTS_PER_MINUTE) {
  const windowStart = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const [row] = await tx
    .insert(apiUsage)
    .values({ shopId: caller.shopId, keyId: caller.keyId, windowStart, requests: 1 })
    .onConflictDoUpdate({ target: [apiUsage.shopId, apiUsage.keyId, apiUsage.windowStart], set: { requests: sql`${apiUsage.requests} + 1` } })
    .returning({ requests: apiUsage.requests });
  const used = row?.requests ?? 1;
  if (used > limit) {
    const retryAfter = Math.max(1, Math.ceil((windowStart.getTime() + 60_000 - now.getTime()) / 1000));
    throw new AppError("rate_limited", `More than ${limit} requests in a minute with this key. Retry after ${retryAfter} s.`, { retryAfter });
  }
  return { limit, remaining: limit - used };
}
