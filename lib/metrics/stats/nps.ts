// Net Promoter Score from 0–10 answers: promoters 9–10, passives 7–8, detractors 0–6.
// NPS = 100 × (p − d), SE = 100 × √((p + d − (p − d)²) / n) (the variance of a score of +1, 0 or −1
// per answer), 95 % interval ± 1.96 SE (../shared/DESIGN.md). Below 30 answers the figure is rough.
import { normalQuantile } from "./distributions";
import { notEnough, type NotEnoughData } from "./not-enough-data";

export interface NpsCounts {
  promoters: number;
  passives: number;
  detractors: number;
}

export interface Nps {
  enough: true;
  nps: number;
  se: number;
  ci95: [number, number];
  n: number;
  /** Fewer than 30 answers: the page says the figure is rough. */
  rough: boolean;
}

export const ROUGH_BELOW = 30;

/** Which group a 0–10 answer falls in. */
export function npsGroup(score: number): keyof NpsCounts {
  if (!Number.isInteger(score) || score < 0 || score > 10) throw new RangeError(`An NPS answer is a whole number from 0 to 10 (got ${score}).`);
  return score >= 9 ? "promoters" : score >= 7 ? "passives" : "detractors";
}

export function countNps(scores: Iterable<number>): NpsCounts {
  const counts: NpsCounts = { promoters: 0, passives: 0, detractors: 0 };
  for (const s of scores) counts[npsGroup(s)] += 1;
  return counts;
}

export function netPromoterScore(counts: NpsCounts): Nps | NotEnoughData {
  for (const [k, v] of Object.entries(counts)) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`${k} must be a whole number of 0 or more (got ${v}).`);
  }
  const n = counts.promoters + counts.passives + counts.detractors;
  if (n < 2) return notEnough(n === 0 ? "No survey answers yet." : "One answer is not a score yet; it takes at least 2.");
  const p = counts.promoters / n;
  const d = counts.detractors / n;
  const nps = 100 * (p - d);
  const se = 100 * Math.sqrt(Math.max(0, p + d - (p - d) ** 2) / n);
  const half = normalQuantile(0.975) * se;
  return { enough: true, nps, se, ci95: [nps - half, nps + half], n, rough: n < ROUGH_BELOW };
}
