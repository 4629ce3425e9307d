// Predicted value at a glance: its spread over customers, the top customers with intervals, and
// P(alive) against recency. Each chart states its n; history-only values are labelled as such.
import Link from "next/link";
import { AliveRecencyChart } from "@/components/charts/alive-recency-chart";
import { ValueHistogram } from "@/components/charts/value-histogram";
import { formatCount, formatMoney, formatPercent, fullName } from "@/components/format";
import { Card, CardTitle } from "@/components/ui/card";
import type { AliveVsRecency, ValueHistogram as Histogram, topCustomers } from "@/lib/segments/value-charts";

export interface ValueChartsData {
  histogram: Histogram;
  top: Awaited<ReturnType<typeof topCustomers>>;
  alive: AliveVsRecency;
}

export function ValueCharts({ data, currency, compact = false }: { data: ValueChartsData; currency: string; compact?: boolean }) {
  const { histogram, top, alive } = data;
  if (histogram.n === 0) {
    return (
      <Card>
        <CardTitle>Predicted value</CardTitle>
        <p className="mt-2 text-sm text-slate-600">No customer has been scored yet: import orders, then refresh the segments.</p>
      </Card>
    );
  }
  const what = histogram.basis === "model" ? "Predicted margin over the next 12 months" : "Margin to date (too few repeat customers to predict)";
  const bins = histogram.bins.map((b, i) => ({
    label: i === histogram.bins.length - 1 ? `${formatMoney(b.fromMinor, currency, { compact: true })}+` : formatMoney(b.fromMinor, currency, { compact: true }),
    customers: b.customers,
  }));
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Card>
        <CardTitle>Value per customer</CardTitle>
        <p className="mb-2 text-xs text-slate-500">
          {what}; n = {formatCount(histogram.n)} customers with orders.
        </p>
        <ValueHistogram data={bins} caption={`${what}: number of customers per value band, ${histogram.n} customers`} />
      </Card>
      <Card>
        <CardTitle>Top customers by value</CardTitle>
        <table className="mt-2 w-full text-sm">
          <thead>
            <tr className="text-left text-slate-500">
              <th scope="col" className="py-1 font-medium">Customer</th>
              <th scope="col" className="py-1 text-right font-medium">Value</th>
              <th scope="col" className="py-1 text-right font-medium">90 % interval</th>
              <th scope="col" className="py-1 text-right font-medium">Still a customer</th>
            </tr>
          </thead>
          <tbody>
            {top.slice(0, compact ? 5 : 10).map((c) => (
              <tr key={c.customerId} className="border-t border-slate-100">
                <td className="py-1.5">
                  <Link href={`/customers/${c.customerId}`} className="text-brand-700 hover:underline">
                    {fullName(c)}
                  </Link>
                </td>
                <td className="py-1.5 text-right tabular-nums">{formatMoney(c.predictedValueMinor, currency)}</td>
                <td className="py-1.5 text-right tabular-nums text-slate-500">
                  {c.low !== null && c.high !== null ? `${formatMoney(c.low, currency, { compact: true })}–${formatMoney(c.high, currency, { compact: true })}` : "—"}
                </td>
                <td className="py-1.5 text-right tabular-nums">{c.pAlive === null ? "—" : formatPercent(c.pAlive)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      {!compact && (
        <Card className="lg:col-span-2">
          <CardTitle>Chance still a customer against days since the last order</CardTitle>
          {alive.n === 0 ? (
            <p className="mt-2 text-sm text-slate-600">Shown once the purchase model is in use (it needs repeat customers).</p>
          ) : (
            <>
              <p className="mb-2 text-xs text-slate-500">
                Repeat customers; n = {formatCount(alive.n)}
                {alive.shown < alive.n ? `, a stable sample of ${formatCount(alive.shown)} shown` : ""}. Bigger dots bought on more days.
              </p>
              <AliveRecencyChart data={alive.points} caption={`Chance still a customer against days since last order for ${alive.shown} repeat customers`} />
            </>
          )}
        </Card>
      )}
    </div>
  );
}
