// The sentences a customer could read about themselves: what we count ("5 orders, last one 12 days
// ago, €240.00 spent") and what we predict from it, in words before numbers.
import { daysAgo, describeDays, formatMoney, formatPercent, plural } from "../format";
import type { CustomerHistory } from "./customer-history";
import type { CustomerPrediction, ValueModelSummary } from "./shop-value-model";

export function describeFacts(c: CustomerHistory, today: number, currency: string): string {
  const since = today - c.lastDay;
  const last = c.orders === 1 ? daysAgo(since) : `last one ${daysAgo(since)}`;
  return `${plural(c.orders, "order")}, ${last}, ${formatMoney(c.revenueMinor, currency)} spent`;
}

export function likelihoodWords(pAlive: number): string {
  if (pAlive >= 0.8) return "likely active";
  if (pAlive >= 0.5) return "probably active";
  if (pAlive >= 0.2) return "may have stopped buying";
  return "has probably stopped buying";
}

export function describePrediction(c: CustomerHistory, p: CustomerPrediction, model: ValueModelSummary, today: number, currency: string): string {
  const value = formatMoney(p.predictedValueMinor, currency);
  if (p.valueBasis === "history" || p.pAlive === null || p.expectedPurchases90d === null) {
    return `Value from history: ${formatMoney(c.revenueMinor, currency)} spent × ${formatPercent(model.margin)} margin = ${value}. ${model.message}`;
  }
  const expected = `about ${p.expectedPurchases90d.toFixed(1)} orders expected in the next 90 days`;
  const worth = `worth about ${value} in margin over the next 12 months`;
  if (c.purchaseDays === 1) {
    return `One purchase so far, ${daysAgo(today - c.firstDay)}: too early to tell if they will come back; customers like this place about ${p.expectedPurchases90d.toFixed(1)} orders in the next 90 days, ${worth}.`;
  }
  const span = describeDays(today - c.firstDay);
  return `Bought on ${c.purchaseDays} different days in ${span}, last ${daysAgo(today - c.lastDay)}: ${likelihoodWords(p.pAlive)} (${formatPercent(p.pAlive)} chance still a customer), ${expected}, ${worth}.`;
}
