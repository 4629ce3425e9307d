import { describe, expect, it } from "vitest";
import { fitBgNbd } from "./bgnbd";
import { bootstrapBgNbd, percentileInterval } from "./bootstrap";
import { readCdnowSummary } from "./fixtures/cdnow";

describe("bootstrap of the BG/NBD fit on CDNOW", () => {
  const rows = readCdnowSummary();
  const draws = bootstrapBgNbd(rows, { samples: 40, seed: "cdnow" });

  it("is the same for the same seed and differs for another", () => {
    expect(draws).toHaveLength(40);
    expect(bootstrapBgNbd(rows, { samples: 40, seed: "cdnow" })).toEqual(draws);
    expect(bootstrapBgNbd(rows, { samples: 3, seed: 7 })).not.toEqual(draws.slice(0, 3));
  });

  it("gives intervals that contain the point estimate", () => {
    const fit = fitBgNbd(rows);
    const distinct = new Set(draws.map((d) => d.r));
    expect(distinct.size).toBe(draws.length);
    for (const key of ["r", "alpha", "a", "b"] as const) {
      const [lo, hi] = percentileInterval(draws.map((d) => d[key]), 0.9);
      expect(lo).toBeLessThan(fit.params[key]);
      expect(hi).toBeGreaterThan(fit.params[key]);
    }
  });

  it("spreads about as much as the model's standard errors", () => {
    // The standard errors of r and α on these customers (inverse Hessian, as lifetimes reports them) are 0.013 and 0.38.
    const sd = (values: number[]) => {
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
    };
    expect(sd(draws.map((d) => d.r))).toBeGreaterThan(0.013 / 2);
    expect(sd(draws.map((d) => d.r))).toBeLessThan(0.013 * 2);
    expect(sd(draws.map((d) => d.alpha))).toBeGreaterThan(0.38 / 2);
    expect(sd(draws.map((d) => d.alpha))).toBeLessThan(0.38 * 2);
  });
});

describe("percentileInterval", () => {
  it("interpolates between order statistics like numpy's percentile", () => {
    // numpy.percentile(range(1, 11), [5, 95]) = [1.45, 9.55]
    const values = [7, 3, 10, 1, 9, 2, 8, 5, 4, 6];
    const [lo, hi] = percentileInterval(values, 0.9);
    expect(lo).toBeCloseTo(1.45, 12);
    expect(hi).toBeCloseTo(9.55, 12);
    expect(percentileInterval([5])).toEqual([5, 5]);
    // Default level 95 %: numpy.percentile(range(1, 11), [2.5, 97.5]) = [1.225, 9.775]
    const [lo95, hi95] = percentileInterval(values);
    expect(lo95).toBeCloseTo(1.225, 12);
    expect(hi95).toBeCloseTo(9.775, 12);
  });

  it("refuses no values, non-finite values and levels outside (0, 1)", () => {
    expect(() => percentileInterval([])).toThrow(/at least one value/);
    expect(() => percentileInterval([1, Number.NaN])).toThrow(/finite/);
    expect(() => percentileInterval([1, 2], 1)).toThrow(/level/);
  });
});
