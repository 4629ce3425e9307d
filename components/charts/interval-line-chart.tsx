"use client";
// A figure over months with its 95 % interval as a band (NPS, opt-out rate), and optionally a
// threshold line (the opt-out guardrail). Months without enough data are gaps, not zeros.
import { Area, CartesianGrid, ComposedChart, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface IntervalPoint {
  month: string; // YYYY-MM
  value: number | null;
  lo: number | null;
  hi: number | null;
  n: number;
}

const shortMonth = new Intl.DateTimeFormat("en-GB", { month: "short", year: "2-digit", timeZone: "UTC" });
const tick = (m: string) => shortMonth.format(new Date(`${m}-01T00:00:00Z`));

export function IntervalLineChart({
  data,
  name,
  unit = "",
  caption,
  threshold,
  domain,
}: {
  data: IntervalPoint[];
  name: string;
  unit?: string;
  caption: string;
  threshold?: { value: number; label: string };
  domain?: [number, number];
}) {
  const series = data.map((d) => ({ ...d, band: d.lo !== null && d.hi !== null ? [d.lo, d.hi] : null }));
  const fmt = (v: number) => `${Number.isInteger(v) ? v : v.toFixed(1)}${unit}`;
  return (
    <figure>
      <div className="h-56 w-full" role="img" aria-label={caption}>
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={series} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
            <XAxis dataKey="month" tickFormatter={tick} tick={{ fontSize: 12, fill: "#475569" }} interval="preserveStartEnd" minTickGap={16} />
            <YAxis tick={{ fontSize: 12, fill: "#475569" }} width={56} domain={domain ?? ["auto", "auto"]} tickFormatter={fmt} />
            <Tooltip
              labelFormatter={(m) => tick(String(m))}
              formatter={(value, key, item) => {
                const p = (item as { payload?: IntervalPoint }).payload;
                if (key === "band") return [p && p.lo !== null && p.hi !== null ? `${fmt(p.lo)} to ${fmt(p.hi)}` : "—", "95 % interval"];
                return [`${typeof value === "number" ? fmt(value) : "—"} (n = ${p?.n ?? 0})`, name];
              }}
            />
            <Area dataKey="band" stroke="none" fill="#1f8a63" fillOpacity={0.15} isAnimationActive={false} connectNulls={false} />
            <Line dataKey="value" name={name} stroke="#1f8a63" strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} connectNulls={false} />
            {threshold && <ReferenceLine y={threshold.value} stroke="#b45309" strokeDasharray="4 3" label={{ value: threshold.label, fontSize: 11, fill: "#b45309", position: "insideTopRight" }} />}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="mt-2 text-xs text-slate-500">{caption}</figcaption>
    </figure>
  );
}
