// From purchases to the per-customer summary the models take (lifetimes' summary_data_from_
// transaction_data): purchases on the same day are one purchase, frequency counts the purchase days
// after the first, recency is the first to the last purchase day, T the first purchase day to the
// end of the observation, and monetaryValue the average of the repeat purchase days' totals.
import type { RfmObservation } from "./bgnbd";

export interface Purchase {
  customerId: string;
  /** Whole days since any fixed day (e.g. Date.UTC(...) / 86,400,000). */
  day: number;
  amount: number;
}

export type CustomerSummary = RfmObservation & { id: string; monetaryValue: number };

/** Purchases after endDay are left out; customers whose first purchase is after it are left out too. */
export function summarizePurchases(purchases: Iterable<Purchase>, options: { endDay: number; daysPerUnit: number }): CustomerSummary[] {
  const byCustomer = new Map<string, Map<number, number>>();
  for (const { customerId, day, amount } of purchases) {
    if (day > options.endDay) continue;
    let days = byCustomer.get(customerId);
    if (!days) byCustomer.set(customerId, (days = new Map()));
    days.set(day, (days.get(day) ?? 0) + amount);
  }
  const out: CustomerSummary[] = [];
  for (const [id, days] of byCustomer) {
    const ordered = [...days.keys()].sort((a, b) => a - b);
    const first = ordered[0]!;
    const last = ordered[ordered.length - 1]!;
    const repeat = ordered.slice(1);
    out.push({
      id,
      frequency: repeat.length,
      recency: (last - first) / options.daysPerUnit,
      T: (options.endDay - first) / options.daysPerUnit,
      monetaryValue: repeat.length ? repeat.reduce((s, d) => s + days.get(d)!, 0) / repeat.length : 0,
    });
  }
  return out;
}

/** Days since 1970-01-01 of a YYYYMMDD date. */
export function dayOfYyyymmdd(text: string): number {
  return Date.UTC(Number(text.slice(0, 4)), Number(text.slice(4, 6)) - 1, Number(text.slice(6, 8))) / 86_400_000;
}
