// The months a set of figures covers: whole calendar months (YYYY-MM) in the shop's time zone, from
// and to inclusive, and an optional acquisition channel. Cohort figures take the customers whose
// first order fell in those months; spend and consent figures take those months themselves.
import { z } from "zod";
import { AppError } from "../errors";

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export const MetricsRangeSchema = z
  .object({
    from: z.string().regex(MONTH, "Use a month as YYYY-MM, e.g. 2026-01.").optional(),
    to: z.string().regex(MONTH, "Use a month as YYYY-MM, e.g. 2026-12.").optional(),
    channel: z.string().trim().min(1).max(60).optional(),
  })
  .refine((r) => !r.from || !r.to || r.from <= r.to, { message: "The first month must not come after the last.", path: ["from"] });

export type MetricsRange = z.infer<typeof MetricsRangeSchema>;

export interface ResolvedRange {
  from: string;
  to: string;
  channel: string | null;
  /** Every month from `from` to `to`, in order. */
  months: string[];
}

/** Months between two YYYY-MM strings: b − a. */
export function monthsBetween(a: string, b: string): number {
  const [ya, ma] = a.split("-").map(Number) as [number, number];
  const [yb, mb] = b.split("-").map(Number) as [number, number];
  return (yb - ya) * 12 + (mb - ma);
}

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${String(Math.floor(index / 12)).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** The calendar month an instant falls in, in a time zone. */
export function monthIn(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit" }).formatToParts(instant);
  const part = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return `${part("year")}-${part("month")}`;
}

/** The longest range the figures cover (ten years of months): a guard, not a business rule. */
export const MAX_RANGE_MONTHS = 120;

/**
 * Defaults: up to the current month; from the shop's first order's month (or the last month,
 * when there is no order yet).
 */
export function resolveRange(input: unknown, defaults: { currentMonth: string; firstMonth: string | null }): ResolvedRange {
  const parsed = MetricsRangeSchema.safeParse(input ?? {});
  if (!parsed.success) {
    throw new AppError("invalid_input", "The date range is not valid.", {
      fields: parsed.error.issues.map((i) => ({ field: i.path.join(".") || "range", message: i.message })),
    });
  }
  const to = parsed.data.to ?? defaults.currentMonth;
  let from = parsed.data.from ?? (defaults.firstMonth && defaults.firstMonth < to ? defaults.firstMonth : to);
  if (from > to) from = to;
  if (monthsBetween(from, to) >= MAX_RANGE_MONTHS) {
    throw new AppError("invalid_input", `A range covers at most ${MAX_RANGE_MONTHS} months; ${from} to ${to} is ${monthsBetween(from, to) + 1}.`, {
      fields: [{ field: "from", message: `At most ${MAX_RANGE_MONTHS} months.` }],
    });
  }
  const months = Array.from({ length: monthsBetween(from, to) + 1 }, (_, i) => addMonths(from, i));
  return { from, to, channel: parsed.data.channel ?? null, months };
}

/** The instant a calendar month begins in a time zone (its first local midnight), across DST. */
export function monthStart(month: string, timeZone: string): Date {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, 1);
  // The zone's offset at an instant: its wall-clock time read as UTC, minus the instant.
  const offset = (at: number) => {
    const p = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" }).formatToParts(at);
    const v = (t: string) => Number(p.find((x) => x.type === t)?.value);
    return Date.UTC(v("year"), v("month") - 1, v("day"), v("hour"), v("minute"), v("second")) - at;
  };
  // Two steps: the offset at the guess can differ from the one at the answer when DST falls between.
  let at = wall - offset(wall);
  at = wall - offset(at);
  return new Date(at);
}

/** The instants a range of whole months covers in a time zone: [start of `from`, start of the month after `to`). */
export function rangeInstants(range: { from: string; to: string }, timeZone: string): { start: Date; end: Date } {
  return { start: monthStart(range.from, timeZone), end: monthStart(addMonths(range.to, 1), timeZone) };
}
