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
  lnM: number[];
  weight: number[];
  /** Index into distinctX for each pattern. */
  xIndex: number[];
  distinctX: number[];
  weightByX: number[];
  total: number;
}

/**
 * Rows with frequency > 0 and a positive average value, identical (x, m) pairs counted once with a
 * weight; the log-gamma and digamma terms depend on x alone and are computed once per distinct x.
 */
function collapse(rows: readonly { frequency: number; monetaryValue: number }[]): SpendPatterns {
  // Patterns by frequency, then by value: number keys, no string per row (100,000 rows collapse in a few ms).
  const index = new Map<number, Map<number, number>>();
  const xPosition = new Map<number, number>();
  const s: SpendPatterns = { x: [], m: [], lnM: [], weight: [], xIndex: [], distinctX: [], weightByX: [], total: 0 };
  for (const { frequency, monetaryValue } of rows) {
    if (!(frequency > 0 && monetaryValue > 0)) continue;
    let byValue = index.get(frequency);
    if (!byValue) index.set(frequency, (byValue = new Map()));
    let i = byValue.get(monetaryValue);
    if (i === undefined) {
      i = s.x.length;
      byValue.set(monetaryValue, i);
      let k = xPosition.get(frequency);
      if (k === undefined) {
        k = s.distinctX.length;
        xPosition.set(frequency, k);
        s.distinctX.push(frequency);
        s.weightByX.push(0);
      }
      s.x.push(frequency);
      s.m.push(monetaryValue);
      s.lnM.push(Math.log(monetaryValue));
      s.weight.push(0);
      s.xIndex.push(k);
    }
    s.weight[i]! += 1;
    s.weightByX[s.xIndex[i]!]! += 1;
    s.total += 1;
  }
  return s;
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
  // Terms that depend on x only.
  for (let k = 0; k < s.distinctX.length; k++) {
    const x = s.distinctX[k]!, w = s.weightByX[k]!;
    const px = p * x;
    const lnX = Math.log(x);
    const psiPxQ = digamma(px + q);
    value += w * (gammaln(px + q) - gammaln(px) - lgq + q * lnV + px * lnX);
    dp += w * x * (psiPxQ - digamma(px) + lnX);
    dq += w * (psiPxQ - psiQ + lnV);
    dv += (w * q) / v;
  }
  // Terms that depend on the average value too.
  for (let i = 0; i < s.x.length; i++) {
    const x = s.x[i]!, m = s.m[i]!, lnM = s.lnM[i]!, w = s.weight[i]!;
    const px = p * x;
    const lnXmV = Math.log(x * m + v);
    value += w * ((px - 1) * lnM - (px + q) * lnXmV);
    dp += w * x * (lnM - lnXmV);
    dq -= w * lnXmV;
    dv -= (w * (px + q)) / (x * m + v);
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
