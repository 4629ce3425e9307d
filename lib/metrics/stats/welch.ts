// Welch's t-test for the difference of two means with unequal variances (order value of a
// campaign's recipients against its holdout): t, the Welch–Satterthwaite degrees of freedom, the
// two-sided p-value and the 95 % interval of the difference.
import { tQuantile, twoSidedTP } from "./distributions";
import { notEnough, type NotEnoughData } from "./not-enough-data";

export interface Sample {
  n: number;
  mean: number;
  /** Sample variance (n − 1 in the denominator). */
  variance: number;
}

export interface WelchResult {
  enough: true;
  /** b − a */
  difference: number;
  t: number;
  df: number;
  pValue: number;
  ci95: [number, number];
}

/** n, mean and sample variance of some values (Welford's method, stable for large sums of money). */
export function summarize(values: Iterable<number>): Sample {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (const x of values) {
    n += 1;
    const delta = x - mean;
    mean += delta / n;
    m2 += delta * (x - mean);
  }
  return { n, mean: n > 0 ? mean : 0, variance: n > 1 ? m2 / (n - 1) : 0 };
}

export function welchTest(a: Sample, b: Sample): WelchResult | NotEnoughData {
  if (a.n < 2 || b.n < 2) return notEnough(`Each group needs at least 2 orders; one has ${Math.min(a.n, b.n)}.`);
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  if (va + vb === 0) return notEnough("Every order in both groups has the same value, so there is no spread to test against.");
  const se = Math.sqrt(va + vb);
  const difference = b.mean - a.mean;
  const t = difference / se;
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  const half = tQuantile(0.975, df) * se;
  return { enough: true, difference, t, df, pValue: twoSidedTP(t, df), ci95: [difference - half, difference + half] };
}
