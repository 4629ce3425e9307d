import { describe, expect, it } from "vitest";
import { minimizeBfgs } from "./minimize";

describe("minimizeBfgs", () => {
  it("finds the minimum of Rosenbrock's valley at (1, 1) from the classic start (−1.2, 1)", () => {
    const result = minimizeBfgs(([x, y]) => ({
      value: 100 * (y! - x! ** 2) ** 2 + (1 - x!) ** 2,
      gradient: [-400 * x! * (y! - x! ** 2) - 2 * (1 - x!), 200 * (y! - x! ** 2)],
    }), [-1.2, 1]);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 6);
    expect(result.x[1]).toBeCloseTo(1, 6);
    expect(result.iterations).toBeLessThan(100);
  });

  it("steps back from places where the objective is not finite", () => {
    // ln-barrier: f = x − ln x has its minimum at x = 1 and is undefined for x ≤ 0.
    const result = minimizeBfgs(([x]) => ({ value: x! - Math.log(x!), gradient: [1 - 1 / x!] }), [20], { maxStep: 100 });
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 8);
  });

  it("says when it did not converge", () => {
    // Unbounded below: every step goes further.
    const result = minimizeBfgs(([x]) => ({ value: -x!, gradient: [-1] }), [0], { maxIterations: 20 });
    expect(result.converged).toBe(false);
    expect(result.iterations).toBe(20);
  });
});
