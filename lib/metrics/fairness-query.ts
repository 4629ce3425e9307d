// The fairness page's URL (?campaign=…&from=YYYY-MM&to=YYYY-MM) as the report's options. Months are
// calendar months in the shop's time zone, both ends included; anything unreadable falls back to
// the last three months, so a hand-edited URL shows a report rather than an error.
import { z } from "zod";

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);
export const DEFAULT_FAIRNESS_MONTHS = 3;

export interface FairnessQuery {
  campaignId: string | null;
  fromMonth: string;
  toMonth: string;
  from: Date;
  to: Date;
}

/** Milliseconds the time zone is ahead of UTC at that instant. */
function offsetMs(at: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return wall - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant a month begins in the time zone (the offset is read again at the guess, for a DST change in between). */
export function monthStart(month: string, timeZone: string): Date {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, 1);
  const guess = wall - offsetMs(new Date(wall), timeZone);
  return new Date(wall - offsetMs(new Date(guess), timeZone));
}

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

export function monthOf(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit" }).formatToParts(at).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}`;
}

const one = (v: unknown) => (Array.isArray(v) ? v[0] : v);

export function parseFairnessQuery(params: Record<string, string | string[] | undefined>, options: { timeZone: string; now?: Date }): FairnessQuery {
  const current = monthOf(options.now ?? new Date(), options.timeZone);
  const campaign = z.uuid().safeParse(one(params.campaign));
  const to = Month.safeParse(one(params.to));
  const toMonth = to.success ? to.data : current;
  const from = Month.safeParse(one(params.from));
  let fromMonth = from.success ? from.data : addMonths(toMonth, 1 - DEFAULT_FAIRNESS_MONTHS);
  if (fromMonth > toMonth) fromMonth = toMonth;
  return {
    campaignId: campaign.success ? campaign.data : null,
    fromMonth,
    toMonth,
    from: monthStart(fromMonth, options.timeZone),
    to: monthStart(addMonths(toMonth, 1), options.timeZone),
  };
}
