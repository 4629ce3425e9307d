// Raw behavioural events are kept only as long as the purpose they were collected for needs them
// (DESIGN invariant 5). Each event type serves one purpose, and each purpose has its retention in
// months on the shop; an event of no known purpose keeps the shop's general retention. Only the
// raw `events` table is purged: the consent ledger is proof and is never purged (its trigger would
// refuse it anyway), and orders are the shop's own business records.
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows, type Database } from "../db/client";
import { shops } from "../db/schema";
import { currentShopId, withShop, withShopScheduler, type ShopTx } from "../db/tenant";

export type RetentionPurpose = "marketing" | "personalization" | "other";

/** The one mapping of event types to the purpose that justifies keeping them. */
export const EVENT_PURPOSES: Record<string, Exclude<RetentionPurpose, "other">> = {
  // Abandoned-cart reminders: marketing messages.
  "cart.updated": "marketing",
  "checkout.started": "marketing",
  "cart.abandoned": "marketing",
  // Browsing and category interest: personalization.
  "product.viewed": "personalization",
};

export const RETENTION_DEFAULT_MONTHS = 24;

export const RetentionSchema = z.object({
  marketingMonths: z.coerce.number("Enter a number of months.").int("Use whole months.").min(1, "Keep events at least 1 month.").max(120, "Keep events at most 120 months (10 years)."),
  personalizationMonths: z.coerce.number("Enter a number of months.").int("Use whole months.").min(1, "Keep events at least 1 month.").max(120, "Keep events at most 120 months (10 years)."),
  otherMonths: z.coerce.number("Enter a number of months.").int("Use whole months.").min(1, "Keep events at least 1 month.").max(120, "Keep events at most 120 months (10 years)."),
});
export type Retention = z.output<typeof RetentionSchema>;

export interface PurgeResult {
  shopId: string;
  /** Events removed, in total and per type. */
  removed: number;
  byType: Record<string, number>;
  /** Everything older than these moments was removed. */
  cutoffs: Record<RetentionPurpose, string>;
  retentionMonths: Retention;
  /** The oldest raw event kept, if any. */
  oldestKept: string | null;
  remaining: number;
  ranAt: string;
}

export async function purgeExpired(tx: ShopTx, options: { now?: Date } = {}): Promise<PurgeResult> {
  const now = options.now ?? new Date();
  const shopId = await currentShopId(tx);
  const [shop] = await queryRows<{ marketing: number; personalization: number; other: number }>(
    tx,
    sql`select retention_marketing_months as marketing, retention_personalization_months as personalization, retention_months as other
          from ${shops} where id = ${shopId}`,
  );
  const months = { marketing: shop?.marketing ?? RETENTION_DEFAULT_MONTHS, personalization: shop?.personalization ?? RETENTION_DEFAULT_MONTHS, other: shop?.other ?? RETENTION_DEFAULT_MONTHS };
  const cutoff = (m: number) => sql`(${now.toISOString()}::timestamptz - make_interval(months => ${m}))`;
  const types = (purpose: RetentionPurpose) =>
    sql.join(Object.entries(EVENT_PURPOSES).filter(([, p]) => p === purpose).map(([t]) => sql`${t}`), sql`, `);
  const known = sql.join(Object.keys(EVENT_PURPOSES).map((t) => sql`${t}`), sql`, `);

  const removed = await queryRows<{ type: string; n: number }>(
    tx,
    sql`with gone as (
          delete from events
           where shop_id = ${shopId}
             and (   (type in (${types("marketing")}) and occurred_at < ${cutoff(months.marketing)})
                  or (type in (${types("personalization")}) and occurred_at < ${cutoff(months.personalization)})
                  or (type not in (${known}) and occurred_at < ${cutoff(months.other)}))
          returning type)
        select type, count(*)::int as n from gone group by type order by type`,
  );
  const [kept] = await queryRows<{ oldest: string | null; n: number }>(
    tx,
    sql`select to_char(min(occurred_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as oldest, count(*)::int as n from events where shop_id = ${shopId}`,
  );
  const [cut] = await queryRows<Record<RetentionPurpose, string>>(
    tx,
    sql`select to_char(${cutoff(months.marketing)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as marketing,
               to_char(${cutoff(months.personalization)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as personalization,
               to_char(${cutoff(months.other)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as other`,
  );
  return {
    shopId,
    removed: removed.reduce((s, r) => s + r.n, 0),
    byType: Object.fromEntries(removed.map((r) => [r.type, r.n])),
    cutoffs: cut!,
    retentionMonths: { marketingMonths: months.marketing, personalizationMonths: months.personalization, otherMonths: months.other },
    oldestKept: kept?.oldest ?? null,
    remaining: kept?.n ?? 0,
    ranAt: now.toISOString(),
  };
}

/** The scheduled run: every shop in turn, each in its own transaction; one shop's failure does not stop the others. */
export async function purgeAllShops(options: { database?: Database; now?: Date; onError?: (shopId: string, e: unknown) => void } = {}): Promise<PurgeResult[]> {
  const ids = await withShopScheduler((tx) => tx.select({ id: shops.id }).from(shops), options.database);
  const results: PurgeResult[] = [];
  for (const { id } of ids) {
    try {
      results.push(await withShop(id, (tx) => purgeExpired(tx, { now: options.now }), options.database));
    } catch (e) {
      options.onError?.(id, e);
    }
  }
  return results;
}
