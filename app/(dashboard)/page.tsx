import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { z } from "zod";
import { requireShop } from "@/app/_server/require-shop";
import { loadOverview, loadShop } from "@/app/_server/loaders";
import { RevenueChart } from "@/components/charts/revenue-chart";
import { formatCount, formatMoney } from "@/components/format";
import { KpiCard, KpiSkeleton } from "@/components/overview/kpi-card";
import { Card, CardTitle } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { withShop } from "@/lib/db/tenant";
import { listRevenueByMonth } from "@/lib/metrics/list-revenue-by-month";
import { OVERVIEW_WINDOWS, type OverviewWindow } from "@/lib/metrics/get-overview";

export const metadata: Metadata = { title: "Overview" };

const WindowSchema = z.coerce.number().pipe(z.union(OVERVIEW_WINDOWS.map((w) => z.literal(w)))).catch(30);

export default async function OverviewPage({ searchParams }: { searchParams: Promise<{ window?: string }> }) {
  const { shopId } = await requireShop();
  const days = WindowSchema.parse((await searchParams).window) as OverviewWindow;
  return (
    <>
      <PageHeader
        title="Overview"
        description={`Your shop in the last ${days} days.`}
        actions={
          <nav aria-label="Period" className="flex rounded-lg border border-slate-300 bg-white p-0.5 text-sm">
            {OVERVIEW_WINDOWS.map((w) => (
              <Link
                key={w}
                href={`/?window=${w}`}
                aria-current={w === days ? "true" : undefined}
                className={cn("rounded-md px-3 py-1", w === days ? "bg-brand-600 text-white" : "text-slate-700 hover:bg-slate-100")}
              >
                {w} days
              </Link>
            ))}
          </nav>
        }
      />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Suspense fallback={<KpiSkeleton />}>
          <CustomersCard shopId={shopId} days={days} />
        </Suspense>
        <Suspense fallback={<KpiSkeleton />}>
          <OrdersCard shopId={shopId} days={days} />
        </Suspense>
        <Suspense fallback={<KpiSkeleton />}>
          <RevenueCard shopId={shopId} days={days} />
        </Suspense>
        <Suspense fallback={<KpiSkeleton />}>
          <ActiveCard shopId={shopId} days={days} />
        </Suspense>
      </div>
      <Suspense fallback={<Skeleton className="mt-6 h-80" />}>
        <RevenueOverTime shopId={shopId} />
      </Suspense>
    </>
  );
}

async function windowFigures(shopId: string, days: OverviewWindow) {
  const overview = await loadOverview(shopId);
  return { overview, w: overview.windows.find((x) => x.days === days)! };
}

async function CustomersCard({ shopId, days }: { shopId: string; days: OverviewWindow }) {
  const { overview, w } = await windowFigures(shopId, days);
  return <KpiCard label="Customers" value={formatCount(overview.customers)} detail={`${formatCount(w.newCustomers)} new in the last ${days} days`} />;
}

async function OrdersCard({ shopId, days }: { shopId: string; days: OverviewWindow }) {
  const { w } = await windowFigures(shopId, days);
  return <KpiCard label="Orders" value={formatCount(w.orders)} detail={`from ${formatCount(w.activeCustomers)} customers in ${days} days`} />;
}

async function RevenueCard({ shopId, days }: { shopId: string; days: OverviewWindow }) {
  const [{ w }, shop] = await Promise.all([windowFigures(shopId, days), loadShop(shopId)]);
  const average = w.orders ? formatMoney(Math.round(w.revenueMinor / w.orders), shop.currency) : "—";
  return (
    <KpiCard
      label="Revenue"
      value={formatMoney(w.revenueMinor, shop.currency)}
      detail={`n = ${formatCount(w.orders)} orders, average ${average}; net of refunds, cancelled orders left out`}
    />
  );
}

async function ActiveCard({ shopId, days }: { shopId: string; days: OverviewWindow }) {
  const { overview, w } = await windowFigures(shopId, days);
  const share = overview.customers ? Math.round((100 * w.activeCustomers) / overview.customers) : 0;
  return (
    <KpiCard
      label="Active customers"
      value={formatCount(w.activeCustomers)}
      detail={`ordered in the last ${days} days: ${share} % of ${formatCount(overview.customers)}`}
    />
  );
}

async function RevenueOverTime({ shopId }: { shopId: string }) {
  const shop = await loadShop(shopId);
  const months = await withShop(shopId, (tx) => listRevenueByMonth(tx, { months: 24, timeZone: shop.timeZone }));
  const orders = months.reduce((n, m) => n + m.orders, 0);
  if (orders === 0) {
    return (
      <div className="mt-6">
        <EmptyState title="No orders yet">Import your orders (Imports) and revenue over time appears here.</EmptyState>
      </div>
    );
  }
  return (
    <Card className="mt-6">
      <div className="mb-4 flex items-baseline justify-between">
        <CardTitle>Revenue per month</CardTitle>
        <p className="text-xs text-slate-500">
          n = {formatCount(orders)} orders over 24 months, {shop.timeZone}; net of refunds, without cancelled orders
        </p>
      </div>
      <RevenueChart
        currency={shop.currency}
        data={months.map((m) => ({
          month: m.month,
          revenue: m.revenueMinor / 100,
          orders: m.orders,
          partial: m.partial ? { daysCovered: m.daysCovered, daysInMonth: m.daysInMonth } : undefined,
        }))}
      />
    </Card>
  );
}
