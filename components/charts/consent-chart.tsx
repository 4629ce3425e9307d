"use client";
// Grants and withdrawals per month as side-by-side bars. Takes a plain series.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface ConsentMonthPoint {
  month: string; // YYYY-MM
  grants: number;
  withdrawals: number;
}

const shortMonth = new Intl.DateTimeFormat("en-GB", { month: "short", year: "2-digit", timeZone: "UTC" });
const tick = (m: string) => shortMonth.format(new Date(`${m}-01T00:00:00Z`));

export function ConsentChart({ data }: { data: ConsentMonthPoint[] }) {
  const grants = data.reduce((s, d) => s + d.grants, 0);
  const withdrawals = data.reduce((s, d) => s + d.withdrawals, 0);
  const caption = `Consent given and withdrawn per month over ${data.length} month${data.length === 1 ? "" : "s"}: ${grants} grants, ${withdrawals} withdrawals`;
  return (
    <figure>
      <div className="h-64 w-full" role="img" aria-label={caption}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
            <XAxis dataKey="month" tickFormatter={tick} tick={{ fontSize: 12, fill: "#475569" }} interval="preserveStartEnd" minTickGap={16} />
            <YAxis allowDecimals={false} tick={{ fontSize: 12, fill: "#475569" }} width={40} />
            <Tooltip labelFormatter={(m) => tick(String(m))} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Bar dataKey="grants" name="Grants" fill="#1f8a63" radius={[3, 3, 0, 0]} isAnimationActive={false} />
            <Bar dataKey="withdrawals" name="Withdrawals" fill="#b45309" radius={[3, 3, 0, 0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="mt-2 text-xs text-slate-500">{caption} (months in the shop&apos;s time zone, filters applied).</figcaption>
    </figure>
  );
}
