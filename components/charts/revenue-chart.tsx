"use client";
// Monthly revenue as bars with the number of orders on a second axis. Takes a plain series.
import { Bar, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface RevenuePoint {
  month: string;
  revenue: number; // major units
  orders: number;
}

export function RevenueChart({ data, currency }: { data: RevenuePoint[]; currency: string }) {
  const money = new Intl.NumberFormat("en-GB", { style: "currency", currency, notation: "compact", maximumFractionDigits: 1 });
  const label = (m: string) => new Intl.DateTimeFormat("en-GB", { month: "short", year: "2-digit", timeZone: "UTC" }).format(new Date(`${m}-01T00:00:00Z`));
  return (
    <div className="h-72 w-full" role="img" aria-label={`Revenue per month over the last ${data.length} months`}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="month" tickFormatter={label} tick={{ fontSize: 12, fill: "#475569" }} interval="preserveStartEnd" minTickGap={16} />
          <YAxis yAxisId="revenue" tickFormatter={(v: number) => money.format(v)} tick={{ fontSize: 12, fill: "#475569" }} width={64} />
          <YAxis yAxisId="orders" orientation="right" tick={{ fontSize: 12, fill: "#475569" }} width={40} allowDecimals={false} />
          <Tooltip
            labelFormatter={(m) => label(String(m))}
            formatter={(value, name) => (name === "Revenue" ? money.format(Number(value)) : String(value))}
          />
          <Bar yAxisId="revenue" dataKey="revenue" name="Revenue" fill="#1f8a63" radius={[3, 3, 0, 0]} isAnimationActive={false} />
          <Line yAxisId="orders" dataKey="orders" name="Orders" stroke="#0f172a" strokeWidth={1.5} dot={false} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
