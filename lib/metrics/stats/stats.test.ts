// The experiment statistics against reference values: published textbook figures (rounded as
// published) and the same quantities computed independently with numpy and scipy
// (test/fixtures/stats/reference.py → reference.json).
import { describe, expect, it } from "vitest";
import reference from "../../../test/fixtures/stats/reference.json";
import { compareProportions, type ProportionComparison } from "./compare-proportions";
import { holmAdjust } from "./holm";
import { countNps, netPromoterScore, npsGroup, type Nps } from "./nps";
import { sampleRatioCheck, type SampleRatioCheck } from "./sample-ratio";
import { summarize, welchTest, type WelchResult } from "./welch";

const close = (actual: number, expected: number, digits = 9) => expect(actual).toBeCloseTo(expected, digits);

describe("comparing two proportions", () => {
  it("gives OpenIntro's published figures", () => {
    // Blood thinners after CPR: 14 of 40 survived with, 11 of 50 without; difference 0.13, SE 0.095.
    const cpr = compareProportions({ conversions: 11, n: 50 }, { conversions: 14, n: 40 }) as ProportionComparison;
    close(cpr.absoluteLift, 0.13, 2);
    close((cpr.absoluteCi95[1] - cpr.absoluteCi95[0]) / 2 / 1.959964, 0.095, 3);
    // Mammograms: 500 of 44,925 against 505 of 44,910 died; pooled test Z = −0.17, p-value 0.865.
    // The book divides rounded figures (0.01113 − 0.01125) / 0.00070; unrounded, Z is −0.164.
    const mammo = compareProportions({ conversions: 505, n: 44910 }, { conversions: 500, n: 44925 }) as ProportionComparison;
    expect(Math.abs(mammo.z - -0.17)).toBeLessThan(0.01);
    expect(Math.abs(mammo.pValue - 0.865)).toBeLessThan(0.01);
  });

  it.each(reference.proportions)("matches numpy and scipy: $name", (ref) => {
    const r = compareProportions({ conversions: ref.control[0]!, n: ref.control[1]! }, { conversions: ref.treatment[0]!, n: ref.treatment[1]! });
    expect(r.enough).toBe(true);
    const c = r as ProportionComparison;
    close(c.controlRate, ref.controlRate);
    close(c.treatmentRate, ref.treatmentRate);
    close(c.absoluteLift, ref.absoluteLift);
    close(c.absoluteCi95[0], ref.absoluteCi95[0]!);
    close(c.absoluteCi95[1], ref.absoluteCi95[1]!);
    close(c.z, ref.z);
    close(c.pValue, ref.pValue);
    close(c.relativeLift!, ref.relativeLift);
    close(c.ci95![0], ref.ci95[0]!);
    close(c.ci95![1], ref.ci95[1]!);
    close(c.minimumDetectableLift!, ref.minimumDetectableLift);
  });

  it("says a lift below what the groups can detect cannot be told from noise, and has little power for it", () => {
    const small = compareProportions({ conversions: 20, n: 1000 }, { conversions: 22, n: 1000 }) as ProportionComparison;
    expect(small.relativeLift).toBeCloseTo(0.1, 9);
    expect(small.minimumDetectableLift!).toBeGreaterThan(0.8);
    expect(small.power).toBeLessThan(0.1);
    const large = compareProportions({ conversions: 2000, n: 100000 }, { conversions: 2400, n: 100000 }) as ProportionComparison;
    expect(large.power).toBeGreaterThan(0.99);
    expect(large.pValue).toBeLessThan(1e-8);
  });

  it("answers identical groups with no lift and a p-value of 1", () => {
    const same = compareProportions({ conversions: 30, n: 600 }, { conversions: 30, n: 600 }) as ProportionComparison;
    expect([same.absoluteLift, same.relativeLift, same.z]).toEqual([0, 0, 0]);
    close(same.pValue, 1);
    expect(same.ci95![0]).toBeLessThan(0);
    expect(same.ci95![1]).toBeGreaterThan(0);
  });

  it("says why instead of giving a number when there is not enough data", () => {
    expect(compareProportions({ conversions: 0, n: 1 }, { conversions: 3, n: 50 })).toEqual({ enough: false, reason: "Each group needs at least 2 customers; the control has 1 and the treatment 50." });
    expect(compareProportions({ conversions: 0, n: 40 }, { conversions: 0, n: 50 })).toEqual({ enough: false, reason: "No one converted in either group, so the groups cannot be told apart yet." });
    expect(compareProportions({ conversions: 40, n: 40 }, { conversions: 50, n: 50 })).toEqual({ enough: false, reason: "Everyone converted in either group, so the groups cannot be told apart yet." });
    // A control that converted nobody has a difference but no ratio.
    const noBase = compareProportions({ conversions: 0, n: 100 }, { conversions: 5, n: 100 }) as ProportionComparison;
    expect([noBase.absoluteLift, noBase.relativeLift, noBase.ci95, noBase.minimumDetectableLift]).toEqual([0.05, null, null, null]);
    expect(Number.isFinite(noBase.pValue)).toBe(true);
  });

  it("refuses counts that cannot be, naming them", () => {
    expect(() => compareProportions({ conversions: 11, n: 10 }, { conversions: 1, n: 10 })).toThrow("control: 11 conversions out of 10 customers is more than all of them.");
    expect(() => compareProportions({ conversions: 1, n: 10 }, { conversions: -1, n: 10 })).toThrow("treatment: conversions must be a whole number of 0 or more (got -1).");
    expect(() => compareProportions({ conversions: 1, n: 2.5 }, { conversions: 1, n: 10 })).toThrow("control: the number of customers must be a whole number");
  });
});

describe("Net Promoter Score", () => {
  it("sorts answers into promoters (9–10), passives (7–8) and detractors (0–6)", () => {
    expect([0, 6, 7, 8, 9, 10].map(npsGroup)).toEqual(["detractors", "detractors", "passives", "passives", "promoters", "promoters"]);
    expect(countNps([10, 9, 9, 8, 3])).toEqual({ promoters: 3, passives: 1, detractors: 1 });
    expect(() => npsGroup(11)).toThrow("An NPS answer is a whole number from 0 to 10 (got 11).");
  });

  it.each(reference.nps)("matches the variance of the answers' scores: $name", (ref) => {
    const r = netPromoterScore({ promoters: ref.promoters, passives: ref.passives, detractors: ref.detractors }) as Nps;
    close(r.nps, ref.nps);
    close(r.se, ref.se);
    close(r.ci95[0], ref.ci95[0]!);
    close(r.ci95[1], ref.ci95[1]!);
    expect(r.n).toBe(ref.n);
    expect(r.rough).toBe(ref.n < 30);
  });

  it("gives the published formula's figure: 40 % promoters and 30 % detractors of 100 make NPS 10 ± 16.4", () => {
    const r = netPromoterScore({ promoters: 40, passives: 30, detractors: 30 }) as Nps;
    close(r.nps, 10);
    // SE = 100 √((0.4 + 0.3 − 0.1²) / 100) = 8.307
    close(r.se, 8.307, 3);
    close(r.ci95[1] - r.nps, 16.28, 2);
  });

  it("says there is no score yet without answers, and that one answer is not a score", () => {
    expect(netPromoterScore({ promoters: 0, passives: 0, detractors: 0 })).toEqual({ enough: false, reason: "No survey answers yet." });
    expect(netPromoterScore({ promoters: 1, passives: 0, detractors: 0 })).toEqual({ enough: false, reason: "One answer is not a score yet; it takes at least 2." });
    // All the same answer: a score with no spread, not a NaN.
    expect(netPromoterScore({ promoters: 5, passives: 0, detractors: 0 })).toMatchObject({ nps: 100, se: 0, ci95: [100, 100], rough: true });
  });
});

describe("Welch's t-test", () => {
  it("gives Wikipedia's published figures", () => {
    const [one, two] = reference.welch;
    const r1 = welchTest(summarize(one!.a), summarize(one!.b)) as WelchResult;
    expect([r1.t.toFixed(2), r1.df.toFixed(1), r1.pValue.toFixed(3)]).toEqual(["2.46", "25.0", "0.021"]);
    const r2 = welchTest(summarize(two!.a), summarize(two!.b)) as WelchResult;
    expect([r2.t.toFixed(2), r2.df.toFixed(1), r2.pValue.toFixed(3)]).toEqual(["1.57", "9.9", "0.149"]);
  });

  it.each(reference.welch)("matches scipy: $name", (ref) => {
    const r = welchTest(summarize(ref.a), summarize(ref.b)) as WelchResult;
    close(r.difference, ref.difference);
    close(r.t, ref.t);
    close(r.df, ref.df);
    close(r.pValue, ref.pValue);
    close(r.ci95[0], ref.ci95[0]!, 6);
    close(r.ci95[1], ref.ci95[1]!, 6);
  });

  it("says why when there is nothing to test", () => {
    expect(welchTest(summarize([10]), summarize([10, 12]))).toEqual({ enough: false, reason: "Each group needs at least 2 orders; one has 1." });
    expect(welchTest(summarize([5, 5, 5]), summarize([7, 7]))).toEqual({ enough: false, reason: "Every order in both groups has the same value, so there is no spread to test against." });
  });
});

describe("Holm's correction", () => {
  it("adjusts as R's p.adjust(method = 'holm') does, in the input's order", () => {
    // Sorted: 0.005 × 4 = 0.02, 0.01 × 3 = 0.03, 0.03 × 2 = 0.06, 0.04 × 1 = 0.04 → kept at 0.06.
    const adjusted = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((p, i) => close(adjusted[i]!, p, 12));
    expect(holmAdjust([0.2, 0.6])).toEqual([0.4, 0.6]);
    expect(holmAdjust([0.7, 0.9])).toEqual([1, 1]);
    expect(() => holmAdjust([0.5, Number.NaN])).toThrow("A p-value lies between 0 and 1 (got NaN).");
  });
});

describe("sample-ratio mismatch", () => {
  it.each(reference.srm)("matches scipy's chi-square test: $name", (ref) => {
    const r = sampleRatioCheck(ref.observed, ref.shares) as SampleRatioCheck;
    close(r.chiSquare, ref.chiSquare);
    close(r.pValue, ref.pValue, 12);
    expect(r.mismatch).toBe(ref.pValue < 0.001);
  });

  it("flags a broken split and passes a fair one", () => {
    expect((sampleRatioCheck([5200, 4800], [50, 50]) as SampleRatioCheck).mismatch).toBe(true);
    expect((sampleRatioCheck([9012, 988], [90, 10]) as SampleRatioCheck).mismatch).toBe(false);
    expect(sampleRatioCheck([3, 1], [50, 50])).toEqual({ enough: false, reason: "Too few customers (4) to check the split: each group needs about 5 expected." });
  });
});
