// Uncertainty of a BG/NBD fit by the nonparametric bootstrap: draw as many customers as there are,
// with replacement, refit, repeat. Resampled customers keep their (x, t_x, T) pattern, so a resample
// is the same patterns with other counts; each refit starts from the fit on all customers.
import { SeededRandom } from "../demo/seeded-random";
import { collapseObservations, fitBgNbdPatterns, withWeights, type BgNbdParams, type RfmObservation } from "./bgnbd";

/**
 * Refits stop once the mean log-likelihood's gradient is below this (the full fit: 1e-8). Draws
 * differ from each other by percents; on the benchmark shop the tighter stop moved them by about
 * 1e-7 of their value and took twice the time.
 */
const REFIT_GRADIENT_TOLERANCE = 1e-6;

/**
 * `samples` refits on resampled customers, the same for the same rows and seed. Every refit is
 * returned, including one that stopped at the iteration limit; callers drop non-finite draws.
 */
export function bootstrapBgNbd(rows: readonly RfmObservation[], options: { samples: number; seed: string | number }): BgNbdParams[] {
  if (rows.length === 0) return [];
  const patterns = collapseObservations(rows);
  const initial = fitBgNbdPatterns(patterns).params;
  const rng = new SeededRandom(`bootstrap-bgnbd-${options.seed}`);
  const draws: BgNbdParams[] = [];
  const counts = new Float64Array(patterns.x.length);
  for (let s = 0; s < options.samples; s++) {
    counts.fill(0);
    for (let i = 0; i < rows.length; i++) counts[patterns.patternOfRow[rng.int(0, rows.length - 1)]!]! += 1;
    draws.push(fitBgNbdPatterns(withWeights(patterns, counts), { initial, gradientTolerance: REFIT_GRADIENT_TOLERANCE }).params);
  }
  return draws;
}

/**
 * The central `level` interval of the values (default 95 %): the (1 − level)/2 and (1 + level)/2
 * quantiles, linearly interpolated between order statistics (R's type 7, numpy's default).
 */
export function percentileInterval(values: readonly number[], level = 0.95): [number, number] {
  if (values.length === 0) throw new RangeError("percentileInterval needs at least one value.");
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be between 0 and 1, not ${level}.`);
  if (!values.every(Number.isFinite)) throw new RangeError("percentileInterval needs finite values.");
  return intervalOfSorted(Float64Array.from(values).sort(), values.length, level);
}

/**
 * percentileInterval of the first `length` values of an ascending array, read in place: for the
 * many small intervals of a shop's customers, with no copy per customer.
 */
export function intervalOfSorted(sorted: ArrayLike<number>, length: number, level: number): [number, number] {
  const quantile = (prob: number) => {
    const h = (length - 1) * prob;
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, length - 1);
    return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
  };
  return [quantile((1 - level) / 2), quantile((1 + level) / 2)];
}
