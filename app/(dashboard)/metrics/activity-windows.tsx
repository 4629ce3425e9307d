// The shop's activity in the last 30, 90 or 365 days: customers, orders, revenue and active
// customers, each card streamed on its own. Shown on the Metrics page with its window in the URL.
import Link from "next/link";
import { Suspense } from "react";
import { loadOverview, loadShop } from "@/app/_server/loaders";
import { formatCount, formatMoney } from "@/components/format";
import { KpiCard, KpiSkeleton } from "@/components/overview/kpi-card";
import { cn } from "@/components/ui/cn";
import { OVERVIEW_WINDOWS, type OverviewWindow } from "@/lib/metrics/get-overview";

export function ActivityWindows({ shopId, days, basePath }: { shopId: string; days: OverviewWindow; basePath: string }) {
  return (
    <section aria-labelledby="activity-title" className="mb-8">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 id="activity-title" className="text-base font-semibold text-slate-900">Activity</h2>
          <p className="text-sm text-slate-600">Your shop in the last {days} days.</p>
        </div>
        <nav aria-label="Period" className="flex rounded-lg border border-slate-300 bg-white p-0.5 text-sm">
          {OVERVIEW_WINDOWS.map((w) => (
            <Link
              key={w}
              href={`${basePath}?window=${w}`}
              aria-current={w === days ? "true" : undefined}
              className={cn("rounded-md px-3 py-1", w === days ? "bg-brand-600 text-white" : "text-slate-700 hover:bg-slate-100")}
            >
              {w} days
            </Link>
          ))}
        </nav>
      </div>
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
    </section>
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

