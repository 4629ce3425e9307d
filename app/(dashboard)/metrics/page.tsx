import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { requireShop } from "@/app/_server/require-shop";
import { loadShop, loadValueCharts } from "@/app/_server/loaders";
import { ValueCharts } from "@/components/segments/value-charts";
import { PageHeader } from "@/components/ui/page-header";
import { OVERVIEW_WINDOWS, type OverviewWindow } from "@/lib/metrics/get-overview";
import { ActivityWindows } from "./activity-windows";

export const metadata: Metadata = { title: "Metrics" };

const WindowSchema = z.coerce.number().pipe(z.union(OVERVIEW_WINDOWS.map((w) => z.literal(w)))).catch(30);

export default async function MetricsPage({ searchParams }: { searchParams: Promise<{ window?: string }> }) {
  const { shopId } = await requireShop();
  const days = WindowSchema.parse((await searchParams).window) as OverviewWindow;
  const [shop, charts] = await Promise.all([loadShop(shopId), loadValueCharts(shopId)]);
  return (
    <>
      <PageHeader
        title="Metrics"
        description="Recent activity, and customer value from the purchase and spend models, each figure with its n. Return on campaigns, NPS, opt-outs and retention are on the Overview."
      />
      <p className="mb-6 text-sm">
        <Link href="/metrics/fairness" className="text-brand-700 hover:underline">Fairness and contact burden</Link>
        <span className="text-slate-500"> · who your messages and offers reach, by group, against who your customers are</span>
      </p>
      <ActivityWindows shopId={shopId} days={days} basePath="/metrics" />
      <ValueCharts data={charts} currency={shop.currency} />
    </>
  );
}
