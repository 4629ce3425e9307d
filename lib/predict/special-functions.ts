// Special functions for the purchase and spend models, from @stdlib (ports of FreeBSD's lgamma,
// SLATEC's albeta and Cephes' psi and hyp2f1, which scipy.special also uses), plus the log-space
// helpers the likelihoods need.
// docs/decisions/004-predicted-value.md gives the accuracy checks behind these choices.
import betalnImpl from "@stdlib/math-base-special-betaln";
import digammaImpl from "@stdlib/math-base-special-digamma";
import gammalnImpl from "@stdlib/math-base-special-gammaln";
import hyp2f1Impl from "@stdlib/math-base-special-hyp2f1";

/** ln Γ(x). */
export const gammaln: (x: number) => number = gammalnImpl;
/** ln B(a, b). */
export const betaln: (a: number, b: number) => number = betalnImpl;
/** ψ(x) = d/dx ln Γ(x). */
export const digamma: (x: number) => number = digammaImpl;

/**
 * ln ₂F₁(a, b; c; z) for 0 ≤ z < 1, used with a, b > 0. When ₂F₁ itself overflows (z close to 1
 * with c − a − b < 0), Euler's transformation ₂F₁(a, b; c; z) = (1 − z)^(c−a−b) ₂F₁(c − a, c − b; c; z)
 * gives its logarithm from a smaller value. `log1mz` is ln(1 − z), passed in because callers know
 * it more precisely than 1 − z computed from z.
 */
export function logHyp2f1(a: number, b: number, c: number, z: number, log1mz: number): number {
  const series = hyp2f1PositiveSeries(a, b, c, z);
  if (series > 0) return Math.log(series);
  const direct = hyp2f1Impl(a, b, c, z);
  if (Number.isFinite(direct) && direct > 0) return Math.log(direct);
  const euler = hyp2f1Impl(c - a, c - b, c, z);
  return Math.log(euler) + (c - a - b) * log1mz;
}

/**
 * ₂F₁(a, b; c; z) by its power series Σ (a)ₖ(b)ₖ / ((c)ₖ k!) zᵏ, for a, b, c > 0 and 0 ≤ z ≤ 0.95,
 * where every term is positive (no cancellation) and the series converges geometrically. A shop's
 * forecasts call it once per (x, T) and parameter draw — hundreds of thousands of times — and the
 * series costs a fraction of the general routine's time there. Answers 0 when it does not apply
 * (other arguments, overflow, or no convergence within the term limit): the caller then uses the
 * general routine.
 *
 * It stops once the rest of the series is provably below 1e-17 of the sum: from term K on, each
 * term is at most ρ̄ = z · max(1, (a + K)/(K + 1)) · max(1, (b + K)/(c + K)) times the one before,
 * so the rest is at most tₖ · ρ̄/(1 − ρ̄).
 */
export function hyp2f1PositiveSeries(a: number, b: number, c: number, z: number): number {
  if (!(a > 0 && b > 0 && c > 0 && z >= 0 && z <= 0.95)) return 0;
  let term = 1;
  let sum = 1;
  for (let k = 0; k < 5_000; k++) {
    term *= ((a + k) * (b + k) * z) / ((c + k) * (k + 1));
    sum += term;
    if (!(sum < 1e300)) return 0;
    const n = k + 1;
    const bound = z * Math.max(1, (a + n) / (n + 1)) * Math.max(1, (b + n) / (c + n));
    if (bound < 1 && term * bound <= 1e-17 * sum * (1 - bound)) return sum;
  }
  return 0;
}

/** ln(e^x + e^y) without overflow. */
export function logAddExp(x: number, y: number): number {
  if (x === -Infinity) return y;
  if (y === -Infinity) return x;
  const m = Math.max(x, y);
  return m + Math.log1p(Math.exp(-Math.abs(x - y)));
}

/** 1 / (1 + e^x) without overflow. */
export function logisticOfMinus(x: number): number {
  return x >= 0 ? Math.exp(-x) / (1 + Math.exp(-x)) : 1 / (1 + Math.exp(x));
}
