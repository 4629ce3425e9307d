// The Wilson score interval of a proportion (Wilson 1927; Agresti & Coull 1998 recommend it over
// the normal "Wald" interval, which collapses to a point at 0 or n successes and strays outside
// [0, 1] for small n). Used for repeat-purchase and churn shares.
import { normalQuantile } from "./distributions";
import { notEnough, type NotEnoughData } from "./not-enough-data";

export interface ProportionEstimate {
  enough: true;
  successes: number;
  n: number;
  rate: number;
  /** 95 % Wilson score interval. */
  ci95: [number, number];
}

const Z95 = normalQuantile(0.975);

export function wilsonInterval(successes: number, n: number, z = Z95): ProportionEstimate | NotEnoughData {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(successes) || successes < 0 || successes > n) {
    throw new RangeError(`A proportion needs whole numbers with 0 ≤ successes ≤ n (got ${successes} of ${n}).`);
  }
  if (n === 0) return notEnough("No customers to count yet.");
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { enough: true, successes, n, rate: p, ci95: [Math.max(0, centre - half), Math.min(1, centre + half)] };
}
