// Recomputes the members of one query-built built-in segment (lib/segments/builtin-segments.ts) as of
// a given moment, the same statement the full refresh runs for it. The time-based automations need
// their segment as of today ("ordered 7 days ago" changes every day) without waiting for, or paying
// for, a full refresh that refits every score. Scored segments are left to the refresh: they need
// the fitted model.
import { eq, sql } from "drizzle-orm";
import { segments } from "../db/schema";
import { currentShopId, type ShopTx } from "../db/tenant";
import { BUILTIN_SEGMENTS, type QuerySegment } from "./builtin-segments";
import { lockShopSegments } from "./refresh-segments";
import { membersOf, writeMembers } from "./write-members";

export function querySegment(key: string): QuerySegment | null {
  const found = BUILTIN_SEGMENTS.find((s) => s.key === key);
  return found?.source === "query" ? found : null;
}

/** The segment's new size, or null when `key` is not a query-built built-in segment (nothing is written). */
export async function recomputeQuerySegment(tx: ShopTx, key: string, options: { now: Date }): Promise<number | null> {
  const segment = querySegment(key);
  if (!segment) return null;
  const shopId = await currentShopId(tx);
  // The refresh's lock: a refresh running now finishes first, and none rewrites these members under us.
  await lockShopSegments(tx, shopId);
  const computedAt = options.now.toISOString();
  const [row] = await tx.insert(segments).values({ shopId, key, name: segment.name, kind: "builtin" })
    .onConflictDoUpdate({ target: [segments.shopId, segments.key], set: { name: sql`excluded.name` } })
    .returning({ id: segments.id });
  const id = row!.id;
  const sizes = await writeMembers(tx, shopId, [id], membersOf(id, segment.members({ now: computedAt })));
  const size = sizes.get(id) ?? 0;
  await tx.update(segments).set({ size, refreshedAt: options.now }).where(eq(segments.id, id));
  return size;
}
