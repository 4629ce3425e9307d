// The Overview's figures for one request: the range and channel from the URL, or the defaults with
// the reason when the URL's are not usable (a hand-edited link should not cost the owner the page).
import "server-only";
import { cache } from "react";
import { withShop } from "@/lib/db/tenant";
import { isAppError } from "@/lib/errors";
import { getShopMetrics, type ShopMetrics } from "@/lib/metrics/get-shop-metrics";

export interface OverviewQuery {
  from?: string;
  to?: string;
  channel?: string;
}

// Primitive arguments: React's per-request cache compares them by value.
export const loadOverviewMetrics = cache(async (shopId: string, from?: string, to?: string, channel?: string): Promise<{ metrics: ShopMetrics; problem: string | null }> => {
  const query: OverviewQuery = { from, to, channel };
  try {
    return { metrics: await withShop(shopId, (tx) => getShopMetrics(tx, query)), problem: null };
  } catch (e) {
    if (!isAppError(e, "invalid_input")) throw e;
    const detail = e.fields[0]?.message;
    return { metrics: await withShop(shopId, (tx) => getShopMetrics(tx, {})), problem: `${e.message}${detail ? ` ${detail}` : ""}` };
  }
});
