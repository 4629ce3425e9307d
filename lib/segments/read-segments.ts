// What the Segments pages and the customer page read: segments with their freshness, members with
// their reasons, a CSV of members, and the segments one customer is in. Reasons are rendered here
// from their stored parameters and the customers' scores (reason-sentences.ts).
import { and, count, desc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { toCsv } from "../csv/to-csv";
import { queryRows } from "../db/client";
import { customerScores, customers, segmentRefreshes, segments } from "../db/schema";
import type { ShopTx } from "../db/tenant";
import { notFound } from "../errors";
import { getShop } from "../shops/get-shop";
import { BUILTIN_SEGMENTS, FAMILY_NAMES, FAMILY_NOTES, type SegmentFamily } from "./builtin-segments";
import type { RefreshSummary } from "./refresh-segments";
import { describeRules } from "./compile-rules";
import { lifecycleThresholds } from "./lifecycle";
import { describePrediction, memberReason, scoreFacts, scoreFactsColumns, type ReasonContext, type ReasonSegment, type ScoreFactsRow } from "./reason-sentences";
import { RuleGroupSchema, type RuleGroup } from "./rules";

export type SegmentRow = typeof segments.$inferSelect & {
  family: SegmentFamily | "custom";
  familyName: string;
  familyNote: string;
  /** What the segment holds, in words: the owner's description, or the rule read out. */
  summary: string;
};

const familyOf = new Map(BUILTIN_SEGMENTS.map((s) => [s.key, s.family]));
const order = new Map(BUILTIN_SEGMENTS.map((s, i) => [s.key, i]));

function withFamily(s: typeof segments.$inferSelect): SegmentRow {
  const family = familyOf.get(s.key) ?? "custom";
  const rules = family === "custom" ? RuleGroupSchema.safeParse(s.rules) : null;
  return {
    ...s,
    summary: s.description ?? (rules?.success ? `Customers where ${describeRules(rules.data)}.` : ""),
    family,
    familyName: family === "custom" ? "Your segments" : FAMILY_NAMES[family],
    familyNote: family === "custom" ? "Segments you built; they refresh with the others." : FAMILY_NOTES[family],
  };
}

export async function listSegments(tx: ShopTx): Promise<SegmentRow[]> {
  const rows = await tx.select().from(segments);
  return rows
    .map(withFamily)
    .sort((a, b) => (order.get(a.key) ?? 1e6) - (order.get(b.key) ?? 1e6) || a.name.localeCompare(b.name));
}

/** Current customers (not erased): the whole a segment's share is of. */
export async function countCustomers(tx: ShopTx): Promise<number> {
  const [row] = await tx.select({ n: count() }).from(customers).where(isNull(customers.erasedAt));
  return row?.n ?? 0;
}

export async function getSegment(tx: ShopTx, id: string): Promise<SegmentRow & { ruleTree: RuleGroup | null }> {
  if (!z.uuid().safeParse(id).success) throw notFound("Segment");
  const [row] = await tx.select().from(segments).where(eq(segments.id, id));
  if (!row) throw notFound("Segment");
  const parsed = RuleGroupSchema.safeParse(row.rules);
  return { ...withFamily(row), ruleTree: parsed.success ? parsed.data : null };
}

export interface RefreshState {
  last: (typeof segmentRefreshes.$inferSelect & { summary: RefreshSummary | null }) | null;
  running: typeof segmentRefreshes.$inferSelect | null;
  lastFailure: typeof segmentRefreshes.$inferSelect | null;
}

export async function getRefreshState(tx: ShopTx): Promise<RefreshState> {
  const recent = await tx.select().from(segmentRefreshes).orderBy(desc(segmentRefreshes.startedAt)).limit(20);
  const last = recent.find((r) => r.status === "done") ?? null;
  const failure = recent.find((r) => r.status === "failed");
  return {
    last: last as RefreshState["last"],
    running: recent.find((r) => r.status === "running") ?? null,
    lastFailure: failure && (!last || failure.startedAt > last.startedAt) ? failure : null,
  };
}

/**
 * What every reason of the shop is rendered with: its currency and time zone, and the thresholds and
 * model of the refresh that wrote the current scores (the last one done; it is marked done in the
 * same transaction that wrote them).
 */
export async function loadReasonContext(tx: ShopTx): Promise<ReasonContext & { timeZone: string }> {
  const shop = await getShop(tx);
  const [last] = await tx
    .select({ summary: segmentRefreshes.summary })
    .from(segmentRefreshes)
    .where(and(eq(segmentRefreshes.status, "done"), isNotNull(segmentRefreshes.summary)))
    .orderBy(desc(segmentRefreshes.finishedAt))
    .limit(1);
  const summary = last?.summary as RefreshSummary | undefined;
  return {
    currency: shop.currency,
    timeZone: shop.timeZone,
    lifecycle: summary?.lifecycle ?? lifecycleThresholds(null, 0),
    model: summary?.model ?? { margin: shop.marginBp / 10_000, message: "" },
  };
}

function reasonSegment(s: Pick<typeof segments.$inferSelect, "key" | "kind" | "rules" | "refreshedAt">): ReasonSegment {
  const rules = s.kind === "custom" ? RuleGroupSchema.safeParse(s.rules) : null;
  return { key: s.key, kind: s.kind, rules: rules?.success ? rules.data : null, computedAt: s.refreshedAt ?? new Date(0) };
}

export interface MemberRow {
  customerId: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  reason: string;
  computedAt: Date;
  predictedValueMinor: number | null;
}

const PAGE = 50;

type MemberQueryRow = ScoreFactsRow & {
  customer_id: string; external_id: string | null; first_name: string | null; last_name: string | null; email: string | null;
  reason_params: Record<string, unknown> | null;
};

/** A segment's members with what their reasons need, in the order given. */
async function readMembers(tx: ShopTx, segmentId: string, timeZone: string, page: { after?: string; limit?: number; orderBy: "customer" | "email" }) {
  return queryRows<MemberQueryRow>(
    tx,
    sql`select sm.customer_id, c.external_id, c.first_name, c.last_name, c.email, sm.reason_params, ${scoreFactsColumns(timeZone)}
          from segment_members sm
          join customers c on c.id = sm.customer_id
          left join customer_scores cs on cs.customer_id = sm.customer_id
         where sm.segment_id = ${segmentId}::uuid ${page.after ? sql`and sm.customer_id > ${page.after}::uuid` : sql``}
         order by ${page.orderBy === "customer" ? sql`sm.customer_id` : sql`c.email, sm.customer_id`}
         ${page.limit ? sql`limit ${page.limit}` : sql``}`,
  );
}

async function findSegment(tx: ShopTx, segmentId: string) {
  if (!z.uuid().safeParse(segmentId).success) return null;
  const [row] = await tx.select().from(segments).where(eq(segments.id, segmentId));
  return row ?? null;
}

export async function listSegmentMembers(tx: ShopTx, segmentId: string, options: { after?: string } = {}): Promise<{ members: MemberRow[]; next: string | null }> {
  const after = options.after && z.uuid().safeParse(options.after).success ? options.after : undefined;
  const segment = await findSegment(tx, segmentId);
  if (!segment) return { members: [], next: null };
  const ctx = await loadReasonContext(tx);
  const rows = await readMembers(tx, segmentId, ctx.timeZone, { after, limit: PAGE + 1, orderBy: "customer" });
  const of = reasonSegment(segment);
  const members = rows.slice(0, PAGE).map((r) => {
    const score = scoreFacts(r);
    return {
      customerId: r.customer_id, firstName: r.first_name, lastName: r.last_name, email: r.email,
      reason: memberReason(of, r.reason_params, score, ctx), computedAt: of.computedAt, predictedValueMinor: score?.predictedValueMinor ?? null,
    };
  });
  return { members, next: rows.length > PAGE ? rows[PAGE - 1]!.customer_id : null };
}

/** All members as CSV: who, why, and when it was computed. Contact details only the shop already holds. */
export async function segmentMembersCsv(tx: ShopTx, segmentId: string): Promise<string> {
  const segment = await findSegment(tx, segmentId);
  const ctx = await loadReasonContext(tx);
  const rows = segment ? await readMembers(tx, segmentId, ctx.timeZone, { orderBy: "email" }) : [];
  const of = segment ? reasonSegment(segment) : null;
  return toCsv(
    ["customer_id", "email", "first_name", "last_name", "reason", "computed_at"],
    rows.map((r) => [r.external_id, r.email, r.first_name, r.last_name, memberReason(of!, r.reason_params, scoreFacts(r), ctx), of!.computedAt.toISOString()]),
  );
}

export async function customerSegments(tx: ShopTx, customerId: string) {
  const ctx = await loadReasonContext(tx);
  const [score] = await tx.select().from(customerScores).where(eq(customerScores.customerId, customerId));
  const [factsRow] = score
    ? await queryRows<ScoreFactsRow>(tx, sql`select ${scoreFactsColumns(ctx.timeZone)} from customer_scores cs where cs.customer_id = ${customerId}::uuid`)
    : [];
  const facts = factsRow ? scoreFacts(factsRow) : null;
  const memberships = await queryRows<{ id: string; key: string; name: string; kind: "builtin" | "custom"; rules: unknown; refreshed_at: Date | string | null; reason_params: Record<string, unknown> | null }>(
    tx,
    sql`select s.id, s.key, s.name, s.kind, s.rules, s.refreshed_at, sm.reason_params
          from segment_members sm join segments s on s.id = sm.segment_id
         where sm.customer_id = ${customerId}::uuid`,
  );
  return {
    score: score && facts ? { ...score, predictionReason: describePrediction(facts, ctx) } : null,
    segments: memberships
      .map((m) => {
        const of = reasonSegment({ key: m.key, kind: m.kind, rules: m.rules, refreshedAt: m.refreshed_at === null ? null : new Date(m.refreshed_at) });
        return { id: m.id, key: m.key, name: m.name, kind: m.kind, reason: memberReason(of, m.reason_params, facts, ctx), computedAt: of.computedAt, family: familyOf.get(m.key) ?? ("custom" as const) };
      })
      .sort((a, b) => (order.get(a.key) ?? 1e6) - (order.get(b.key) ?? 1e6) || a.name.localeCompare(b.name)),
  };
}
