// A fixed-window request counter in the database (the API's per-key limit, generalised to any
// bucket): at most `limit` requests per bucket in each calendar minute, the same count for every
// app instance. Used by the public customer pages, per address and per link.
import { lt, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { rateLimitCounts } from "../db/schema";
import { AppError } from "../errors";

export interface RateLimit {
  bucket: string;
  limit: number;
}

/** Counts one request in each bucket; throws rate_limited (with retryAfter) when any is over its limit. */
export async function takeRateLimit(db: Db, limits: RateLimit[], now = new Date(), message = "Too many requests."): Promise<void> {
  const windowStart = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  let over = false;
  for (const { bucket, limit } of limits) {
    const [row] = await db
      .insert(rateLimitCounts)
      .values({ bucket, windowStart, hits: 1 })
      .onConflictDoUpdate({ target: [rateLimitCounts.bucket, rateLimitCounts.windowStart], set: { hits: sql`${rateLimitCounts.hits} + 1` } })
      .returning({ hits: rateLimitCounts.hits });
    const hits = row?.hits ?? 1;
    // The first request of a bucket's minute clears minutes long past, so the table stays small.
    if (hits === 1) await db.delete(rateLimitCounts).where(lt(rateLimitCounts.windowStart, new Date(windowStart.getTime() - 10 * 60_000)));
    if (hits > limit) over = true;
  }
  if (over) {
    const retryAfter = Math.max(1, Math.ceil((windowStart.getTime() + 60_000 - now.getTime()) / 1000));
    throw new AppError("rate_limited", message, { retryAfter });
  }
}
