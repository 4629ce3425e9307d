// Saving, previewing and deleting an owner's own segments. A saved segment's members are computed
// at once in the same transaction, so the owner sees its size without waiting for a refresh.
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { queryRows } from "../db/client";
import { segments } from "../db/schema";
import type { ShopTx } from "../db/tenant";
import { notFound } from "../errors";
import { getShop } from "../shops/get-shop";
import { membersQuery } from "./compile-rules";
import { loadReasonContext } from "./read-segments";
import { memberReason, scoreFacts, scoreFactsColumns, type ScoreFactsRow } from "./reason-sentences";
import { lockShopSegments } from "./refresh-segments";
import { validateSegmentInput } from "./validate-rules";
import { membersOf, writeMembers } from "./write-members";

export interface SegmentPreview {
  size: number;
  customers: number;
  sample: { customerId: string; name: string; reason: string }[];
}

export async function previewSegment(tx: ShopTx, input: unknown, options: { now?: Date } = {}): Promise<SegmentPreview> {
  const segment = await validateSegmentInput(tx, input);
  const now = options.now ?? new Date();
  const ctx = await loadReasonContext(tx);
  const members = membersQuery(segment.rules, { now: now.toISOString() });
  const [counts] = await queryRows<{ size: number; customers: number }>(
    tx,
    sql`select (select count(*)::int from (${members}) m) as size, (select count(*)::int from customers where erased_at is null) as customers`,
  );
  const sample = await queryRows<ScoreFactsRow & { customer_id: string; name: string; reason_params: Record<string, unknown> | null }>(
    tx,
    sql`select m.customer_id, coalesce(nullif(trim(concat_ws(' ', c.first_name, c.last_name)), ''), c.email, 'Unnamed customer') as name, m.reason_params,
               ${scoreFactsColumns(ctx.timeZone)}
          from (${members}) m join customers c on c.id = m.customer_id left join customer_scores cs on cs.customer_id = m.customer_id
         order by name limit 5`,
  );
  const of = { key: "preview", kind: "custom" as const, rules: segment.rules, computedAt: now };
  return {
    size: counts?.size ?? 0,
    customers: counts?.customers ?? 0,
    sample: sample.map((s) => ({ customerId: s.customer_id, name: s.name, reason: memberReason(of, s.reason_params, scoreFacts(s), ctx) })),
  };
}

export async function saveCustomSegment(tx: ShopTx, input: unknown, options: { id?: string; now?: Date } = {}): Promise<{ id: string; size: number }> {
  const segment = await validateSegmentInput(tx, input);
  const shop = await getShop(tx);
  await lockShopSegments(tx, shop.id); // waits for a running refresh, which would otherwise overwrite this
  const now = options.now ?? new Date();
  // Only the owner's own words are stored; the rule itself is read out from the rules wherever shown.
  const description = segment.description || null;
  let id = options.id;
  if (id) {
    const updated = await tx
      .update(segments)
      .set({ name: segment.name, description, rules: segment.rules })
      .where(and(eq(segments.id, id), eq(segments.kind, "custom")))
      .returning({ id: segments.id });
    if (updated.length === 0) throw notFound("Segment");
  } else {
    id = randomUUID();
    await tx.insert(segments).values({ shopId: shop.id, id, key: `custom_${id}`, name: segment.name, kind: "custom", description, rules: segment.rules });
  }
  // Members of an edited segment are recomputed against its new rules (and their reasons with them).
  const sizes = await writeMembers(tx, shop.id, [id], membersOf(id, membersQuery(segment.rules, { now: now.toISOString() })));
  const size = sizes.get(id) ?? 0;
  await tx.update(segments).set({ size, refreshedAt: now }).where(eq(segments.id, id));
  return { id, size };
}

export async function deleteCustomSegment(tx: ShopTx, id: string): Promise<void> {
  await lockShopSegments(tx, (await getShop(tx)).id);
  const deleted = await tx.delete(segments).where(and(eq(segments.id, id), eq(segments.kind, "custom"))).returning({ id: segments.id });
  if (deleted.length === 0) throw notFound("Segment");
}
