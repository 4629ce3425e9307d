"use client";
// How predicted value is spread over customers: one bar per value band.
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface ValueBin {
  label: string;
  customers: number;
}

export function ValueHistogram({ data, caption }: { data: ValueBin[]; caption: string }) {
  return (
    <div className="h-64 w-full" role="img" aria-label={caption}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="label" tick={{ fontSize: 11, fill: "#475569" }} interval="preserveStartEnd" minTickGap={8} />
          <YAxis tick={{ fontSize: 12, fill: "#475569" }} width={48} allowDecimals={false} />
          <Tooltip formatter={(v) => [`${v} customers`, "Customers"]} />
          <Bar dataKey="customers" name="Customers" fill="#1f8a63" radius={[3, 3, 0, 0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
