// Recomputes a shop's scores and every segment's members in one transaction, so the pages never
// show half a refresh. Refreshes of one shop queue behind each other (an advisory lock), and each
// is recorded with its trigger, outcome and the thresholds and model it used.
import { and, eq, inArray, notInArray, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { attributeDefinitions, segmentRefreshes, segments } from "../db/schema";
import { withShop, type ShopTx } from "../db/tenant";
import { AppError } from "../errors";
import { getShop } from "../shops/get-shop";
import { BUILTIN_SEGMENTS, type RefreshContext, type SegmentFamily } from "./builtin-segments";
import { membersQuery } from "./compile-rules";
import type { LifecycleThresholds } from "./lifecycle";
import { leaves, RuleGroupSchema } from "./rules";
import { scoreCustomers } from "./score-customers";
import type { ValueModelSummary } from "./shop-value-model";

/** The per-shop lock held by a refresh and by every change to a shop's custom segments. */
export async function lockShopSegments(tx: ShopTx, shopId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('regulars.segments'), hashtext(${shopId}))`);
}

export type RefreshTrigger = "manual" | "import" | "schedule" | "cli";

export interface RefreshProgress {
  step: string;
  done: number;
  total: number;
}

export interface RefreshSummary {
  lifecycle: LifecycleThresholds;
  model: ValueModelSummary;
}

export interface RefreshResult {
  refreshId: string;
  computedAt: string;
  customers: number;
  segments: { key: string; name: string; kind: "builtin" | "custom"; family: SegmentFamily | "custom"; size: number }[];
  summary: RefreshSummary;
}

export async function refreshSegments(
  shopId: string,
  options: { database?: Database; trigger: RefreshTrigger; now?: Date; onProgress?: (p: RefreshProgress) => void },
): Promise<RefreshResult> {
  const { database, trigger } = options;
  const started = new Date();
  await withShop(shopId, getShop, database); // an unknown shop is "not found", before anything is written
  const [record] = await withShop(shopId, (tx) =>
    tx.insert(segmentRefreshes).values({ shopId, trigger, status: "running", startedAt: started }).returning({ id: segmentRefreshes.id }),
  database);
  const refreshId = record!.id;
  try {
    const result = await withShop(shopId, (tx) => refreshInTransaction(tx, shopId, refreshId, options), database);
    await withShop(shopId, (tx) =>
      tx.update(segmentRefreshes)
        .set({ status: "done", finishedAt: new Date(), customers: result.customers, summary: result.summary })
        .where(eq(segmentRefreshes.id, refreshId)),
    database);
    return result;
  } catch (e) {
    const failure = e instanceof AppError ? e.message : "The refresh stopped on an unexpected error; the previous segments are unchanged.";
    await withShop(shopId, (tx) => tx.update(segmentRefreshes).set({ status: "failed", finishedAt: new Date(), failure }).where(eq(segmentRefreshes.id, refreshId)), database)
      .catch(() => {});
    throw e;
  }
}

async function refreshInTransaction(
  tx: ShopTx,
  shopId: string,
  refreshId: string,
  options: { now?: Date; onProgress?: (p: RefreshProgress) => void },
): Promise<RefreshResult> {
  // One refresh per shop at a time; a second waits and then recomputes from the latest data. Saving
  // or deleting a custom segment takes the same lock, so none changes under a running refresh.
  await lockShopSegments(tx, shopId);
  // The refresh sorts and groups every order; room in memory keeps those sorts off disk.
  await tx.execute(sql`set local work_mem = '64MB'`);
  const now = options.now ?? new Date();
  const shop = await getShop(tx);
  const custom = await tx.select().from(segments).where(eq(segments.kind, "custom"));
  const total = 1 + BUILTIN_SEGMENTS.length + custom.length;
  let done = 0;
  const progress = (step: string) => options.onProgress?.({ step, done: done++, total });

  progress("Scoring customers");
  const scores = await scoreCustomers(tx, { id: shop.id, timeZone: shop.timeZone, currency: shop.currency, marginBp: shop.marginBp }, now);
  const ctx: RefreshContext = { now: now.toISOString(), lifecycle: scores.lifecycle, model: scores.model };

  // Built-in segment rows follow the catalogue: new ones appear, retired ones go.
  const keys = BUILTIN_SEGMENTS.map((s) => s.key);
  await tx.delete(segments).where(and(eq(segments.kind, "builtin"), notInArray(segments.key, keys)));
  for (const s of BUILTIN_SEGMENTS) {
    await tx
      .insert(segments)
      .values({ shopId, key: s.key, name: s.name, kind: "builtin", description: s.describe(ctx) })
      .onConflictDoUpdate({ target: [segments.shopId, segments.key], set: { name: s.name, description: s.describe(ctx) } });
  }
  const builtinRows = await tx.select({ id: segments.id, key: segments.key }).from(segments).where(inArray(segments.key, keys));
  const idOf = new Map(builtinRows.map((r) => [r.key, r.id]));

  await tx.execute(sql`delete from segment_members`);
  const computedAt = ctx.now;
  const fill = (segmentId: string, members: ReturnType<typeof membersQuery>) =>
    tx.execute(sql`insert into segment_members (shop_id, segment_id, customer_id, reason, computed_at)
                   select ${shopId}::uuid, ${segmentId}::uuid, m.customer_id, m.reason, ${computedAt}::timestamptz from (${members}) m`);
  for (const s of BUILTIN_SEGMENTS) {
    progress(s.name);
    await fill(idOf.get(s.key)!, s.members(ctx));
  }
  // An attribute marked sensitive (or removed) after a segment was saved is never targeted.
  const usable = new Set((await tx.select({ key: attributeDefinitions.key }).from(attributeDefinitions).where(eq(attributeDefinitions.sensitive, false))).map((a) => a.key));
  for (const s of custom) {
    progress(s.name);
    const rules = RuleGroupSchema.safeParse(s.rules);
    // Saved rules were validated; one that no longer parses (a retired field) stays empty rather than failing the shop.
    if (!rules.success || leaves(rules.data).some((c) => c.field === "attribute" && !usable.has(c.key))) continue;
    await fill(s.id, membersQuery(rules.data, { now: ctx.now, currency: shop.currency }));
  }
  await tx.execute(sql`update segments s set size = (select count(*) from segment_members m where m.segment_id = s.id), refreshed_at = ${computedAt}::timestamptz`);
  progress("Done");

  const family = new Map(BUILTIN_SEGMENTS.map((s) => [s.key, s.family]));
  const all = await tx.select({ key: segments.key, name: segments.name, kind: segments.kind, size: segments.size }).from(segments);
  const order = new Map(keys.map((k, i) => [k, i]));
  all.sort((a, b) => (order.get(a.key) ?? 1e6) - (order.get(b.key) ?? 1e6) || a.name.localeCompare(b.name));
  return {
    refreshId,
    computedAt,
    customers: scores.customers,
    segments: all.map((s) => ({ ...s, family: family.get(s.key) ?? "custom" })),
    summary: { lifecycle: scores.lifecycle, model: scores.model },
  };
}
