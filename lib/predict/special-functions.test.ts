import { describe, expect, it } from "vitest";
import { hyp2f1PositiveSeries, logAddExp, logHyp2f1, logisticOfMinus } from "./special-functions";

describe("ln ₂F₁ for the BG/NBD conditional expectation", () => {
  // (a, b, c) = (r + x, b + x, a + b + x − 1) at CDNOW's r = 0.243, α = 4.414, a = 0.793, b = 2.426,
  // z = t/(α + T + t); reference ln ₂F₁ from mpmath 1.3.0 at 50 digits (mp.log(mp.hyp2f1(a, b, c, z))
  // with z computed in 50 digits from the same t and T).
  const cases: [x: number, T: number, t: number, expected: number][] = [
    [0, 38.86, 39, 0.17416440462984904],
    [2, 38.86, 39, 1.5206757450090226],
    [2, 38.86, 5200, 11.606442330017544],
    [0, 27, 52000, 2.6208220584737608],
    [14, 30, 520, 40.137298248994505],
    [50, 38, 1e6, 507.92631048547505],
    // ₂F₁ ≈ e^856 is past the largest double: Euler's transformation answers.
    [50, 38, 1e9, 856.42042631767136],
    [3, 0, 1e7, 50.376451305080618],
  ];
  it.each(cases)("x = %d, T = %d, t = %d", (x, T, t, expected) => {
    const [r, alpha, a, b] = [0.243, 4.414, 0.793, 2.426];
    const z = t / (alpha + T + t);
    const log1mz = Math.log(alpha + T) - Math.log(alpha + T + t);
    // z rounded to a double moves ln ₂F₁ by about (c − a − b)·δz/(1 − z); the rest is the function's error.
    expect(Math.abs(logHyp2f1(r + x, b + x, a + b + x - 1, z, log1mz) - expected)).toBeLessThan(1e-9 * Math.max(1, Math.abs(expected)));
  });
});

describe("₂F₁ by its positive power series", () => {
  it("matches mpmath where a shop's forecasts use it, including at the edge of the parameter space", () => {
    // A shop whose customers never stop buying fits a → 0, b → ∞: c = a + b + x − 1 sits just below b + x.
    // Reference from mpmath 1.3.0 at 40 digits; the general routine was off by 5e-12 here.
    const value = hyp2f1PositiveSeries(58.4045, 89151.5, 89150.50000037, 0.6723558313938454);
    expect(Math.abs(value / 2.0103028559235990605e28 - 1)).toBeLessThan(1e-14);
    // CDNOW's fit, x = 2, T = 38.86, t = 39 (the case above): ln ₂F₁ = 1.5206757450090226.
    const z = 39 / (4.414 + 38.86 + 39);
    expect(Math.abs(Math.log(hyp2f1PositiveSeries(0.243 + 2, 2.426 + 2, 0.793 + 2.426 + 1, z)) - 1.5206757450090226)).toBeLessThan(1e-12);
  });
  it("declines arguments outside its range, so the general routine answers", () => {
    expect(hyp2f1PositiveSeries(1, 2, 3, 0.99)).toBe(0);
    expect(hyp2f1PositiveSeries(1, 2, -0.2, 0.5)).toBe(0);
    expect(hyp2f1PositiveSeries(1, 2, 3, 0)).toBe(1);
  });
});

describe("log-space helpers", () => {
  it("adds in log space without overflow", () => {
    expect(logAddExp(Math.log(2), Math.log(3))).toBeCloseTo(Math.log(5), 14);
    expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.log(2), 12);
    expect(logAddExp(-Infinity, -3)).toBe(-3);
  });
  it("takes 1/(1 + e^x) at both ends", () => {
    expect(logisticOfMinus(0)).toBe(0.5);
    expect(logisticOfMinus(700)).toBeGreaterThan(0);
    expect(logisticOfMinus(700)).toBeLessThan(1e-300);
    expect(logisticOfMinus(-800)).toBe(1);
    expect(logisticOfMinus(Math.log(3))).toBeCloseTo(0.25, 15);
  });
});
