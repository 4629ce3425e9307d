// One figure of the Overview: its value, the n behind it, its 95 % interval where it is an
// estimate, which way it moved, how it is computed — or, without data, what to do to get it.
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Explain } from "@/components/ui/explain";

export interface MetricCardProps {
  label: string;
  /** Omitted when there is no data: `empty` says how to get some. */
  value?: string;
  /** "n = 1,204 customers". */
  n?: string;
  /** "95 % interval 38 to 52". */
  interval?: string;
  /** A plain verdict or caveat under the value ("healthy", "rough: fewer than 30 answers"). */
  note?: { text: string; tone?: "good" | "warn" | "bad" | "neutral" };
  trend?: { text: string; direction: "up" | "down" | "flat" };
  explain: React.ReactNode;
  empty?: { text: string; href?: string; action?: string };
}

const noteTone = { good: "text-brand-700", warn: "text-amber-700", bad: "text-red-700", neutral: "text-slate-600" } as const;
const arrow = { up: "↑", down: "↓", flat: "→" } as const;

export function MetricCard({ label, value, n, interval, note, trend, explain, empty }: MetricCardProps) {
  const id = `metric-${label.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return (
    <Card aria-labelledby={`${id}-label`} data-testid={id} className="flex flex-col">
      <p id={`${id}-label`} className="text-sm font-medium text-slate-600">
        {label}
      </p>
      {value !== undefined && !empty ? (
        <>
          <p className="mt-2 text-3xl font-semibold tabular-nums tracking-tight text-slate-900" data-testid={`${id}-value`}>
            {value}
          </p>
          {note && <p className={cn("mt-1 text-xs font-medium", noteTone[note.tone ?? "neutral"])}>{note.text}</p>}
          <p className="mt-1 text-xs text-slate-500">
            {[n, interval].filter(Boolean).join(" · ")}
          </p>
          {trend && (
            <p className="mt-1 text-xs text-slate-500">
              <span aria-hidden="true">{arrow[trend.direction]} </span>
              {trend.text}
            </p>
          )}
        </>
      ) : (
        <p className="mt-2 text-sm text-slate-600">
          <span className="block font-medium text-slate-800">No data yet</span>
          {empty?.text}{" "}
          {empty?.href && (
            <Link href={empty.href} className="text-brand-700 underline underline-offset-2">
              {empty.action ?? "Start here"}
            </Link>
          )}
        </p>
      )}
      <div className="mt-auto pt-3">
        <Explain>{explain}</Explain>
      </div>
    </Card>
  );
}
