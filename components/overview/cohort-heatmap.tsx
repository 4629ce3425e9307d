// Retention by monthly acquisition cohort: one row per month of first order, one column per month
// since, each cell the share of the cohort that ordered in that month, its shade the share. A
// table rather than a canvas: it reads aloud, copies into a spreadsheet and prints.
import { cn } from "@/components/ui/cn";

export interface CohortRow {
  /** YYYY-MM of the first order, in the shop's time zone. */
  cohort: string;
  size: number;
  /** Share (0–1) of the cohort ordering in month 0, 1, 2…; null where that month has not come yet. */
  shares: (number | null)[];
}

const monthName = new Intl.DateTimeFormat("en-GB", { month: "short", year: "numeric", timeZone: "UTC" });
const label = (m: string) => monthName.format(new Date(`${m}-01T00:00:00Z`));
const percent = (x: number) => `${x >= 0.1 || x === 0 ? Math.round(x * 100) : (x * 100).toFixed(1)} %`;

export function CohortHeatmap({ rows, months }: { rows: CohortRow[]; months: number }) {
  // Month 0 is everyone by definition; shade the later months against their own maximum.
  const max = Math.max(0.0001, ...rows.flatMap((r) => r.shares.slice(1).filter((s): s is number => s !== null)));
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full border-separate border-spacing-0.5 text-xs tabular-nums">
        <caption className="sr-only">Share of each monthly cohort of new customers that ordered again, by months since their first order</caption>
        <thead>
          <tr className="text-slate-500">
            <th scope="col" className="px-2 py-1 text-left font-medium">
              First order
            </th>
            <th scope="col" className="px-2 py-1 text-right font-medium">
              Customers
            </th>
            {Array.from({ length: months }, (_, i) => (
              <th key={i} scope="col" className="px-2 py-1 text-right font-medium">
                {i === 0 ? "M0" : `+${i}`}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.cohort}>
              <th scope="row" className="whitespace-nowrap px-2 py-1 text-left font-medium text-slate-700">
                {label(r.cohort)}
              </th>
              <td className="px-2 py-1 text-right text-slate-600">{r.size.toLocaleString("en-GB")}</td>
              {Array.from({ length: months }, (_, i) => {
                const share = r.shares[i];
                if (share === null || share === undefined) return <td key={i} className="px-2 py-1" aria-label="not yet" />;
                const strength = i === 0 ? 0 : Math.min(1, share / max);
                return (
                  <td
                    key={i}
                    className={cn("whitespace-nowrap rounded px-2 py-1 text-right", strength > 0.55 ? "text-white" : "text-slate-800")}
                    style={{ backgroundColor: i === 0 ? "#f1f5f9" : `rgba(31, 138, 99, ${0.08 + 0.85 * strength})` }}
                  >
                    {percent(share)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
