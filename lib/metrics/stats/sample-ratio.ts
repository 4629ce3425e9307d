// Sample-ratio mismatch: were customers split between variants and holdout in the shares the
// campaign asked for? A chi-square goodness-of-fit test over the counts; a p-value below 0.001
// (the threshold experimentation platforms commonly use, since the check runs on every
// experiment) means the split itself is broken and no lift from it should be trusted.
import { chiSquareUpperP } from "./distributions";
import { notEnough, type NotEnoughData } from "./not-enough-data";

export const SRM_THRESHOLD = 0.001;

export interface SampleRatioCheck {
  enough: true;
  chiSquare: number;
  df: number;
  pValue: number;
  mismatch: boolean;
  /** Expected count per group under the asked shares. */
  expected: number[];
}

export function sampleRatioCheck(observed: readonly number[], shares: readonly number[]): SampleRatioCheck | NotEnoughData {
  if (observed.length !== shares.length || observed.length < 2) throw new RangeError("Give one count and one share for each of at least two groups.");
  const totalShare = shares.reduce((s, x) => s + x, 0);
  if (shares.some((s) => !(s > 0)) || !(totalShare > 0)) throw new RangeError("Every group's share must be above 0.");
  const n = observed.reduce((s, x) => s + x, 0);
  const expected = shares.map((s) => (n * s) / totalShare);
  // The chi-square approximation needs about 5 expected in every group.
  if (expected.some((e) => e < 5)) return notEnough(`Too few customers (${n}) to check the split: each group needs about 5 expected.`);
  const chiSquare = observed.reduce((s, o, i) => s + (o - expected[i]!) ** 2 / expected[i]!, 0);
  const df = observed.length - 1;
  const pValue = chiSquareUpperP(chiSquare, df);
  return { enough: true, chiSquare, df, pValue, mismatch: pValue < SRM_THRESHOLD, expected };
}
