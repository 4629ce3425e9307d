// Shifted-beta-geometric retention (Fader & Hardie 2007, "How to project customer retention",
// Journal of Interactive Marketing 21(1)): for subscription-like customers observed period by
// period. Each customer churns at the end of a period with probability θ ~ Beta(α, β), so
//   P(T = t) = B(α + 1, β + t − 1) / B(α, β),   S(t) = B(α, β + t) / B(α, β).
import { AppError } from "../errors";
import { minimizeBfgs } from "./minimize";
import { betaln, digamma } from "./special-functions";

export interface ShiftedBetaGeometricParams {
  alpha: number;
  beta: number;
}

/**
 * Fits α, β by maximum likelihood to a cohort's survivors: survivors[0] customers at the start,
 * survivors[t] still there after period t. ℓ = Σₜ (nₜ₋₁ − nₜ) ln P(T = t) + n_k ln S(k).
 */
export function fitShiftedBetaGeometric(survivors: readonly number[]): ShiftedBetaGeometricParams & { logLikelihood: number } {
  if (survivors.length < 2) throw new AppError("invalid_input", "Give survivors for at least the start and one period.");
  survivors.forEach((n, t) => {
    if (!Number.isFinite(n) || n < 0) throw new AppError("invalid_input", `survivors[${t}] = ${n} is not a count.`);
    if (t > 0 && n > survivors[t - 1]!) throw new AppError("invalid_input", `survivors[${t}] = ${n} is more than the ${survivors[t - 1]} before it.`);
  });
  if (!(survivors[0]! > 0)) throw new AppError("invalid_input", "The cohort is empty.");
  const k = survivors.length - 1;

  const objective = (u: readonly number[]) => {
    const alpha = Math.exp(u[0]!), beta = Math.exp(u[1]!);
    const lnB = betaln(alpha, beta);
    const psiA = digamma(alpha), psiAB = digamma(alpha + beta), psiB = digamma(beta);
    let value = 0, dA = 0, dB = 0;
    for (let t = 1; t <= k; t++) {
      const churned = survivors[t - 1]! - survivors[t]!;
      if (churned === 0) continue;
      // ln P(T = t) = ln B(α + 1, β + t − 1) − ln B(α, β)
      const psiSum = digamma(alpha + beta + t);
      value += churned * (betaln(alpha + 1, beta + t - 1) - lnB);
      dA += churned * (digamma(alpha + 1) - psiSum - (psiA - psiAB));
      dB += churned * (digamma(beta + t - 1) - psiSum - (psiB - psiAB));
    }
    const still = survivors[k]!;
    if (still > 0) {
      // ln S(k) = ln B(α, β + k) − ln B(α, β)
      const psiSum = digamma(alpha + beta + k);
      value += still * (betaln(alpha, beta + k) - lnB);
      dA += still * (psiA - psiSum - (psiA - psiAB));
      dB += still * (digamma(beta + k) - psiSum - (psiB - psiAB));
    }
    const n = survivors[0]!;
    return { value: -value / n, gradient: [(-dA * alpha) / n, (-dB * beta) / n] };
  };
  const result = minimizeBfgs(objective, [0, 0]);
  return { alpha: Math.exp(result.x[0]!), beta: Math.exp(result.x[1]!), logLikelihood: -result.value * survivors[0]! };
}

/** S(0..periods): the share of a cohort expected to remain after each period, S(0) = 1. */
export function sbgSurvival({ alpha, beta }: ShiftedBetaGeometricParams, periods: number): number[] {
  const s = [1];
  // S(t) = S(t − 1) · (β + t − 1) / (α + β + t − 1)
  for (let t = 1; t <= periods; t++) s.push(s[t - 1]! * ((beta + t - 1) / (alpha + beta + t - 1)));
  return s;
}
