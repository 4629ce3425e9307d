"use client";
// A campaign's funnel as horizontal bars: how many customers each step kept. Takes a plain series.
import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, XAxis, YAxis } from "recharts";

export interface FunnelPoint {
  label: string;
  customers: number;
}

export function CampaignFunnelChart({ data }: { data: FunnelPoint[] }) {
  const caption = `Funnel: ${data.map((d) => `${d.label} ${d.customers}`).join(", ")}`;
  return (
    <figure>
      <div className="h-56 w-full" role="img" aria-label={caption}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} layout="vertical" margin={{ top: 4, right: 48, bottom: 0, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke="#e2e8f0" />
            <XAxis type="number" allowDecimals={false} tick={{ fontSize: 12, fill: "#475569" }} />
            <YAxis type="category" dataKey="label" width={170} tick={{ fontSize: 12, fill: "#334155" }} />
            <Bar dataKey="customers" name="Customers" fill="#1f8a63" radius={[0, 3, 3, 0]} isAnimationActive={false}>
              <LabelList dataKey="customers" position="right" style={{ fontSize: 12, fill: "#0f172a" }} />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="mt-2 text-xs text-slate-500">{caption} (n = {data[0]?.customers ?? 0} customers considered).</figcaption>
    </figure>
  );
}
