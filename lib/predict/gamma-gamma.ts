// Gamma-Gamma: how much a customer spends per purchase (Fader, Hardie & Lee 2005, "RFM and CLV:
// using iso-value curves for customer base analysis", Journal of Marketing Research 42(4); Fader &
// Hardie, "The Gamma-Gamma model of monetary value", brucehardie.com/notes/025). Each purchase's
// value is Gamma(p, ν) around the customer's own mean p/ν, and ν ~ Gamma(q, γ) across customers;
// `v` is γ. Spend is assumed independent of how often a customer buys. Fitted on repeat customers
// only, with their average repeat-purchase value (the first purchase left out).
import { minimizeBfgs } from "./minimize";
import { digamma, gammaln } from "./special-functions";

export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}

export interface GammaGammaFit {
  params: GammaGammaParams;
  logLikelihood: number;
  converged: boolean;
}

interface SpendPatterns {
  x: number[];
  m: number[];
  weight: number[];
  total: number;
}

/** Rows with frequency > 0 and a positive average value, identical (x, m) pairs counted once with a weight. */
function collapse(rows: readonly { frequency: number; monetaryValue: number }[]): SpendPatterns {
  const index = new Map<string, number>();
  const patterns: SpendPatterns = { x: [], m: [], weight: [], total: 0 };
  for (const { frequency, monetaryValue } of rows) {
    if (!(frequency > 0 && monetaryValue > 0)) continue;
    const key = `${frequency}|${monetaryValue}`;
    let i = index.get(key);
    if (i === undefined) {
      i = patterns.x.length;
      index.set(key, i);
      patterns.x.push(frequency);
      patterns.m.push(monetaryValue);
      patterns.weight.push(0);
    }
    patterns.weight[i]! += 1;
    patterns.total += 1;
  }
  return patterns;
}

/**
 * ℓ = ln Γ(px + q) − ln Γ(px) − ln Γ(q) + q ln γ + (px − 1) ln m + px ln x − (px + q) ln(xm + γ)
 * (note 025, equation 1a, written for the average m of x purchases), and its gradient with respect
 * to (ln p, ln q, ln γ).
 */
function logLikelihoodWithGradient({ p, q, v }: GammaGammaParams, s: SpendPatterns): { value: number; gradient: number[] } {
  const lgq = gammaln(q);
  const psiQ = digamma(q);
  const lnV = Math.log(v);
  let value = 0, dp = 0, dq = 0, dv = 0;
  for (let i = 0; i < s.x.length; i++) {
    const x = s.x[i]!, m = s.m[i]!, w = s.weight[i]!;
    const px = p * x;
    const lnXmV = Math.log(x * m + v);
    const psiPxQ = digamma(px + q);
    value += w * (gammaln(px + q) - gammaln(px) - lgq + q * lnV + (px - 1) * Math.log(m) + px * Math.log(x) - (px + q) * lnXmV);
    dp += w * x * (psiPxQ - digamma(px) + Math.log(m) + Math.log(x) - lnXmV);
    dq += w * (psiPxQ - psiQ + lnV - lnXmV);
    dv += w * (q / v - (px + q) / (x * m + v));
  }
  return { value, gradient: [dp * p, dq * q, dv * v] };
}

export function gammaGammaLogLikelihood(params: GammaGammaParams, rows: readonly { frequency: number; monetaryValue: number }[]): number {
  return logLikelihoodWithGradient(params, collapse(rows)).value;
}

/** Fits p, q, γ by maximum likelihood on the rows with frequency > 0 and monetaryValue > 0. */
export function fitGammaGamma(rows: readonly { frequency: number; monetaryValue: number }[]): GammaGammaFit {
  const s = collapse(rows);
  if (s.total === 0) throw new RangeError("fitGammaGamma needs at least one repeat customer with a positive average value.");
  // Start from the data's scale: p = 1, q = 2, so that the population mean pγ/(q − 1) is the mean of m.
  const meanM = s.m.reduce((acc, m, i) => acc + m * s.weight[i]!, 0) / s.total;
  const unpack = (u: readonly number[]): GammaGammaParams => ({ p: Math.exp(u[0]!), q: Math.exp(u[1]!), v: Math.exp(u[2]!) });
  const result = minimizeBfgs(
    (u) => {
      const { value, gradient } = logLikelihoodWithGradient(unpack(u), s);
      return { value: -value / s.total, gradient: gradient.map((g) => -g / s.total) };
    },
    [0, Math.log(2), Math.log(meanM)],
  );
  return { params: unpack(result.x), logLikelihood: -result.value * s.total, converged: result.converged };
}

/**
 * E[Z | x, m], the expected average value of a customer's future purchases (note 025, equation 5): a
 * weighted mean of the population mean pγ/(q − 1) and the customer's own average m, with weight
 * px/(px + q − 1) on m. For x = 0 it is the population mean (finite only when q > 1).
 */
export function gammaGammaExpectedAverageValue({ p, q, v }: GammaGammaParams, frequency: number, monetaryValue: number): number {
  const individual = (p * frequency) / (p * frequency + q - 1);
  const populationMean = (p * v) / (q - 1);
  return frequency > 0 ? (1 - individual) * populationMean + individual * monetaryValue : populationMean;
}
