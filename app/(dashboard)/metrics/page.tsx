import type { Metadata } from "next";
import Link from "next/link";
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
      <p className="mb-2 text-sm"><Link href="/metrics/fairness" className="text-brand-700 hover:underline">Fairness and contact burden</Link><span className="text-slate-500"> · who your messages and offers reach, by group</span></p>
      <PageHeader
        title="Metrics"
        description="Customer value from the purchase and spend models, each figure with its n. Acquisition cost, NPS, opt-out rate and campaign lift join here as campaigns start."
      />
      <ValueCharts data={charts} currency={shop.currency} />
    </>
  );
}
