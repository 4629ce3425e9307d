// Predicted customer value for one shop: BG/NBD for how often and how long a customer keeps
// buying, Gamma-Gamma for how much per purchase (lib/predict), combined into a 12-month margin
// value. A small shop's fit can be confident nonsense, so the model is used only when the shop has
// enough repeat customers AND the bootstrap says the fit is stable; otherwise every customer's
// value is their history (margin × spend to date) and the page says why.
import { bootstrapBgNbd, intervalOfSorted, percentileInterval } from "../predict/bootstrap";
import { bgNbdExpectedPurchasesIfAlive, bgNbdPAlive, fitBgNbdPatterns, withWeights, type BgNbdParams, type RfmObservation } from "../predict/bgnbd";
import { logisticOfMinus } from "../predict/special-functions";
import { discountedPurchasesIfAlive } from "../predict/customer-value";
import { fitGammaGamma, gammaGammaExpectedAverageValue, type GammaGammaParams } from "../predict/gamma-gamma";
import { SeededRandom } from "../demo/seeded-random";
import { formatCount } from "../format";
import type { CustomerHistory } from "./customer-history";

/**
 * Below this many repeat customers the four BG/NBD parameters are not pinned down: on random CDNOW
 * subsamples with 50 repeat customers the fitted dropout parameters a and b already vary four-fold
 * between subsamples, and with 20 they run off to the edge of the parameter space
 * (docs/decisions/005-segments.md). The bootstrap check below catches unstable fits above it.
 */
export const MIN_REPEAT_CUSTOMERS = 50;

export const tooFewRepeatCustomers = (n: number) =>
  `Only ${n === 1 ? "1 customer has" : `${formatCount(n)} customers have`} ordered on more than one day; predictions need at least ${MIN_REPEAT_CUSTOMERS}.`;
/** Relative width of the 90 % interval of the shop's expected purchases above which the fit is not trusted. */
export const MAX_RELATIVE_INTERVAL = 0.5;
export const BOOTSTRAP_SAMPLES = 30;
/** Bootstrap refits use at most this many customers, so intervals of large shops err wide, not slow. */
export const BOOTSTRAP_MAX_CUSTOMERS = 5_000;
/**
 * The purchase and spend models of a larger shop are fitted on this many of its customers, those
 * with the smallest sample keys (a hash of their id, so the same customers from one refresh to the
 * next); every customer is then predicted with the fitted parameters. The parameters' sampling
 * error shrinks as 1/√n: at 20,000 customers it is already half of what the bootstrap below (5,000
 * customers) reports, and measured fits on samples stay within a few percent of the fit on every
 * customer (docs/decisions/005-segments.md).
 */
export const FIT_MAX_CUSTOMERS = 20_000;
export const HORIZON_DAYS = 90;
export const VALUE_MONTHS = 12;
/** Monthly discount rate for future margin (about 12.7 % a year). */
export const MONTHLY_DISCOUNT_RATE = 0.01;
const WEEKS_PER_MONTH = 52 / 12;

export interface ValueModelSummary {
  status: "fitted" | "too_few_repeat_customers" | "unstable" | "no_orders";
  message: string;
  customers: number;
  repeatCustomers: number;
  bgnbd: (BgNbdParams & { logLikelihood: number }) | null;
  gammaGamma: GammaGammaParams | null;
  /** The shop's expected repeat purchases in the next 90 days, with its 90 % bootstrap interval. */
  expectedPurchases90d: { estimate: number; interval: [number, number] | null; bootstrapSamples: number; bootstrapCustomers: number } | null;
  /** How many customers the models were fitted on (all of them up to FIT_MAX_CUSTOMERS); absent in older records. */
  fittedCustomers?: number;
  margin: number;
  horizonDays: number;
  months: number;
  monthlyDiscountRate: number;
}

export interface CustomerPrediction {
  pAlive: number | null;
  expectedPurchases90d: number | null;
  expectedPurchases90dLow: number | null;
  expectedPurchases90dHigh: number | null;
  expectedOrderValueMinor: number | null;
  predictedValueMinor: number;
  predictedValueLowMinor: number | null;
  predictedValueHighMinor: number | null;
  valueBasis: "model" | "history";
}

/** Weeks, as in the published models; days are local calendar days. */
export function observation(c: CustomerHistory, today: number): RfmObservation {
  return { frequency: c.purchaseDays - 1, recency: (c.lastDay - c.firstDay) / 7, T: (today - c.firstDay) / 7 };
}

/**
 * Customers with the same (x, t_x, T) in days, counted once with their number as weight: the same
 * patterns, in the same order, as collapseObservations makes of the observations, keyed by numbers
 * instead of strings (a shop of 100,000 customers has about as many patterns).
 */
function patternsOf(customers: readonly CustomerHistory[], today: number) {
  const index = new Map<number, number>();
  const x: number[] = [];
  const tx: number[] = [];
  const T: number[] = [];
  const weight: number[] = [];
  for (const c of customers) {
    const key = (c.purchaseDays - 1) * 1e10 + (c.lastDay - c.firstDay) * 1e5 + (today - c.firstDay);
    let p = index.get(key);
    if (p === undefined) {
      p = x.length;
      index.set(key, p);
      const o = observation(c, today);
      x.push(o.frequency);
      tx.push(o.recency);
      T.push(o.T);
      weight.push(0);
    }
    weight[p]! += 1;
  }
  return withWeights({ x, tx, T }, weight);
}

/**
 * One parameter set's forecast for every customer, in tables: E[Y(t) | x, t_x, T] is
 * E[Y(t) | alive, x, T] (a hypergeometric series that depends on x and T only: one value per
 * distinct (x, T) pair of the shop) times P(alive | x, t_x, T), whose logarithms come from tables by
 * whole day and by x. The numbers are those of bgNbdConditionalExpectedPurchases and bgNbdPAlive,
 * with the same arithmetic; typed tables keep the loop over customers × draws cheap.
 */
interface Forecast {
  params: BgNbdParams;
  t: number;
  r: number;
  lnAlpha: Float64Array;
  lnOdds: Float64Array;
  ifAlive: Float64Array;
}

function forecastTables(params: BgNbdParams, t: number, days: ShopDays): Forecast {
  const { r, alpha, a, b } = params;
  const lnAlpha = new Float64Array(days.maxDays + 1);
  for (let d = 0; d <= days.maxDays; d++) lnAlpha[d] = Math.log(alpha + d / 7);
  const lnOdds = new Float64Array(days.maxX + 1);
  for (let x = 1; x <= days.maxX; x++) lnOdds[x] = Math.log(a / (b + x - 1));
  const ifAlive = new Float64Array(days.pairX.length);
  for (let k = 0; k < ifAlive.length; k++) ifAlive[k] = bgNbdExpectedPurchasesIfAlive(params, t, days.pairX[k]!, days.pairT[k]! / 7);
  return { params, t, r, lnAlpha, lnOdds, ifAlive };
}

/** P(alive) for x repeat purchase days, the last t_x and the age T days after the first. */
function aliveOf(f: Forecast, x: number, txDays: number, TDays: number): number {
  if (x === 0) return 1;
  if (x >= f.lnOdds.length || TDays >= f.lnAlpha.length) return bgNbdPAlive(f.params, { frequency: x, recency: txDays / 7, T: TDays / 7 });
  return logisticOfMinus(f.lnOdds[x]! + (f.r + x) * (f.lnAlpha[TDays]! - f.lnAlpha[txDays]!));
}

/** E[Y(t) | alive, x, T] from the table, or computed for a pair the shop's customers do not have. */
const ifAliveOf = (f: Forecast, pair: number, x: number, TDays: number) =>
  pair >= 0 ? f.ifAlive[pair]! : bgNbdExpectedPurchasesIfAlive(f.params, f.t, x, TDays / 7);

/** Each customer's whole days (repeat purchase days x, last purchase t_x and age T after the first) and their (x, T) pair. */
interface ShopDays {
  xs: Int32Array;
  txs: Int32Array;
  Ts: Int32Array;
  pair: Int32Array;
  /** Position of each (x, T) pair by x · (maxDays + 1) + T. */
  pairOf: Map<number, number>;
  pairX: number[];
  pairT: number[];
  maxX: number;
  maxDays: number;
}

function shopDays(customers: readonly CustomerHistory[], today: number): ShopDays {
  const n = customers.length;
  const xs = new Int32Array(n);
  const txs = new Int32Array(n);
  const Ts = new Int32Array(n);
  let maxX = 0;
  let maxDays = 0;
  for (let i = 0; i < n; i++) {
    const c = customers[i]!;
    xs[i] = c.purchaseDays - 1;
    txs[i] = c.lastDay - c.firstDay;
    Ts[i] = today - c.firstDay;
    if (xs[i]! > maxX) maxX = xs[i]!;
    if (Ts[i]! > maxDays) maxDays = Ts[i]!;
  }
  const index = new Map<number, number>();
  const pair = new Int32Array(n);
  const pairX: number[] = [];
  const pairT: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = xs[i]! * (maxDays + 1) + Ts[i]!;
    let k = index.get(key);
    if (k === undefined) {
      index.set(key, (k = pairX.length));
      pairX.push(xs[i]!);
      pairT.push(Ts[i]!);
    }
    pair[i] = k;
  }
  return { xs, txs, Ts, pair, pairOf: index, pairX, pairT, maxX, maxDays };
}

/** A deterministic stand-in for a sample key when the history has none (its position, mixed). */
function mixedPosition(i: number): number {
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/** Positions of the customers the models are fitted on: all, or the `max` with the smallest sample keys. */
function fitSample(customers: readonly CustomerHistory[], max: number): number[] {
  const all = customers.map((_, i) => i);
  if (customers.length <= max) return all;
  const keys = Int32Array.from(customers, (c, i) => c.sampleKey ?? mixedPosition(i));
  return all.sort((p, q) => keys[p]! - keys[q]! || p - q).slice(0, max).sort((p, q) => p - q);
}

export interface ShopValueModel {
  summary: ValueModelSummary;
  predict: (c: CustomerHistory) => CustomerPrediction;
}

export function fitShopValueModel(customers: readonly CustomerHistory[], today: number, options: { margin: number; seed: string; fitMaxCustomers?: number }): ShopValueModel {
  const base = { customers: customers.length, margin: options.margin, horizonDays: HORIZON_DAYS, months: VALUE_MONTHS, monthlyDiscountRate: MONTHLY_DISCOUNT_RATE };
  const repeatCustomers = customers.filter((c) => c.purchaseDays > 1).length;
  const historyOnly = (status: ValueModelSummary["status"], message: string) => ({
    summary: { ...base, status, message, repeatCustomers, bgnbd: null, gammaGamma: null, expectedPurchases90d: null } satisfies ValueModelSummary,
    predict: (c: CustomerHistory): CustomerPrediction => historyPrediction(c, options.margin),
  });
  if (customers.length === 0) return historyOnly("no_orders", "No orders yet: there is nothing to predict from.");
  if (repeatCustomers < MIN_REPEAT_CUSTOMERS) {
    return historyOnly(
      "too_few_repeat_customers",
      `${tooFewRepeatCustomers(repeatCustomers)} Values shown are history: margin × spend to date.`,
    );
  }

  const fitted = fitSample(customers, options.fitMaxCustomers ?? FIT_MAX_CUSTOMERS).map((i) => customers[i]!);
  const fit = fitBgNbdPatterns(patternsOf(fitted, today));
  const params = fit.params;
  if (!fit.converged || !sane(params)) {
    return historyOnly("unstable", "The purchase model did not converge on this shop's orders; values shown are history.");
  }
  const t = HORIZON_DAYS / 7;
  const n = customers.length;
  const days = shopDays(customers, today);
  const { xs, txs, Ts, pair } = days;
  const forecast = forecastTables(params, t, days);
  const expectedOf = (f: Forecast, i: number) => f.ifAlive[pair[i]!]! * aliveOf(f, xs[i]!, txs[i]!, Ts[i]!);
  let estimate = 0;
  for (let i = 0; i < n; i++) estimate += expectedOf(forecast, i);
  if (!Number.isFinite(estimate)) return historyOnly("unstable", "The purchase model gave no usable forecast for this shop's orders; values shown are history.");

  // Bootstrap: refit on resampled customers, re-predict the shop's 90-day purchases with each draw.
  const sampled = subsample(customers.map((_, i) => i), BOOTSTRAP_MAX_CUSTOMERS, options.seed);
  const sample = sampled.map((i) => observation(customers[i]!, today));
  // A refit can land on the edge of the parameter space (a, b → 0 or ∞), where the forecast is
  // undefined; such draws are dropped, and too few usable draws mean the fit is not trusted.
  const scale = n / sample.length;
  const draws: Forecast[] = [];
  const totals: number[] = [];
  for (const p of bootstrapBgNbd(sample, { samples: BOOTSTRAP_SAMPLES, seed: options.seed })) {
    if (!sane(p)) continue;
    const draw = forecastTables(p, t, days);
    const total = scale * sampled.reduce((s, i) => s + expectedOf(draw, i), 0);
    if (Number.isFinite(total)) {
      draws.push(draw);
      totals.push(total);
    }
  }
  const interval = totals.length >= 10 ? percentileInterval(totals, 0.9) : null;
  const expectedPurchases90d = { estimate, interval, bootstrapSamples: draws.length, bootstrapCustomers: sample.length };
  const relativeWidth = interval ? (interval[1] - interval[0]) / Math.max(estimate, 1e-9) : Infinity;
  if (relativeWidth > MAX_RELATIVE_INTERVAL) {
    const message = interval
      ? `The prediction is too uncertain here (the shop's purchases in the next 90 days could be anywhere from ${interval[0].toFixed(0)} to ${interval[1].toFixed(0)}); values shown are history: margin × spend to date.`
      : "The purchase model could not be checked by resampling; values shown are history: margin × spend to date.";
    const unstable = historyOnly("unstable", message);
    return { ...unstable, summary: { ...unstable.summary, bgnbd: { ...params, logLikelihood: fit.logLikelihood }, expectedPurchases90d, fittedCustomers: fitted.length } };
  }

  const spenders = fitted
    .map((c) => ({ frequency: c.purchaseDays - 1, monetaryValue: c.repeatAverageMinor ?? 0 }))
    .filter((r) => r.frequency > 0 && r.monetaryValue > 0);
  const gg = spenders.length >= MIN_REPEAT_CUSTOMERS ? fitGammaGamma(spenders) : null;
  const gammaGamma = gg && gg.converged && Object.values(gg.params).every((v) => Number.isFinite(v) && v > 0) && gg.params.q > 1 ? gg.params : null;

  // Discounted purchases over 12 months of a customer still buying, once per (x, T).
  const discounted = new Float64Array(days.pairX.length).fill(Number.NaN);
  const valueOptions = { monthlyDiscountRate: MONTHLY_DISCOUNT_RATE, months: VALUE_MONTHS, periodsPerMonth: WEEKS_PER_MONTH };
  const byDraw = new Float64Array(draws.length);
  const predict = (c: CustomerHistory): CustomerPrediction => {
    const x = c.purchaseDays - 1;
    const tx = c.lastDay - c.firstDay;
    const T = today - c.firstDay;
    // Every customer of the shop has a pair in the tables; a history from elsewhere may not.
    const p = T <= days.maxDays ? (days.pairOf.get(x * (days.maxDays + 1) + T) ?? -1) : -1;
    const pAlive = aliveOf(forecast, x, tx, T);
    const expected = ifAliveOf(forecast, p, x, T) * pAlive;
    let k = 0;
    for (const d of draws) {
      const v = ifAliveOf(d, p, x, T) * aliveOf(d, x, tx, T);
      if (Number.isFinite(v)) byDraw[k++] = v;
    }
    const [low, high] = k >= 10 ? intervalOfSorted(sortSmall(byDraw, k), k, 0.9) : [null, null];
    let perUnit = p >= 0 ? discounted[p]! : Number.NaN;
    if (perUnit !== perUnit) {
      perUnit = discountedPurchasesIfAlive(params, x, T / 7, valueOptions);
      if (p >= 0) discounted[p] = perUnit;
    }
    // Value per unit of order value: the discounted purchases over 12 months, times margin.
    const unitValue = options.margin * pAlive * perUnit;
    const orderValue = gammaGamma
      ? gammaGammaExpectedAverageValue(gammaGamma, x, c.repeatAverageMinor ?? 0)
      : c.revenueMinor / Math.max(1, c.purchaseDays);
    const value = unitValue * orderValue;
    // The interval covers how often they buy (the larger uncertainty), not the spend per order.
    const ratio = (v: number | null) => (v === null || expected <= 0 ? null : Math.round((value * v) / expected));
    return {
      pAlive, expectedPurchases90d: expected, expectedPurchases90dLow: low, expectedPurchases90dHigh: high,
      valueBasis: "model", expectedOrderValueMinor: Math.round(orderValue), predictedValueMinor: Math.round(value),
      predictedValueLowMinor: ratio(low), predictedValueHighMinor: ratio(high),
    };
  };

  const on = fitted.length < customers.length
    ? `Fitted on ${formatCount(fitted.length)} of ${formatCount(customers.length)} customers (a fixed sample; ${formatCount(repeatCustomers)} repeat customers in all)`
    : `Fitted on ${formatCount(customers.length)} customers, ${formatCount(repeatCustomers)} of them repeat customers`;
  const summary: ValueModelSummary = {
    ...base, status: "fitted", repeatCustomers,
    message: gammaGamma ? `${on}.` : `${on}. The spend model did not fit, so each customer's own average order value is used.`,
    bgnbd: { ...params, logLikelihood: fit.logLikelihood }, gammaGamma, expectedPurchases90d, fittedCustomers: fitted.length,
  };
  return { summary, predict };
}

/** The first `k` values in ascending order, in place (insertion sort: a few dozen bootstrap draws). */
function sortSmall(values: Float64Array, k: number): Float64Array {
  for (let i = 1; i < k; i++) {
    const v = values[i]!;
    let j = i - 1;
    while (j >= 0 && values[j]! > v) {
      values[j + 1] = values[j]!;
      j--;
    }
    values[j + 1] = v;
  }
  return values;
}

/** Parameters inside the region where the model's formulas are defined and meaningful. */
function sane(p: BgNbdParams): boolean {
  return Object.values(p).every((v) => Number.isFinite(v) && v > 1e-8 && v < 1e8);
}

function historyPrediction(c: CustomerHistory, margin: number): CustomerPrediction {
  return {
    pAlive: null, expectedPurchases90d: null, expectedPurchases90dLow: null, expectedPurchases90dHigh: null, expectedOrderValueMinor: null,
    predictedValueMinor: Math.round(margin * c.revenueMinor), predictedValueLowMinor: null, predictedValueHighMinor: null, valueBasis: "history",
  };
}

function subsample<T>(rows: readonly T[], max: number, seed: string): readonly T[] {
  if (rows.length <= max) return rows;
  const rng = new SeededRandom(`subsample-${seed}`);
  const copy = [...rows];
  for (let i = 0; i < max; i++) {
    const j = rng.int(i, copy.length - 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, max);
}
