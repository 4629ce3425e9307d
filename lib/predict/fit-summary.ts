// `regulars clv fit` (DESIGN.md, Contracts): BG/NBD on every customer, Gamma-Gamma on the repeat
// customers when the summary has their average spend, and each customer's expected purchases over
// the horizon, probability of still being a customer and expected value per purchase.
import { AppError } from "../errors";
import { bgNbdConditionalExpectedPurchases, bgNbdPAlive, fitBgNbd, type BgNbdParams, type RfmObservation } from "./bgnbd";
import { fitGammaGamma, gammaGammaExpectedAverageValue, type GammaGammaParams } from "./gamma-gamma";

/**
 * One year when the summary is in weeks, the same horizon as predicted customer value (12 months).
 * Fader, Hardie & Lee's 39 weeks is the length of CDNOW's calibration period, not a business horizon.
 */
export const DEFAULT_HORIZON = 52;

export interface ClvFitCustomer {
  id: string;
  /** Expected repeat purchases in the next `horizon` time units. */
  expectedPurchases: number;
  pAlive: number;
  /** Expected value per future purchase; null without a monetary_value column. */
  expectedAvgValue: number | null;
}

export interface ClvFitResult {
  bgnbd: BgNbdParams & { logLikelihood: number };
  gammaGamma: GammaGammaParams | null;
  customers: ClvFitCustomer[];
}

export function fitSummary(
  rows: readonly (RfmObservation & { id: string; monetaryValue?: number })[],
  options: { horizon?: number } = {},
): ClvFitResult {
  const horizon = options.horizon ?? DEFAULT_HORIZON;
  if (!(Number.isFinite(horizon) && horizon > 0)) throw new AppError("invalid_input", `The horizon must be a positive number, not ${horizon}.`);
  if (rows.length === 0) throw new AppError("invalid_input", "There are no customers to fit.");
  if (!rows.some((r) => r.frequency > 0)) {
    throw new AppError("invalid_input", "No customer has a repeat purchase, so how often customers come back cannot be estimated.");
  }

  const bg = fitBgNbd(rows);
  if (!bg.converged) {
    throw new AppError("invalid_input", `The purchase model did not converge on these ${rows.length} customers; more customers or a longer history may help.`);
  }
  const params = bg.params;

  let gammaGamma: GammaGammaParams | null = null;
  if (rows.some((r) => r.monetaryValue !== undefined)) {
    const spenders = rows.filter((r) => r.frequency > 0 && (r.monetaryValue ?? 0) > 0).map((r) => ({ frequency: r.frequency, monetaryValue: r.monetaryValue! }));
    if (spenders.length === 0) throw new AppError("invalid_input", "monetary_value is given but no repeat customer has a positive value, so spend cannot be modelled.");
    const gg = fitGammaGamma(spenders);
    if (!gg.converged) throw new AppError("invalid_input", `The spend model did not converge on the ${spenders.length} repeat customers with a monetary_value.`);
    gammaGamma = gg.params;
  }

  // Customers with the same (x, t_x, T) get the same prediction: compute it once.
  const memo = new Map<string, { expectedPurchases: number; pAlive: number }>();
  const customers = rows.map((row): ClvFitCustomer => {
    const key = `${row.frequency}|${row.recency}|${row.T}`;
    let m = memo.get(key);
    if (!m) {
      m = { expectedPurchases: bgNbdConditionalExpectedPurchases(params, horizon, row), pAlive: bgNbdPAlive(params, row) };
      memo.set(key, m);
    }
    let expectedAvgValue: number | null = null;
    if (gammaGamma) {
      const value = gammaGammaExpectedAverageValue(gammaGamma, row.frequency, row.monetaryValue ?? 0);
      // With q ≤ 1 the population mean, and so a newcomer's expected value, is not finite.
      expectedAvgValue = Number.isFinite(value) && value > 0 ? value : null;
    }
    return { id: row.id, expectedPurchases: m.expectedPurchases, pAlive: m.pAlive, expectedAvgValue };
  });

  return { bgnbd: { ...params, logLikelihood: bg.logLikelihood }, gammaGamma, customers };
}
