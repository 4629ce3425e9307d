// Customer lifetime value (../shared/DESIGN.md "Definitions"), per customer:
// - historical: the shop's gross margin × net revenue per customer to date;
// - predicted: the 12-month value the segment refresh computed with lib/predict (BG/NBD expected
//   purchases × Gamma-Gamma value per purchase × margin, discounted monthly), averaged over the
//   customers the model scored. Customers valued from their history alone (a shop the model does
//   not trust yet) are not "predicted": the figure says why instead.
// Overall, by acquisition channel and by monthly acquisition cohort.
import { VALUE_MONTHS } from "../segments/shop-value-model";
import { addGroups, groupBy, type AcquisitionGroup, type GroupTotals } from "./list-acquisition-groups";
import { noData, ok, type Figure, type Interval } from "./metric-result";

export interface HistoricalCltv {
  /** Customers with at least one sale. */
  n: number;
  /** Margin × net revenue to date, per customer, in minor units. */
  cltvMinor: number;
  revenueMinor: number;
  marginBp: number;
}

export interface PredictedCltv {
  /** Customers the model scored. */
  n: number;
  /** Predicted margin over the next `horizonMonths`, per customer, in minor units. */
  cltvMinor: number;
  /** 90 % bootstrap interval of the per-customer figure; null when the refresh had none. */
  interval: Interval | null;
  horizonMonths: number;
  /** Customers of this group the model did not score (new since the refresh, or history-valued). */
  notScored: number;
}

export interface CltvGroup {
  key: string;
  historical: Figure<HistoricalCltv>;
  predicted: Figure<PredictedCltv>;
}

export interface CustomerValue {
  overall: CltvGroup;
  byChannel: CltvGroup[];
  byCohort: CltvGroup[];
}

export interface ModelState {
  /** Whether any segment refresh has scored customers yet. */
  refreshed: boolean;
  /** The refresh's own words on the model (why it fell back to history, for one). */
  message: string | null;
}

export const NO_ORDERS_HINT = "No orders in this range yet: import orders (Imports, or `regulars import orders`) or connect the store's webhook.";

/** Margin × revenue per customer: the one formula for historical value. */
export function historicalValuePerCustomer(revenueMinor: number, customers: number, marginBp: number): number {
  return (marginBp / 10_000) * (revenueMinor / customers);
}

export function historicalCltv(t: GroupTotals, marginBp: number): Figure<HistoricalCltv> {
  if (t.customers === 0) return noData(NO_ORDERS_HINT);
  return ok({ n: t.customers, cltvMinor: Math.round(historicalValuePerCustomer(t.revenueMinor, t.customers, marginBp)), revenueMinor: t.revenueMinor, marginBp });
}

export function predictedCltv(t: GroupTotals, model: ModelState): Figure<PredictedCltv> {
  if (t.customers === 0) return noData(NO_ORDERS_HINT);
  if (!model.refreshed) return noData("Predictions are made when segments are refreshed: open Segments and refresh, or run `regulars segments refresh`.");
  if (t.modelScored === 0) {
    return noData(model.message ?? "The purchase model has scored none of these customers yet; refresh segments after new orders.");
  }
  const n = t.modelScored;
  const interval: Interval | null =
    t.withInterval === n
      ? { low: Math.round(t.predictedLowMinor / n), high: Math.round(t.predictedHighMinor / n), level: 0.9, method: "bootstrap refits of the purchase model (each customer's 90 % bounds, averaged)" }
      : null;
  return ok({ n, cltvMinor: Math.round(t.predictedMinor / n), interval, horizonMonths: VALUE_MONTHS, notScored: t.customers - n });
}

function group(key: string, groups: readonly AcquisitionGroup[], marginBp: number, model: ModelState): CltvGroup {
  const t = addGroups(groups);
  return { key, historical: historicalCltv(t, marginBp), predicted: predictedCltv(t, model) };
}

export function summarizeCustomerValue(groups: readonly AcquisitionGroup[], options: { marginBp: number; model: ModelState }): CustomerValue {
  const { marginBp, model } = options;
  return {
    overall: group("all", groups, marginBp, model),
    byChannel: [...groupBy(groups, (g) => g.channel)].map(([k, gs]) => group(k, gs, marginBp, model)),
    byCohort: [...groupBy(groups, (g) => g.cohort)].map(([k, gs]) => group(k, gs, marginBp, model)),
  };
}
