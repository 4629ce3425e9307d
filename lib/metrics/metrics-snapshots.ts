// The Overview's figures, kept once computed. On a shop of a million orders they take seconds to
// compute (several passes over every sale) and milliseconds to read, and an owner opening the
// page again and again should not wait each time. The rules:
// - a snapshot younger than FRESH_MS is served as it is;
// - an older one is served at once, marked with its time, and recomputed after the answer (the
//   page says "as of"); the next visit gets the new one;
// - none, or one removed by an import or a segment refresh (which change what it was computed
//   from: `clearMetricsSnapshots`), is computed while the owner waits, once.
// So the figures are never older than the last import or refresh, and at most FRESH_MS behind
// orders, consent and sends arriving live — and the page says when they were computed.
import { eq } from "drizzle-orm";
import { metricsSnapshots } from "../db/schema";
import { currentShopId, type ShopTx } from "../db/tenant";
import { getShopMetrics, type ShopMetrics, type ShopMetricsOptions } from "./get-shop-metrics";

export const FRESH_MS = 60_000;

export interface Snapshot {
  metrics: ShopMetrics;
  computedAt: Date;
  computeMs: number;
  /** Older than FRESH_MS: serve it, and recompute. */
  stale: boolean;
}

const keyOf = (o: ShopMetricsOptions) => `${o.from ?? ""}|${o.to ?? ""}|${o.channel ?? ""}`;

/** JSON has no dates: the few the figures carry come back as Date objects. */
function revive(body: ShopMetrics): ShopMetrics {
  return {
    ...body,
    nps: {
      ...body.nps,
      from: new Date(body.nps.from),
      to: new Date(body.nps.to),
      comments: body.nps.comments.map((c) => ({ ...c, respondedAt: new Date(c.respondedAt) })),
    },
  };
}

/** Computes the figures and keeps them (replacing an older snapshot of the same range). */
export async function computeMetricsSnapshot(tx: ShopTx, options: ShopMetricsOptions = {}): Promise<Snapshot> {
  const started = performance.now();
  const metrics = await getShopMetrics(tx, options);
  const computeMs = Math.round(performance.now() - started);
  const computedAt = new Date(metrics.computedAt);
  const shopId = await currentShopId(tx);
  const row = { shopId, key: keyOf(options), computedAt, computeMs, body: metrics };
  await tx.insert(metricsSnapshots).values(row).onConflictDoUpdate({
    target: [metricsSnapshots.shopId, metricsSnapshots.key],
    set: { computedAt, computeMs, body: metrics },
  });
  return { metrics, computedAt, computeMs, stale: false };
}

/** The kept figures for a range, or null when there are none. */
export async function readMetricsSnapshot(tx: ShopTx, options: ShopMetricsOptions = {}, now = new Date()): Promise<Snapshot | null> {
  const [row] = await tx.select().from(metricsSnapshots).where(eq(metricsSnapshots.key, keyOf(options)));
  if (!row) return null;
  return { metrics: revive(row.body as ShopMetrics), computedAt: row.computedAt, computeMs: row.computeMs, stale: now.getTime() - row.computedAt.getTime() > FRESH_MS };
}

/** The kept figures when there are, else computed now. */
export async function getMetricsSnapshot(tx: ShopTx, options: ShopMetricsOptions = {}): Promise<Snapshot> {
  return (await readMetricsSnapshot(tx, options, options.now)) ?? computeMetricsSnapshot(tx, options);
}

/** What the figures were computed from has changed (an import, a refresh): compute them afresh next time. */
export async function clearMetricsSnapshots(tx: ShopTx): Promise<void> {
  await tx.delete(metricsSnapshots).where(eq(metricsSnapshots.shopId, await currentShopId(tx)));
}
