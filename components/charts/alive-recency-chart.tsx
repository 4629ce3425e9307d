"use client";
// P(alive) against days since the last order, one dot per repeat customer: the model's view of
// who is still a customer. Darker dots bought on more days.
import { CartesianGrid, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis } from "recharts";

export interface AlivePoint {
  daysSinceLast: number;
  pAlive: number;
  purchaseDays: number;
}

export function AliveRecencyChart({ data, caption }: { data: AlivePoint[]; caption: string }) {
  const points = data.map((p) => ({ ...p, percent: Math.round(p.pAlive * 100) }));
  return (
    <div className="h-64 w-full" role="img" aria-label={caption}>
      <ResponsiveContainer width="100%" height="100%">
        <ScatterChart margin={{ top: 8, right: 8, bottom: 16, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis type="number" dataKey="daysSinceLast" name="Days since last order" tick={{ fontSize: 12, fill: "#475569" }} label={{ value: "days since last order", position: "insideBottom", offset: -8, fontSize: 12 }} />
          <YAxis type="number" dataKey="percent" name="Chance still a customer" unit=" %" domain={[0, 100]} tick={{ fontSize: 12, fill: "#475569" }} width={52} />
          <ZAxis type="number" dataKey="purchaseDays" range={[16, 80]} name="Purchase days" />
          <Tooltip cursor={{ strokeDasharray: "3 3" }} />
          <Scatter data={points} fill="#1f8a63" fillOpacity={0.55} isAnimationActive={false} />
        </ScatterChart>
      </ResponsiveContainer>
    </div>
  );
}
