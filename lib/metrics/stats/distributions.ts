// The distributions the experiment statistics need, from @stdlib (the same algorithms as scipy's:
// Cephes' ndtri for the normal quantile, the regularised incomplete beta and gamma functions for
// Student's t and chi-square). Kept in one place so every test and page uses the same ones.
import chiSquareCdfImpl from "@stdlib/stats-base-dists-chisquare-cdf";
import normalCdfImpl from "@stdlib/stats-base-dists-normal-cdf";
import normalQuantileImpl from "@stdlib/stats-base-dists-normal-quantile";
import tCdfImpl from "@stdlib/stats-base-dists-t-cdf";

/** P(Z ≤ z) for a standard normal Z. */
export const normalCdf = (z: number): number => normalCdfImpl(z, 0, 1);

/** The z with P(Z ≤ z) = p. */
export const normalQuantile = (p: number): number => normalQuantileImpl(p, 0, 1);

/** Two-sided p-value of a z statistic. */
export const twoSidedNormalP = (z: number): number => 2 * normalCdf(-Math.abs(z));

/** Two-sided p-value of a t statistic with `df` degrees of freedom (df may be fractional, as Welch's is). */
export const twoSidedTP = (t: number, df: number): number => 2 * tCdfImpl(-Math.abs(t), df);

/** P(X > x) for X chi-square with `df` degrees of freedom. */
export const chiSquareUpperP = (x: number, df: number): number => 1 - chiSquareCdfImpl(x, df);

/** Quantile of Student's t, by bisection on its cdf (only needed for Welch's interval). */
export function tQuantile(p: number, df: number): number {
  let lo = -1e3;
  let hi = 1e3;
  for (let i = 0; i < 200 && hi - lo > 1e-12; i++) {
    const mid = (lo + hi) / 2;
    if (tCdfImpl(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
