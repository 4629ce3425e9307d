import type { Metadata } from "next";
import { requireShop } from "@/app/_server/require-shop";
import { loadShop, loadValueCharts } from "@/app/_server/loaders";
import { ValueCharts } from "@/components/segments/value-charts";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Metrics" };

export default async function MetricsPage() {
  const { shopId } = await requireShop();
  const [shop, charts] = await Promise.all([loadShop(shopId), loadValueCharts(shopId)]);
  return (
    <>
      <PageHeader
        title="Metrics"
        description="Customer value from the purchase and spend models, each figure with its n. Acquisition cost, NPS, opt-out rate and campaign lift join here as campaigns start."
      />
      <ValueCharts data={charts} currency={shop.currency} />
    </>
  );
}
