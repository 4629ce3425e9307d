// Saving, previewing and deleting an owner's own segments. A saved segment's members are computed
// at once in the same transaction, so the owner sees its size without waiting for a refresh.
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { queryRows } from "../db/client";
import { segmentMembers, segments } from "../db/schema";
import type { ShopTx } from "../db/tenant";
import { notFound } from "../errors";
import { getShop } from "../shops/get-shop";
import { membersQuery } from "./compile-rules";
import { lockShopSegments } from "./refresh-segments";
import { validateSegmentInput } from "./validate-rules";

export interface SegmentPreview {
  size: number;
  customers: number;
  sample: { customerId: string; name: string; reason: string }[];
}

export async function previewSegment(tx: ShopTx, input: unknown, options: { now?: Date } = {}): Promise<SegmentPreview> {
  const segment = await validateSegmentInput(tx, input);
  const shop = await getShop(tx);
  const members = membersQuery(segment.rules, { now: (options.now ?? new Date()).toISOString(), currency: shop.currency });
  const [counts] = await queryRows<{ size: number; customers: number }>(
    tx,
    sql`select (select count(*)::int from (${members}) m) as size, (select count(*)::int from customers where erased_at is null) as customers`,
  );
  const sample = await queryRows<{ customer_id: string; name: string; reason: string }>(
    tx,
    sql`select m.customer_id, coalesce(nullif(trim(concat_ws(' ', c.first_name, c.last_name)), ''), c.email, 'Unnamed customer') as name, m.reason
          from (${members}) m join customers c on c.id = m.customer_id order by name limit 5`,
  );
  return { size: counts?.size ?? 0, customers: counts?.customers ?? 0, sample: sample.map((s) => ({ customerId: s.customer_id, name: s.name, reason: s.reason })) };
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
    await tx.delete(segmentMembers).where(eq(segmentMembers.segmentId, id));
  } else {
    id = randomUUID();
    await tx.insert(segments).values({ shopId: shop.id, id, key: `custom_${id}`, name: segment.name, kind: "custom", description, rules: segment.rules });
  }
  const members = membersQuery(segment.rules, { now: now.toISOString(), currency: shop.currency });
  await tx.execute(sql`insert into segment_members (shop_id, segment_id, customer_id, reason, computed_at)
                       select ${shop.id}::uuid, ${id}::uuid, m.customer_id, m.reason, ${now.toISOString()}::timestamptz from (${members}) m`);
  const [row] = await tx
    .update(segments)
    .set({ size: sql`(select count(*) from segment_members m where m.segment_id = ${id}::uuid)`, refreshedAt: now })
    .where(eq(segments.id, id))
    .returning({ size: segments.size });
  return { id, size: row?.size ?? 0 };
}

export async function deleteCustomSegment(tx: ShopTx, id: string): Promise<void> {
  await lockShopSegments(tx, (await getShop(tx)).id);
  const deleted = await tx.delete(segments).where(and(eq(segments.id, id), eq(segments.kind, "custom"))).returning({ id: segments.id });
  if (deleted.length === 0) throw notFound("Segment");
}
