// BG/NBD: how often a customer buys and whether they are still buying at all (Fader, Hardie & Lee
// 2005, "Counting your customers the easy way", Marketing Science 24(2); likelihood in section 7 and
// brucehardie.com/notes/004). While active, a customer buys at rate λ ~ Gamma(r, α); after each
// purchase they drop out with probability p ~ Beta(a, b). Time is in whatever unit the observations
// use (weeks for CDNOW). `frequency` counts repeat purchases, so a one-time buyer has frequency 0.
import { minimizeBfgs } from "./minimize";
import { digamma, gammaln, logHyp2f1, logisticOfMinus } from "./special-functions";

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** frequency = repeat purchases (x), recency = time of the last purchase after the first (t_x), T = age. */
export interface RfmObservation {
  frequency: number;
  recency: number;
  T: number;
}

export interface BgNbdFit {
  params: BgNbdParams;
  /** Total log-likelihood over all customers. */
  logLikelihood: number;
  iterations: number;
  converged: boolean;
}

/**
 * Customers with the same (x, t_x, T) contribute the same likelihood term, so each distinct pattern
 * is computed once with its count as weight: CDNOW's 23,570 customers are about 10,000 patterns, and
 * the log-gamma and digamma terms depend on x alone, which takes few values.
 */
export interface RfmPatterns {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  weight: Float64Array;
  /** Index into `distinctX` for each pattern. */
  xIndex: Int32Array;
  distinctX: number[];
  /** Sum of the weights of the patterns with each distinct x. */
  weightByX: Float64Array;
  totalWeight: number;
  /**
   * The distinct values of T and t_x together, and for each pattern the index of its T and its t_x
   * there: the likelihood's logarithms ln(α + T) and ln(α + t_x) are taken once per distinct value
   * (a shop's ages are a few hundred whole days) rather than twice per pattern.
   */
  times: Float64Array;
  TIndex: Int32Array;
  txIndex: Int32Array;
}

/** The distinct patterns of the rows with their counts, and for each row the index of its pattern. */
export function collapseObservations(rows: readonly RfmObservation[]): RfmPatterns & { patternOfRow: Int32Array } {
  const index = new Map<string, number>();
  const x: number[] = [];
  const tx: number[] = [];
  const T: number[] = [];
  const weight: number[] = [];
  const patternOfRow = new Int32Array(rows.length);
  rows.forEach((row, i) => {
    const key = `${row.frequency}|${row.recency}|${row.T}`;
    let p = index.get(key);
    if (p === undefined) {
      p = x.length;
      index.set(key, p);
      x.push(row.frequency);
      tx.push(row.recency);
      T.push(row.T);
      weight.push(0);
    }
    weight[p]! += 1;
    patternOfRow[i] = p;
  });
  return { ...withWeights({ x, tx, T }, weight), patternOfRow };
}

/** The patterns with these weights (bootstrap resamples give other counts); zero-weight patterns are left out. */
export function withWeights(patterns: { x: ArrayLike<number>; tx: ArrayLike<number>; T: ArrayLike<number> }, weights: ArrayLike<number>): RfmPatterns {
  const keep: number[] = [];
  for (let i = 0; i < weights.length; i++) if (weights[i]! > 0) keep.push(i);
  const distinctX = [...new Set(keep.map((i) => patterns.x[i]!))].sort((p, q) => p - q);
  const position = new Map(distinctX.map((v, k) => [v, k]));
  const weightByX = new Float64Array(distinctX.length);
  const xIndex = new Int32Array(keep.length);
  keep.forEach((i, k) => {
    xIndex[k] = position.get(patterns.x[i]!)!;
    weightByX[xIndex[k]!]! += weights[i]!;
  });
  const timeIndex = new Map<number, number>();
  const times: number[] = [];
  const indexOf = (v: number) => {
    let k = timeIndex.get(v);
    if (k === undefined) timeIndex.set(v, (k = times.push(v) - 1));
    return k;
  };
  const TIndex = Int32Array.from(keep, (i) => indexOf(patterns.T[i]!));
  const txIndex = Int32Array.from(keep, (i) => indexOf(patterns.tx[i]!));
  return {
    x: Float64Array.from(keep, (i) => patterns.x[i]!),
    tx: Float64Array.from(keep, (i) => patterns.tx[i]!),
    T: Float64Array.from(keep, (i) => patterns.T[i]!),
    weight: Float64Array.from(keep, (i) => weights[i]!),
    xIndex,
    distinctX,
    weightByX,
    totalWeight: keep.reduce((s, i) => s + weights[i]!, 0),
    times: Float64Array.from(times),
    TIndex,
    txIndex,
  };
}

/**
 * Log-likelihood of the patterns and its gradient with respect to (ln r, ln α, ln a, ln b):
 *   ℓ = A₁ + A₂ + ln(e^A₃ + [x > 0] e^A₄), with
 *   A₁ = ln Γ(r + x) − ln Γ(r) + r ln α,  A₂ = ln Γ(a + b) + ln Γ(b + x) − ln Γ(b) − ln Γ(a + b + x),
 *   A₃ = −(r + x) ln(α + T),  A₄ = ln a − ln(b + x − 1) − (r + x) ln(α + t_x).
 */
export function bgNbdLogLikelihoodWithGradient(params: BgNbdParams, patterns: RfmPatterns): { value: number; gradient: [number, number, number, number] } {
  const { r, alpha, a, b } = params;
  const lnAlpha = Math.log(alpha);
  const lnA = Math.log(a);
  const base = gammaln(r);
  const baseAB = gammaln(a + b) - gammaln(b);
  const psiR = digamma(r);
  const psiAB = digamma(a + b);
  const psiB = digamma(b);

  let value = 0;
  let dr = 0, dalpha = 0, da = 0, db = 0;
  // Terms that depend on x only.
  const lnBx = new Float64Array(patterns.distinctX.length);
  for (let k = 0; k < patterns.distinctX.length; k++) {
    const x = patterns.distinctX[k]!;
    lnBx[k] = x > 0 ? Math.log(b + x - 1) : 0;
    const w = patterns.weightByX[k]!;
    const psiABX = digamma(a + b + x);
    value += w * (gammaln(r + x) - base + r * lnAlpha + baseAB + gammaln(b + x) - gammaln(a + b + x));
    dr += w * (digamma(r + x) - psiR + lnAlpha);
    dalpha += w * (r / alpha);
    da += w * (psiAB - psiABX);
    db += w * (psiAB + digamma(b + x) - psiB - psiABX);
  }
  // ln(α + τ) and 1/(α + τ) once per distinct time τ.
  const lnTime = new Float64Array(patterns.times.length);
  const invTime = new Float64Array(patterns.times.length);
  for (let j = 0; j < lnTime.length; j++) {
    lnTime[j] = Math.log(alpha + patterns.times[j]!);
    invTime[j] = 1 / (alpha + patterns.times[j]!);
  }
  // Terms that depend on the whole pattern. With d = A₄ − A₃, ln(e^A₃ + e^A₄) = max + ln(1 + e^−|d|)
  // and the shares of the two terms are the logistic of ∓d: one exponential per pattern.
  const n = patterns.x.length;
  const { TIndex, txIndex } = patterns;
  for (let i = 0; i < n; i++) {
    const x = patterns.x[i]!;
    const w = patterns.weight[i]!;
    const rx = r + x;
    const iT = TIndex[i]!;
    const lnAT = lnTime[iT]!;
    const a3 = -rx * lnAT;
    if (x === 0) {
      value += w * a3;
      dr -= w * lnAT;
      dalpha -= w * rx * invTime[iT]!;
      continue;
    }
    const itx = txIndex[i]!;
    const lnAtx = lnTime[itx]!;
    const a4 = lnA - lnBx[patterns.xIndex[i]!]! - rx * lnAtx;
    const d = a4 - a3;
    const e = Math.exp(-Math.abs(d));
    const ll = (d > 0 ? a4 : a3) + Math.log1p(e);
    const w4 = d > 0 ? 1 / (1 + e) : e / (1 + e);
    const w3 = 1 - w4;
    value += w * ll;
    dr -= w * (w3 * lnAT + w4 * lnAtx);
    dalpha -= w * rx * (w3 * invTime[iT]! + w4 * invTime[itx]!);
    da += (w * w4) / a;
    db -= (w * w4) / (b + x - 1);
  }
  return { value, gradient: [dr * r, dalpha * alpha, da * a, db * b] };
}

export function bgNbdLogLikelihood(params: BgNbdParams, rows: readonly RfmObservation[]): number {
  return bgNbdLogLikelihoodWithGradient(params, collapseObservations(rows)).value;
}

/** A starting point from the data's own scale: r = 1, α so that r/α is the mean repeat rate, a = 1, b = 2. */
function defaultStart(patterns: RfmPatterns): BgNbdParams {
  let sx = 0, sT = 0;
  for (let i = 0; i < patterns.x.length; i++) {
    sx += patterns.weight[i]! * patterns.x[i]!;
    sT += patterns.weight[i]! * patterns.T[i]!;
  }
  const alpha = sT > 0 ? sT / Math.max(sx, 0.1 * patterns.totalWeight) : 1;
  return { r: 1, alpha, a: 1, b: 2 };
}

export function fitBgNbdPatterns(patterns: RfmPatterns, options: { initial?: BgNbdParams; maxIterations?: number; gradientTolerance?: number } = {}): BgNbdFit {
  if (patterns.totalWeight <= 0) throw new RangeError("fitBgNbd needs at least one customer.");
  const start = options.initial ?? defaultStart(patterns);
  const n = patterns.totalWeight;
  const unpack = (v: readonly number[]): BgNbdParams => ({ r: Math.exp(v[0]!), alpha: Math.exp(v[1]!), a: Math.exp(v[2]!), b: Math.exp(v[3]!) });
  // The mean negative log-likelihood, so the tolerance means the same for 100 or 100,000 customers.
  const result = minimizeBfgs(
    (v) => {
      const { value, gradient } = bgNbdLogLikelihoodWithGradient(unpack(v), patterns);
      return { value: -value / n, gradient: gradient.map((g) => -g / n) };
    },
    [Math.log(start.r), Math.log(start.alpha), Math.log(start.a), Math.log(start.b)],
    { maxIterations: options.maxIterations ?? 500, ...(options.gradientTolerance ? { gradientTolerance: options.gradientTolerance } : {}) },
  );
  return { params: unpack(result.x), logLikelihood: -result.value * n, iterations: result.iterations, converged: result.converged };
}

export function fitBgNbd(rows: readonly RfmObservation[], options: { initial?: BgNbdParams; maxIterations?: number } = {}): BgNbdFit {
  return fitBgNbdPatterns(collapseObservations(rows), options);
}

/**
 * E[Y(t) | x, t_x, T], the expected repeat purchases in the next t (FHL 2005, equation 10):
 *   (a + b + x − 1)/(a − 1) · [1 − ((α + T)/(α + T + t))^(r+x) ₂F₁(r + x, b + x; a + b + x − 1; t/(α + T + t))]
 *   / (1 + [x > 0] a/(b + x − 1) · ((α + T)/(α + t_x))^(r+x)).
 * The bracket is computed as −expm1(ln ₂F₁ + (r + x) ln(1 − z)), so short horizons keep their digits.
 */
export function bgNbdConditionalExpectedPurchases(params: BgNbdParams, t: number, obs: RfmObservation): number {
  if (t <= 0) return 0;
  const { a } = params;
  // At a = 1 the formula is 0/0 with a finite limit; the mean of both sides of it is within ~1e-9.
  if (Math.abs(a - 1) < 1e-7) {
    return (conditional({ ...params, a: 1 - 1e-7 }, t, obs) + conditional({ ...params, a: 1 + 1e-7 }, t, obs)) / 2;
  }
  return conditional(params, t, obs);
}

function conditional(params: BgNbdParams, t: number, obs: RfmObservation): number {
  const numerator = ifAlive(params, t, obs.frequency, obs.T);
  return obs.frequency > 0 ? numerator * logisticOfMinus(logOddsDead(params, obs)) : numerator;
}

/** The numerator of equation 10: the expected purchases of a customer who is still buying. */
function ifAlive({ r, alpha, a, b }: BgNbdParams, t: number, x: number, T: number): number {
  const log1mz = Math.log(alpha + T) - Math.log(alpha + T + t);
  const z = t / (alpha + T + t);
  const lnHyp = logHyp2f1(r + x, b + x, a + b + x - 1, z, log1mz);
  const bracket = -Math.expm1(lnHyp + (r + x) * log1mz);
  return ((a + b + x - 1) / (a - 1)) * bracket;
}

/**
 * E[Y(t) | still buying, x, T]: equation 10 without its P(alive) factor, so
 * E[Y(t) | x, t_x, T] = this × P(alive | x, t_x, T). It depends on x and T only, not on t_x: a
 * shop's customers share far fewer of these hypergeometric terms than they have (x, t_x, T) patterns.
 */
export function bgNbdExpectedPurchasesIfAlive(params: BgNbdParams, t: number, frequency: number, T: number): number {
  if (t <= 0) return 0;
  if (Math.abs(params.a - 1) < 1e-7) {
    return (ifAlive({ ...params, a: 1 - 1e-7 }, t, frequency, T) + ifAlive({ ...params, a: 1 + 1e-7 }, t, frequency, T)) / 2;
  }
  return ifAlive(params, t, frequency, T);
}

/** ln of the odds that a customer with x > 0 has dropped out: ln(a/(b + x − 1)) + (r + x) ln((α + T)/(α + t_x)). */
function logOddsDead({ r, alpha, a, b }: BgNbdParams, { frequency: x, recency: tx, T }: RfmObservation): number {
  return Math.log(a / (b + x - 1)) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
}

/** P(alive | x, t_x, T) (brucehardie.com/notes/021): 1 for x = 0, else 1/(1 + the odds of having dropped out). */
export function bgNbdPAlive(params: BgNbdParams, obs: RfmObservation): number {
  if (obs.frequency === 0) return 1;
  return logisticOfMinus(logOddsDead(params, obs));
}

/**
 * E[X(t)], a new customer's expected repeat purchases in their first t (FHL 2005, equation 9):
 *   (a + b − 1)/(a − 1) · [1 − (α/(α + t))^r ₂F₁(r, b; a + b − 1; t/(α + t))].
 */
export function bgNbdExpectedPurchases(params: BgNbdParams, t: number): number {
  return bgNbdConditionalExpectedPurchases(params, t, { frequency: 0, recency: 0, T: 0 });
}
