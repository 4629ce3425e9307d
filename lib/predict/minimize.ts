// A small BFGS minimiser with a backtracking (Armijo) line search, for the model fits here: three or
// four parameters, optimised on their logarithms so every parameter stays positive, with analytic
// gradients. The optimisers on npm are no better bet (fmin and numeric are no longer developed,
// optimization-js is little used), and with an exact gradient BFGS reaches the maximum likelihood in
// a few dozen evaluations where Nelder–Mead needs hundreds.
// Reference: Nocedal & Wright, Numerical Optimization (2nd ed.), algorithm 6.1 with (6.20) for the
// first inverse-Hessian scaling.

export interface Objective {
  (x: readonly number[]): { value: number; gradient: number[] };
}

export interface MinimizeResult {
  x: number[];
  value: number;
  gradient: number[];
  iterations: number;
  converged: boolean;
}

export interface MinimizeOptions {
  maxIterations?: number;
  /** Converged when every gradient component is at most this, in absolute value. */
  gradientTolerance?: number;
  /** Largest change of any coordinate in one step: on log-parameters, 5 is a factor of about 150. */
  maxStep?: number;
}

const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);
const maxAbs = (a: readonly number[]) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const finite = (a: readonly number[]) => a.every(Number.isFinite);

export function minimizeBfgs(f: Objective, x0: readonly number[], options: MinimizeOptions = {}): MinimizeResult {
  const maxIterations = options.maxIterations ?? 500;
  const gtol = options.gradientTolerance ?? 1e-8;
  const maxStep = options.maxStep ?? 5;
  const n = x0.length;
  const identity = (): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));

  let x = [...x0];
  let { value, gradient } = f(x);
  if (!Number.isFinite(value) || !finite(gradient)) {
    return { x, value, gradient, iterations: 0, converged: false };
  }
  let h = identity();
  let scaled = false;
  let iterations = 0;

  while (iterations < maxIterations) {
    if (maxAbs(gradient) <= gtol) return { x, value, gradient, iterations, converged: true };
    iterations += 1;

    let direction = h.map((row) => -dot(row, gradient));
    let slope = dot(direction, gradient);
    if (!(slope < 0)) {
      // The approximation lost positive definiteness: start again from steepest descent.
      h = identity();
      scaled = false;
      direction = gradient.map((g) => -g);
      slope = dot(direction, gradient);
    }
    let step = Math.min(1, maxStep / maxAbs(direction));

    let next: { x: number[]; value: number; gradient: number[] } | null = null;
    for (let tries = 0; tries < 60; tries++) {
      const candidate = x.map((xi, i) => xi + step * direction[i]!);
      const evaluated = f(candidate);
      if (Number.isFinite(evaluated.value) && finite(evaluated.gradient) && evaluated.value <= value + 1e-4 * step * slope) {
        next = { x: candidate, ...evaluated };
        break;
      }
      step *= 0.5;
    }
    if (!next) {
      // No decrease along a descent direction: we are at the optimum to within rounding, or stuck.
      return { x, value, gradient, iterations, converged: maxAbs(gradient) <= Math.sqrt(gtol) };
    }

    const s = next.x.map((v, i) => v - x[i]!);
    const y = next.gradient.map((v, i) => v - gradient[i]!);
    const sy = dot(s, y);
    const decrease = value - next.value;
    x = next.x;
    value = next.value;
    gradient = next.gradient;

    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (!scaled) {
        const gamma = sy / dot(y, y);
        h = identity().map((row) => row.map((v) => v * gamma));
        scaled = true;
      }
      // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ
      const rho = 1 / sy;
      const hy = h.map((row) => dot(row, y));
      const yhy = dot(y, hy);
      h = h.map((row, i) =>
        row.map((v, j) => v - rho * (hy[i]! * s[j]! + s[i]! * hy[j]!) + (rho * rho * yhy + rho) * s[i]! * s[j]!),
      );
    }
    if (decrease <= 1e-15 * Math.max(1, Math.abs(value)) && maxAbs(gradient) <= Math.sqrt(gtol)) {
      return { x, value, gradient, iterations, converged: true };
    }
  }
  return { x, value, gradient, iterations, converged: maxAbs(gradient) <= gtol };
}
