// Per-request cached reads shared by several server components of one page.
import "server-only";
import { cache } from "react";
import { withShop } from "@/lib/db/tenant";
import { getOverview } from "@/lib/metrics/get-overview";
import { getShop } from "@/lib/shops/get-shop";
import { aliveVsRecency, topCustomers, valueHistogram } from "@/lib/segments/value-charts";

export const loadShop = cache((shopId: string) => withShop(shopId, getShop));
export const loadOverview = cache((shopId: string) => withShop(shopId, (tx) => getOverview(tx)));

export const loadValueCharts = cache((shopId: string) =>
  withShop(shopId, async (tx) => ({ histogram: await valueHistogram(tx), top: await topCustomers(tx), alive: await aliveVsRecency(tx) })),
);
