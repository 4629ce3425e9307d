import { describe, expect, it } from "vitest";
import { fitShiftedBetaGeometric, sbgSurvival } from "./shifted-beta-geometric";

// Fader & Hardie 2007, "How to project customer retention": survivors per 1,000 over years 0–7.
const REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241];
const HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491];

describe("shifted-beta-geometric (Fader & Hardie 2007)", () => {
  it.each([
    ["regular", REGULAR, 0.704, 1.182],
    ["high end", HIGH_END, 0.668, 3.806],
  ] as const)("fits the %s customers' survivors to the published α and β", (_name, survivors, alpha, beta) => {
    const fit = fitShiftedBetaGeometric(survivors);
    expect(fit.alpha.toFixed(3)).toBe(alpha.toFixed(3));
    expect(fit.beta.toFixed(3)).toBe(beta.toFixed(3));
    // A maximum: any nearby (α, β) is less likely.
    for (const [da, db] of [[0.01, 0], [-0.01, 0], [0, 0.01], [0, -0.01]]) {
      expect(fitShiftedBetaGeometric(survivors).logLikelihood).toBeGreaterThan(logLikelihood(survivors, fit.alpha * (1 + da!), fit.beta * (1 + db!)));
    }
  });

  it("projects survival that tracks the observed survivors", () => {
    const fit = fitShiftedBetaGeometric(REGULAR);
    const s = sbgSurvival(fit, 12);
    expect(s).toHaveLength(13);
    expect(s[0]).toBe(1);
    for (let t = 1; t < s.length; t++) expect(s[t]!).toBeLessThan(s[t - 1]!);
    REGULAR.forEach((n, t) => expect(Math.abs(1000 * s[t]! - n)).toBeLessThan(15));
  });

  it("computes S(t) = B(α, β + t) / B(α, β)", () => {
    // With α = 1, β = 1: S(t) = 1/(t + 1).
    expect(sbgSurvival({ alpha: 1, beta: 1 }, 4)).toEqual([1, 1 / 2, 1 / 3, 1 / 4, 1 / 5].map((v) => expect.closeTo(v, 14)));
  });

  it("refuses survivors that are not a shrinking cohort", () => {
    expect(() => fitShiftedBetaGeometric([1000])).toThrow(/at least the start and one period/);
    expect(() => fitShiftedBetaGeometric([1000, 800, 900])).toThrow(/survivors\[2\] = 900 is more than the 800 before it/);
    expect(() => fitShiftedBetaGeometric([1000, -1])).toThrow(/is not a count/);
  });
});

/** The sBG log-likelihood written out directly from S(t), for the check above. */
function logLikelihood(survivors: readonly number[], alpha: number, beta: number): number {
  const s = sbgSurvival({ alpha, beta }, survivors.length - 1);
  let ll = 0;
  for (let t = 1; t < survivors.length; t++) ll += (survivors[t - 1]! - survivors[t]!) * Math.log(s[t - 1]! - s[t]!);
  return ll + survivors[survivors.length - 1]! * Math.log(s[survivors.length - 1]!);
}
