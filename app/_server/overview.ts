// The Overview's figures for one request: the range and channel from the URL, or the defaults with
// the reason when the URL's are not usable (a hand-edited link should not cost the owner the page).
// Figures come from their kept snapshot when there is one; a stale one is recomputed after the
// answer has gone (lib/metrics/metrics-snapshots.ts).
import "server-only";
import { after } from "next/server";
import { cache } from "react";
import { withShop } from "@/lib/db/tenant";
import { isAppError } from "@/lib/errors";
import { computeMetricsSnapshot, getMetricsSnapshot, type Snapshot } from "@/lib/metrics/metrics-snapshots";

export interface OverviewQuery {
  from?: string;
  to?: string;
  channel?: string;
}

async function snapshot(shopId: string, query: OverviewQuery): Promise<Snapshot> {
  const kept = await withShop(shopId, (tx) => getMetricsSnapshot(tx, query));
  if (kept.stale) {
    after(() => withShop(shopId, (tx) => computeMetricsSnapshot(tx, query)).catch((e: unknown) => console.error("Recomputing the Overview's figures failed:", e)));
  }
  return kept;
}

// Primitive arguments: React's per-request cache compares them by value.
export const loadOverviewMetrics = cache(async (shopId: string, from?: string, to?: string, channel?: string): Promise<{ snapshot: Snapshot; problem: string | null }> => {
  try {
    return { snapshot: await snapshot(shopId, { from, to, channel }), problem: null };
  } catch (e) {
    if (!isAppError(e, "invalid_input")) throw e;
    const detail = e.fields[0]?.message;
    return { snapshot: await snapshot(shopId, {}), problem: `${e.message}${detail ? ` ${detail}` : ""}` };
  }
});
