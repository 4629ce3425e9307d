"use client";
// Monthly revenue as bars with the number of orders on a second axis. Takes a plain series. The
// current month is not over, so its column is shaded (seen even before its first sale), its bar is
// lighter and dashed, its axis label says "so far" and a note says how many days it covers: a month
// half gone must not read as sales collapsing.
import { Bar, CartesianGrid, Cell, ComposedChart, Line, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis, type TooltipContentProps } from "recharts";

export interface RevenuePoint {
  month: string; // YYYY-MM
  revenue: number; // major units
  orders: number;
  /** The current month, counted to today; daysCovered of daysInMonth. */
  partial?: { daysCovered: number; daysInMonth: number };
}

const BRAND = "#1f8a63";
const BRAND_LIGHT = "#bfe3d3";
const BRAND_PALE = "#e3f1ea";
const INK = "#0f172a";

const monthDate = (m: string) => new Date(`${m}-01T00:00:00Z`);
const shortMonth = new Intl.DateTimeFormat("en-GB", { month: "short", year: "2-digit", timeZone: "UTC" });
const longMonth = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });

/** "so far: 14 of 31 days" */
export function partialNote(partial: NonNullable<RevenuePoint["partial"]>): string {
  return `so far: ${partial.daysCovered} of ${partial.daysInMonth} day${partial.daysInMonth === 1 ? "" : "s"}`;
}

export function RevenueChart({ data, currency }: { data: RevenuePoint[]; currency: string }) {
  const money = new Intl.NumberFormat("en-GB", { style: "currency", currency, notation: "compact", maximumFractionDigits: 1 });
  const current = data.find((d) => d.partial);
  const tick = (m: string) => `${shortMonth.format(monthDate(m))}${m === current?.month ? " so far" : ""}`;
  // Orders as two lines: solid over complete months, dashed from the last complete month into the
  // current one, so the line's drop into a partial month is marked as the bar's is.
  const series = data.map((d, i) => ({
    ...d,
    ordersComplete: d.partial ? null : d.orders,
    ordersSoFar: d.partial || data[i + 1]?.partial ? d.orders : null,
  }));
  const caption = `Revenue per month over the last ${data.length} months` + (current?.partial ? `; ${longMonth.format(monthDate(current.month))} ${partialNote(current.partial)}` : "");

  return (
    <figure>
      <div className="h-72 w-full" role="img" aria-label={caption}>
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={series} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
            <XAxis dataKey="month" tickFormatter={tick} tick={{ fontSize: 12, fill: "#475569" }} interval="preserveStartEnd" minTickGap={16} />
            <YAxis yAxisId="revenue" tickFormatter={(v: number) => money.format(v)} tick={{ fontSize: 12, fill: "#475569" }} width={64} />
            <YAxis yAxisId="orders" orientation="right" tick={{ fontSize: 12, fill: "#475569" }} width={40} allowDecimals={false} />
            {current ? (
              <ReferenceArea yAxisId="revenue" x1={current.month} x2={current.month} fill={BRAND_PALE} stroke={BRAND} strokeOpacity={0.7} strokeDasharray="4 3" />
            ) : null}
            <Tooltip content={<MonthTooltip currency={currency} />} />
            <Bar yAxisId="revenue" dataKey="revenue" name="Revenue" fill={BRAND} radius={[3, 3, 0, 0]} isAnimationActive={false}>
              {series.map((d) =>
                d.partial ? (
                  <Cell key={d.month} fill={BRAND_LIGHT} stroke={BRAND} strokeWidth={1.5} strokeDasharray="4 3" />
                ) : (
                  <Cell key={d.month} fill={BRAND} />
                ),
              )}
            </Bar>
            <Line yAxisId="orders" dataKey="ordersComplete" name="Orders" stroke={INK} strokeWidth={1.5} dot={false} isAnimationActive={false} />
            <Line yAxisId="orders" dataKey="ordersSoFar" name="Orders so far" stroke={INK} strokeWidth={1.5} strokeDasharray="4 3" dot={false} isAnimationActive={false} legendType="none" />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      {current?.partial ? (
        <figcaption className="mt-2 text-xs text-slate-500">
          {longMonth.format(monthDate(current.month))} is the current month, {partialNote(current.partial)} (shaded); its figures grow until
          the month ends.
        </figcaption>
      ) : null}
    </figure>
  );
}

/** The tooltip of one month; says so when the month is partial. Recharts fills in the other props. */
function MonthTooltip({ active, payload, currency }: Partial<TooltipContentProps<number, string>> & { currency: string }) {
  const point = payload?.[0]?.payload as RevenuePoint | undefined;
  if (!active || !point) return null;
  const money = new Intl.NumberFormat("en-GB", { style: "currency", currency });
  return (
    <div className="rounded-md border border-slate-200 bg-white px-3 py-2 text-xs shadow-sm">
      <p className="font-medium text-slate-900">{longMonth.format(monthDate(point.month))}</p>
      {point.partial ? <p className="text-amber-700">Partial month, {partialNote(point.partial)}</p> : null}
      <p className="mt-1 text-slate-700">Revenue: {money.format(point.revenue)}</p>
      <p className="text-slate-700">Orders: {point.orders}</p>
    </div>
  );
}
