// What the Segments pages and the customer page read: segments with their freshness, members with
// their reasons, a CSV of members, and the segments one customer is in.
import { and, asc, count, desc, eq, gt, isNull } from "drizzle-orm";
import { z } from "zod";
import { toCsv } from "../csv/to-csv";
import { customerScores, customers, segmentMembers, segmentRefreshes, segments } from "../db/schema";
import type { ShopTx } from "../db/tenant";
import { notFound } from "../errors";
import { BUILTIN_SEGMENTS, FAMILY_NAMES, FAMILY_NOTES, type SegmentFamily } from "./builtin-segments";
import type { RefreshSummary } from "./refresh-segments";
import { describeRules } from "./compile-rules";
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

export async function listSegmentMembers(tx: ShopTx, segmentId: string, options: { after?: string } = {}): Promise<{ members: MemberRow[]; next: string | null }> {
  const after = options.after && z.uuid().safeParse(options.after).success ? options.after : undefined;
  const rows = await tx
    .select({
      customerId: segmentMembers.customerId, firstName: customers.firstName, lastName: customers.lastName, email: customers.email,
      reason: segmentMembers.reason, computedAt: segmentMembers.computedAt, predictedValueMinor: customerScores.predictedValueMinor,
    })
    .from(segmentMembers)
    .innerJoin(customers, eq(customers.id, segmentMembers.customerId))
    .leftJoin(customerScores, eq(customerScores.customerId, segmentMembers.customerId))
    .where(and(eq(segmentMembers.segmentId, segmentId), after ? gt(segmentMembers.customerId, after) : undefined))
    .orderBy(asc(segmentMembers.customerId))
    .limit(PAGE + 1);
  return { members: rows.slice(0, PAGE), next: rows.length > PAGE ? rows[PAGE - 1]!.customerId : null };
}

/** All members as CSV: who, why, and when it was computed. Contact details only the shop already holds. */
export async function segmentMembersCsv(tx: ShopTx, segmentId: string): Promise<string> {
  const rows = await tx
    .select({
      id: customers.externalId, email: customers.email, firstName: customers.firstName, lastName: customers.lastName,
      reason: segmentMembers.reason, computedAt: segmentMembers.computedAt,
    })
    .from(segmentMembers)
    .innerJoin(customers, eq(customers.id, segmentMembers.customerId))
    .where(eq(segmentMembers.segmentId, segmentId))
    .orderBy(asc(customers.email));
  return toCsv(
    ["customer_id", "email", "first_name", "last_name", "reason", "computed_at"],
    rows.map((r) => [r.id, r.email, r.firstName, r.lastName, r.reason, r.computedAt.toISOString()]),
  );
}

export async function customerSegments(tx: ShopTx, customerId: string) {
  const memberships = await tx
    .select({ id: segments.id, key: segments.key, name: segments.name, kind: segments.kind, reason: segmentMembers.reason, computedAt: segmentMembers.computedAt })
    .from(segmentMembers)
    .innerJoin(segments, eq(segments.id, segmentMembers.segmentId))
    .where(eq(segmentMembers.customerId, customerId));
  const [score] = await tx.select().from(customerScores).where(eq(customerScores.customerId, customerId));
  return {
    score: score ?? null,
    segments: memberships
      .map((m) => ({ ...m, family: familyOf.get(m.key) ?? ("custom" as const) }))
      .sort((a, b) => (order.get(a.key) ?? 1e6) - (order.get(b.key) ?? 1e6) || a.name.localeCompare(b.name)),
  };
}
