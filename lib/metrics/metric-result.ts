// The shape every dashboard figure shares: a value with the n it rests on, or a plain "no data
// yet" with what the owner can do about it. A page never has to guard against NaN, Infinity or a
// division by zero: a figure that cannot be computed says so instead.
import type { NotEnoughData } from "./stats/not-enough-data";

export interface NoData {
  status: "no_data";
  /** What is missing and how to get it, in words an owner can act on. */
  hint: string;
}

/** A computed figure: `status: "ok"` and its fields, or NoData. */
export type Figure<T> = ({ status: "ok" } & T) | NoData;

export interface Interval {
  low: number;
  high: number;
  /** 0.95 for a 95 % interval. */
  level: number;
  /** How it was computed, e.g. "Wilson score". */
  method: string;
}

export const noData = (hint: string): NoData => ({ status: "no_data", hint });

export const ok = <T extends object>(value: T): { status: "ok" } & T => ({ status: "ok", ...value });

/** A statistic from lib/metrics/stats that answered "not enough data", as a dashboard figure. */
export const fromNotEnough = (n: NotEnoughData): NoData => noData(n.reason);

/** a ÷ b, or NoData with the hint when b is zero (or either is not a finite number). */
export function ratioOr(a: number, b: number, hint: string): Figure<{ value: number }> {
  if (!(b !== 0 && Number.isFinite(a) && Number.isFinite(b))) return noData(hint);
  return ok({ value: a / b });
}
