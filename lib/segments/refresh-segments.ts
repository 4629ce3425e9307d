// Recomputes a shop's scores and every segment's members in one transaction, so the pages never
// show half a refresh. Refreshes of one shop queue behind each other (an advisory lock), and each
// is recorded with its trigger, outcome and the thresholds and model it used; the record turns
// "done" in the same transaction, so the reasons read on the pages always find the thresholds and
// model their scores were computed with.
import { and, eq, notInArray, sql, type SQL } from "drizzle-orm";
import { getDatabase, queryRows, type Database } from "../db/client";
import { copyRows, type CopyValue } from "../db/copy-rows";
import { refreshPlannerStatistics } from "../db/planner-statistics";
import { clearMetricsSnapshots } from "../metrics/metrics-snapshots";
import { attributeDefinitions, customerScores, segmentMembers, segmentRefreshes, segments } from "../db/schema";
import { withShop, type ShopTx } from "../db/tenant";
import { AppError } from "../errors";
import { getShop } from "../shops/get-shop";
import { BUILTIN_SEGMENTS, type QuerySegment, type RefreshContext, type ScoredSegment, type SegmentFamily } from "./builtin-segments";
import { STAGED_HISTORY } from "./customer-history";
import { membersQuery } from "./compile-rules";
import type { LifecycleThresholds } from "./lifecycle";
import { leaves, RuleGroupSchema } from "./rules";
import { WALKED_LINES, walkedSaleLines } from "./sale-lines";
import { fitScores, historyScores, stageHistory, writeScores, type ShopFacts } from "./score-customers";
import type { ValueModelSummary } from "./shop-value-model";
import { membersOf, NO_MEMBERS, writeMembers } from "./write-members";

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
    const opened = database ?? (await getDatabase());
    const result = await withShop(shopId, (tx) => refreshInTransaction(tx, shopId, refreshId, { ...options, database: opened }), opened);
    // Scores and memberships were rewritten: the pages that read them plan for their new size.
    await refreshPlannerStatistics([customerScores, segmentMembers], database);
    // Predictions and stages changed: the Overview's kept figures are computed afresh.
    await withShop(shopId, clearMetricsSnapshots, database);
    return result;
  } catch (e) {
    const failure = e instanceof AppError ? e.message : "The refresh stopped on an unexpected error; the previous segments are unchanged.";
    await withShop(shopId, (tx) => tx.update(segmentRefreshes).set({ status: "failed", finishedAt: new Date(), failure }).where(eq(segmentRefreshes.id, refreshId)), database)
      .catch(() => {});
    throw e;
  }
}

/**
 * Members of scored built-in segments in one pass over `scores` (rows with the columns of
 * customer_scores that the conditions read): the stored scores with each customer's rank by value,
 * or the scores the history gives, for the segments that read nothing else.
 */
function scoredMembers(scored: readonly { id: string; segment: ScoredSegment }[], ctx: RefreshContext, scores: SQL): SQL {
  const ids = sql.join(scored.map(({ id, segment }) => sql`case when ${segment.where(ctx)} then ${id}::uuid end`), sql`, `);
  return sql`select m.segment_id, cs.customer_id, null::jsonb as reason_params
    from (${scores}) cs
    cross join lateral unnest(array[${ids}]) as m(segment_id)
   where m.segment_id is not null`;
}

const STORED_SCORES = sql`select cs.*, percent_rank() over (order by cs.predicted_value_minor desc) as share from customer_scores cs`;

/**
 * Starts a statement now and hands back its promise for later. The database runs it while the
 * application does CPU work in between (queries on one connection run in the order sent).
 */
function startNow<T>(run: () => Promise<T>): Promise<T> {
  const started = run();
  started.catch(() => {}); // awaited later; a failure then fails the refresh, not the process
  return started;
}

const QUERY_MEMBERS = "refresh_query_members";

/**
 * Members of the query-built segments that need nothing the refresh stages (all but those read
 * from the histories), as (key, customer_id, reason_params) rows, read in a transaction of their
 * own. The refresh starts it once it holds the shop's lock, so it reads the data the refresh
 * reads; like every statement of the refresh, it sees the sales as they are when it runs.
 *
 * The refresh waits for these rows only if the read has a connection by the time they are needed:
 * with every connection of the pool held (say by as many refreshes), it computes them in its own
 * transaction instead, and the read, once it gets a connection, gives up at once. No refresh ever
 * waits for a connection while holding one.
 */
interface QueryMembersRead {
  /** Whether the read holds a connection (and will therefore finish). */
  started(): boolean;
  rows: Promise<CopyValue[][] | null>;
  abandon(): void;
}

function readQueryMembers(shopId: string, database: Database, at: { now: string }): QueryMembersRead {
  const apart = BUILTIN_SEGMENTS.filter((s): s is QuerySegment => s.source === "query" && !s.fromHistory);
  let started = false;
  let abandoned = false;
  const rows = startNow(() =>
    withShop(shopId, async (tx) => {
      if (abandoned) return null;
      started = true;
      await tx.execute(sql`set local work_mem = '128MB'`);
      await tx.execute(sql`set local jit = off`);
      const members = apart.map((s) => sql`select ${s.key}::text as key, q.customer_id, q.reason_params::text as reason_params
        from (${s.fromWalkedLines ? s.fromWalkedLines(at, WALKED_LINES) : s.members(at)}) q`);
      const found = await queryRows<{ key: string; customer_id: string; reason_params: string | null }>(
        tx,
        sql`with ${WALKED_LINES} as materialized (${walkedSaleLines(at)}) ${sql.join(members, sql` union all `)}`,
      );
      return found.map((r): CopyValue[] => [r.key, r.customer_id, r.reason_params]);
    }, database),
  );
  return { started: () => started, rows, abandon: () => (abandoned = true) };
}

async function refreshInTransaction(
  tx: ShopTx,
  shopId: string,
  refreshId: string,
  options: { now?: Date; onProgress?: (p: RefreshProgress) => void; database: Database },
): Promise<RefreshResult> {
  // One refresh per shop at a time; a second waits and then recomputes from the latest data. Saving
  // or deleting a custom segment takes the same lock, so none changes under a running refresh.
  await lockShopSegments(tx, shopId);
  // The refresh sorts and groups every order: room in memory keeps those sorts off disk, and its
  // few large queries gain nothing from being compiled (JIT) first.
  await tx.execute(sql`set local work_mem = '128MB'`);
  await tx.execute(sql`set local jit = off`);
  const now = options.now ?? new Date();
  const computedAt = now.toISOString();
  const read = options.database?.kind === "postgres" ? readQueryMembers(shopId, options.database, { now: computedAt }) : null;
  const shop = await getShop(tx);
  const facts: ShopFacts = { id: shop.id, timeZone: shop.timeZone, currency: shop.currency, marginBp: shop.marginBp };
  const custom = await tx.select().from(segments).where(eq(segments.kind, "custom"));
  const steps = ["Reading order history", "Fitting the value model", "Writing scores", "Lifecycle, RFM, value and predicted segments", "Carts, browsing and categories", ...custom.map((s) => s.name)];
  let done = 0;
  const progress = (step: string) => options.onProgress?.({ step, done: done++, total: steps.length + 1 });

  progress(steps[0]!);
  const staged = await stageHistory(tx, facts, now);

  // Built-in segment rows follow the catalogue: new ones appear, retired ones go.
  const keys = BUILTIN_SEGMENTS.map((s) => s.key);
  await tx.delete(segments).where(and(eq(segments.kind, "builtin"), notInArray(segments.key, keys)));
  const builtinRows = await tx
    .insert(segments)
    .values(BUILTIN_SEGMENTS.map((s) => ({ shopId, key: s.key, name: s.name, kind: "builtin" as const })))
    .onConflictDoUpdate({ target: [segments.shopId, segments.key], set: { name: sql`excluded.name` } })
    .returning({ id: segments.id, key: segments.key });
  const idOf = new Map(builtinRows.map((r) => [r.key, r.id]));
  const sizes = new Map<string, number>();
  const record = (written: Map<string, number>) => written.forEach((size, id) => sizes.set(id, size));

  // Carts, browsing, categories and reorders need no scores. On Postgres they are read on a
  // connection of their own (readQueryMembers), which the database works on while this transaction
  // walks the orders and the application fits the model; their rows are written here at the end.
  // PGlite has one connection: there one statement computes them here, while the model is fitted.
  const queried = BUILTIN_SEGMENTS.filter((s): s is QuerySegment => s.source === "query").map((s) => ({ id: idOf.get(s.key)!, segment: s }));
  const at = { now: computedAt };
  const apart = queried.filter((q) => !q.segment.fromHistory);
  const history = sql`${sql.identifier(STAGED_HISTORY)}`;
  const fromHistory = queried.filter((q) => q.segment.fromHistory).map((q) => membersOf(q.id, q.segment.fromHistory!(at, history)));
  // Computed here: with one connection (PGlite), and on Postgres when the read got none.
  const computeHere = () => {
    const computed = apart.map((q) => membersOf(q.id, q.segment.fromWalkedLines ? q.segment.fromWalkedLines(at, WALKED_LINES) : q.segment.members(at)));
    return writeMembers(tx, shopId, queried.map((q) => q.id), sql`with ${WALKED_LINES} as materialized (${walkedSaleLines(at)}) ${sql.join([...computed, ...fromHistory], sql` union all `)}`);
  };
  let early: () => Promise<Map<string, number>>;
  if (read) {
    // Written once the scored segments are: statements of this transaction run one after the other.
    early = async () => {
      if (!read.started()) {
        read.abandon();
        return computeHere();
      }
      const rows = (await read.rows)!;
      await tx.execute(sql`create temporary table ${sql.identifier(QUERY_MEMBERS)} (key text, customer_id uuid, reason_params jsonb) on commit drop`);
      await copyRows(tx, QUERY_MEMBERS, ["key", "customer_id", "reason_params"], rows);
      const staged = apart.map((q) => sql`select ${q.id}::uuid as segment_id, customer_id, reason_params from ${sql.identifier(QUERY_MEMBERS)} where key = ${q.segment.key}`);
      return writeMembers(tx, shopId, queried.map((q) => q.id), sql.join([...staged, ...fromHistory], sql` union all `));
    };
  } else {
    const started = startNow(computeHere);
    early = () => started;
  }
  // Lifecycle, RFM, frequent and one-time buyers read only what the history gives: the database
  // writes them while the model is fitted, from the same expressions the scores are written with.
  const scored = BUILTIN_SEGMENTS.filter((s): s is ScoredSegment => s.source === "scores").map((segment) => ({ id: idOf.get(segment.key)!, segment }));
  const fromHistoryOnly = scored.filter((s) => s.segment.historyOnly);
  const beforeModel: RefreshContext = {
    now: computedAt,
    lifecycle: staged.lifecycle,
    get model(): never {
      throw new Error("A segment marked historyOnly read the value model.");
    },
  };
  const historyMembers = startNow(() =>
    writeMembers(tx, shopId, fromHistoryOnly.map((s) => s.id), scoredMembers(fromHistoryOnly, beforeModel, historyScores(staged, now))),
  );
  // The driver sends a statement a few turns of the event loop after it is started; the fit below
  // keeps the loop busy, so give them a moment to leave first. (Were they late, the refresh would be
  // slower, never different.)
  await new Promise((resolve) => setTimeout(resolve, 5));

  progress(steps[1]!);
  const fitted = fitScores(staged, facts);
  progress(steps[2]!);
  const customers = await writeScores(tx, facts, now, staged, fitted);
  const ctx: RefreshContext = { now: computedAt, lifecycle: staged.lifecycle, model: fitted.model };

  progress(steps[3]!);
  record(await historyMembers);
  const fromModel = scored.filter((s) => !s.segment.historyOnly);
  record(await writeMembers(tx, shopId, fromModel.map((s) => s.id), scoredMembers(fromModel, ctx, STORED_SCORES)));
  progress(steps[4]!);
  record(await early());

  // An attribute marked sensitive (or removed) after a segment was saved is never targeted.
  const usable = new Set((await tx.select({ key: attributeDefinitions.key }).from(attributeDefinitions).where(eq(attributeDefinitions.sensitive, false))).map((a) => a.key));
  for (const s of custom) {
    progress(s.name);
    const rules = RuleGroupSchema.safeParse(s.rules);
    // Saved rules were validated; one that no longer parses (a retired field) stays empty rather than failing the shop.
    const members = !rules.success || leaves(rules.data).some((c) => c.field === "attribute" && !usable.has(c.key))
      ? NO_MEMBERS
      : membersOf(s.id, membersQuery(rules.data, { now: computedAt }));
    record(await writeMembers(tx, shopId, [s.id], members));
  }

  const descriptions = BUILTIN_SEGMENTS.map((s) => [idOf.get(s.key)!, s.describe(ctx)] as const);
  const all = [...idOf.values(), ...custom.map((s) => s.id)];
  await tx.execute(sql`
    update segments s set refreshed_at = ${computedAt}::timestamptz,
           size = coalesce((select v.size from unnest(${`{${all.join(",")}}`}::uuid[], ${`{${all.map((id) => sizes.get(id) ?? 0).join(",")}}`}::int[]) as v(id, size) where v.id = s.id), 0),
           description = coalesce((select d.description from jsonb_each_text(${JSON.stringify(Object.fromEntries(descriptions))}::jsonb) as d(id, description) where d.id = s.id::text), s.description)`);
  progress("Done");

  const summary: RefreshSummary = { lifecycle: staged.lifecycle, model: fitted.model };
  await tx.update(segmentRefreshes).set({ status: "done", finishedAt: new Date(), customers, summary }).where(eq(segmentRefreshes.id, refreshId));

  const family = new Map(BUILTIN_SEGMENTS.map((s) => [s.key, s.family]));
  const rows = await tx.select({ key: segments.key, name: segments.name, kind: segments.kind, size: segments.size }).from(segments);
  const order = new Map(keys.map((k, i) => [k, i]));
  rows.sort((a, b) => (order.get(a.key) ?? 1e6) - (order.get(b.key) ?? 1e6) || a.name.localeCompare(b.name));
  return {
    refreshId,
    computedAt,
    customers,
    segments: rows.map((s) => ({ ...s, family: family.get(s.key) ?? "custom" })),
    summary,
  };
}
