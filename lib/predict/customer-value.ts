// Predicted customer value (DESIGN.md, Definitions): BG/NBD expected purchases × Gamma-Gamma
// expected value per purchase × margin, discounted monthly over a horizon in months. The same sum
// as lifetimes' customer_lifetime_value, so the two can be checked against each other.
import { bgNbdConditionalExpectedPurchases, bgNbdExpectedPurchasesIfAlive, type BgNbdParams, type RfmObservation } from "./bgnbd";
import { gammaGammaExpectedAverageValue, type GammaGammaParams } from "./gamma-gamma";

export interface CustomerValueInput {
  bgnbd: BgNbdParams;
  /** null: no spend model; the customer's own average is used, or fallbackAverageValue without one. */
  gammaGamma: GammaGammaParams | null;
  obs: RfmObservation;
  /** The customer's average repeat-purchase value (0 or anything when frequency is 0). */
  monetaryValue: number;
  /** Gross margin as a fraction of revenue, e.g. 0.3. */
  margin: number;
  monthlyDiscountRate: number;
  months: number;
  /** Time units of the observations in one month, e.g. 52/12 for weeks. */
  periodsPerMonth: number;
  /** Value per purchase when there is neither a spend model nor a repeat purchase to average. */
  fallbackAverageValue: number;
}

/** The expected value per purchase this prediction uses. */
export function expectedAverageValue(input: Pick<CustomerValueInput, "gammaGamma" | "obs" | "monetaryValue" | "fallbackAverageValue">): number {
  const { gammaGamma, obs, monetaryValue, fallbackAverageValue } = input;
  if (gammaGamma) return gammaGammaExpectedAverageValue(gammaGamma, obs.frequency, monetaryValue);
  return obs.frequency > 0 && monetaryValue > 0 ? monetaryValue : fallbackAverageValue;
}

/**
 * Σ over m = 1..months of (E[Y(m·k)] − E[Y((m − 1)·k)]) · value per purchase · margin / (1 + d)^m,
 * where k is periodsPerMonth and E[Y(t)] the conditional expected purchases in the next t.
 */
export function predictedCustomerValue(input: CustomerValueInput): number {
  const { bgnbd, obs, margin, monthlyDiscountRate, months, periodsPerMonth } = input;
  const perPurchase = expectedAverageValue(input) * margin;
  let total = 0;
  let previous = 0;
  for (let m = 1; m <= months; m++) {
    const cumulative = bgNbdConditionalExpectedPurchases(bgnbd, m * periodsPerMonth, obs);
    total += ((cumulative - previous) * perPurchase) / (1 + monthlyDiscountRate) ** m;
    previous = cumulative;
  }
  return total;
}

/**
 * The sum in predictedCustomerValue for a customer who is still buying, per unit of value per
 * purchase: Σ (E[Y(m·k) | alive] − E[Y((m − 1)·k) | alive]) / (1 + d)^m. It depends on x and T
 * only; predictedCustomerValue = this × P(alive) × value per purchase × margin.
 */
export function discountedPurchasesIfAlive(
  bgnbd: BgNbdParams,
  frequency: number,
  T: number,
  options: Pick<CustomerValueInput, "monthlyDiscountRate" | "months" | "periodsPerMonth">,
): number {
  let total = 0;
  let previous = 0;
  for (let m = 1; m <= options.months; m++) {
    const cumulative = bgNbdExpectedPurchasesIfAlive(bgnbd, m * options.periodsPerMonth, frequency, T);
    total += (cumulative - previous) / (1 + options.monthlyDiscountRate) ** m;
    previous = cumulative;
  }
  return total;
}
