// Every sentence that says why a customer is in a segment, and what we predict for them, rendered
// when it is read. A membership stores only its parameters (or none, when the customer's scores
// say it all): the segment page, the members CSV, the customer page and the rule builder's preview
// all read through memberReason and describePrediction here, so a reason reads the same wherever
// it is shown. Money is in the shop's currency; days are the shop's local calendar days, as of the
// refresh that computed the scores.
import { sql, type SQL } from "drizzle-orm";
import { daysAgo, describeDays, formatMoney, formatPercent, plural } from "../format";
import { SURVEY_REST_DAYS } from "./automation-segments";
import { BROWSE_DAYS, TOP_VALUE_SHARE } from "./builtin-segments";
import type { RuleReasonParams } from "./compile-rules";
import type { LifecycleStage, LifecycleThresholds } from "./lifecycle";
import { RFM_GROUPS, type RfmGroup } from "./rfm-groups";
import { EVENT_WORDS, leaves, type Condition, type RuleGroup } from "./rules";
import type { ValueModelSummary } from "./shop-value-model";

const DAY_MS = 86_400_000;

/** A customer's scores as the sentences read them (customer_scores, with local days). */
export interface ScoreFacts {
  orders: number;
  purchaseDays: number;
  revenueMinor: number;
  firstOrderAt: Date;
  lastOrderAt: Date;
  /** Local calendar days since 1970-01-01 in the shop's time zone: first and last purchase, and the day the scores were computed. */
  firstDay: number;
  lastDay: number;
  today: number;
  recencyScore: number;
  frequencyScore: number;
  monetaryScore: number;
  pAlive: number | null;
  expectedPurchases90d: number | null;
  predictedValueMinor: number;
  valueBasis: "model" | "history";
}

/** What every reason of a shop shares: its currency, and the rhythm and model of the refresh behind the scores. */
export interface ReasonContext {
  currency: string;
  lifecycle: Pick<LifecycleThresholds, "medianGapDays" | "newDays" | "loyalMinOrders">;
  model: Pick<ValueModelSummary, "margin" | "message">;
}

/** The segment a reason belongs to: built-in by key, or custom with its rules; `computedAt` is when its members were computed. */
export interface ReasonSegment {
  key: string;
  kind: "builtin" | "custom";
  rules: RuleGroup | null;
  computedAt: Date;
}

/**
 * The columns of `cs` (customer_scores, usually left joined) that ScoreFacts needs, with the local
 * days in the shop's time zone; read them back with scoreFacts.
 */
export function scoreFactsColumns(timeZone: string): SQL {
  const day = (at: SQL) => sql`((${at} at time zone ${timeZone})::date - date '1970-01-01')::int`;
  return sql`cs.orders as cs_orders, cs.purchase_days as cs_purchase_days, cs.revenue_minor as cs_revenue_minor,
    cs.first_order_at as cs_first_order_at, cs.last_order_at as cs_last_order_at,
    ${day(sql`cs.first_order_at`)} as cs_first_day, ${day(sql`cs.last_order_at`)} as cs_last_day, ${day(sql`cs.computed_at`)} as cs_today,
    cs.recency_score as cs_r, cs.frequency_score as cs_f, cs.monetary_score as cs_m, cs.p_alive as cs_p_alive,
    cs.expected_purchases_90d as cs_expected, cs.predicted_value_minor as cs_value, cs.value_basis as cs_basis`;
}

export interface ScoreFactsRow {
  cs_orders: number | null; cs_purchase_days: number; cs_revenue_minor: number | string; cs_first_order_at: Date | string; cs_last_order_at: Date | string;
  cs_first_day: number; cs_last_day: number; cs_today: number; cs_r: number; cs_f: number; cs_m: number;
  cs_p_alive: number | null; cs_expected: number | null; cs_value: number | string; cs_basis: "model" | "history";
}

/** The facts of a row read with scoreFactsColumns; null for a customer without scores. */
export function scoreFacts(row: ScoreFactsRow): ScoreFacts | null {
  if (row.cs_orders === null || row.cs_orders === undefined) return null;
  return {
    orders: row.cs_orders, purchaseDays: row.cs_purchase_days, revenueMinor: Number(row.cs_revenue_minor),
    firstOrderAt: new Date(row.cs_first_order_at), lastOrderAt: new Date(row.cs_last_order_at),
    firstDay: row.cs_first_day, lastDay: row.cs_last_day, today: row.cs_today,
    recencyScore: row.cs_r, frequencyScore: row.cs_f, monetaryScore: row.cs_m,
    pAlive: row.cs_p_alive, expectedPurchases90d: row.cs_expected, predictedValueMinor: Number(row.cs_value), valueBasis: row.cs_basis,
  };
}

/** "5 orders, last one 12 days ago, €240.00 spent": how every reason built on a customer's orders begins. */
export function describeFacts(s: ScoreFacts, currency: string): string {
  const since = s.today - s.lastDay;
  const last = s.orders === 1 ? daysAgo(since) : `last one ${daysAgo(since)}`;
  return `${plural(s.orders, "order")}, ${last}, ${formatMoney(s.revenueMinor, currency)} spent`;
}

function likelihoodWords(pAlive: number): string {
  if (pAlive >= 0.8) return "likely active";
  if (pAlive >= 0.5) return "probably active";
  if (pAlive >= 0.2) return "may have stopped buying";
  return "has probably stopped buying";
}

/** What we predict for a customer, in words before numbers. */
export function describePrediction(s: ScoreFacts, ctx: Pick<ReasonContext, "currency" | "model">): string {
  const value = formatMoney(s.predictedValueMinor, ctx.currency);
  if (s.valueBasis === "history" || s.pAlive === null || s.expectedPurchases90d === null) {
    return `Value from history: ${formatMoney(s.revenueMinor, ctx.currency)} spent × ${formatPercent(ctx.model.margin)} margin = ${value}. ${ctx.model.message}`;
  }
  const expected = `about ${s.expectedPurchases90d.toFixed(1)} orders expected in the next 90 days`;
  const worth = `worth about ${value} in margin over the next 12 months`;
  if (s.purchaseDays === 1) {
    return `One purchase so far, ${daysAgo(s.today - s.firstDay)}: too early to tell if they will come back; customers like this place about ${s.expectedPurchases90d.toFixed(1)} orders in the next 90 days, ${worth}.`;
  }
  const span = describeDays(s.today - s.firstDay);
  return `Bought on ${s.purchaseDays} different days in ${span}, last ${daysAgo(s.today - s.lastDay)}: ${likelihoodWords(s.pAlive)} (${formatPercent(s.pAlive)} chance still a customer), ${expected}, ${worth}.`;
}

const LIFECYCLE_PHRASES: Record<LifecycleStage, (t: ReasonContext["lifecycle"], usual: string) => string> = {
  new: (t) => `first order less than ${t.newDays} days ago.`,
  loyal: (t, usual) => `${t.loyalMinOrders} or more orders and ordering at the usual rhythm (${usual}).`,
  active: (_, usual) => `ordering at the usual rhythm (${usual}).`,
  at_risk: (_, usual) => `the next order is later than usual (${usual}).`,
  lapsed: (_, usual) => `no order for more than three times the usual gap (${usual}).`,
  churned: (_, usual) => `no order for more than six times the usual gap (${usual}); probably gone.`,
};

/** Built-in segments whose reason needs only the scores, by key. */
function scoredReason(key: string, s: ScoreFacts, ctx: ReasonContext): string | null {
  const facts = describeFacts(s, ctx.currency);
  const usual = `customers here typically reorder every ${ctx.lifecycle.medianGapDays} days`;
  if (key.startsWith("lifecycle_")) {
    const phrase = LIFECYCLE_PHRASES[key.slice("lifecycle_".length) as LifecycleStage];
    return phrase ? `${facts} — ${phrase(ctx.lifecycle, usual)}` : null;
  }
  if (key.startsWith("rfm_")) {
    const group = RFM_GROUPS[key.slice("rfm_".length) as RfmGroup];
    return group ? `${facts} — ${group.says} (recency ${s.recencyScore}/5, frequency ${s.frequencyScore}/5, spend ${s.monetaryScore}/5).` : null;
  }
  switch (key) {
    case "frequent_buyers": {
      const gap = (s.lastOrderAt.getTime() - s.firstOrderAt.getTime()) / DAY_MS / (s.purchaseDays - 1);
      return `${facts} — orders about every ${Math.max(1, Math.round(gap))} days, more often than most customers (typically every ${ctx.lifecycle.medianGapDays} days).`;
    }
    case "one_time_buyers":
      return `${facts} — has not ordered again yet.`;
    case "top_value":
      return `In your top ${TOP_VALUE_SHARE * 100} % by value. ${describePrediction(s, ctx)}`;
    case "valuable_lapsing":
      return `${facts} — in your top ${TOP_VALUE_SHARE * 100} % by value, but the next order is later than usual (${usual}).`;
    case "churn_risk":
    case "likely_buyers":
      return describePrediction(s, ctx);
  }
  return null;
}

/** Whole days from `from` to `to`, as the refresh counted them (24-hour periods, rounded down). */
const wholeDays = (from: Date, to: Date) => Math.floor((to.getTime() - from.getTime()) / DAY_MS);

/** Amounts in custom rules' reasons: "1,234.50 EUR". */
const ruleAmount = (minor: number, currency: string) =>
  `${(minor / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency}`;

function conditionPhrase(c: Condition, value: string | null | undefined, s: ScoreFacts | null, computedAt: Date, currency: string): string | null {
  switch (c.field) {
    case "orderCount": {
      const n = s?.orders ?? 0;
      return `${n} ${n === 1 ? "order" : "orders"}`;
    }
    case "totalSpent":
      return `spent ${ruleAmount(s?.revenueMinor ?? 0, currency)}`;
    case "daysSinceLastOrder":
      return s ? `last order ${wholeDays(s.lastOrderAt, computedAt)} days ago` : null;
    case "predictedValue":
      return `value ${ruleAmount(s?.predictedValueMinor ?? 0, currency)}`;
    case "pAlive":
      return s?.pAlive === null || s?.pAlive === undefined ? null : `${Math.round(s.pAlive * 100)} % chance still a customer`;
    case "categoryBought":
      return `bought from ${c.value}${c.withinDays ? ` in the last ${c.withinDays} days` : ""}`;
    case "eventSeen":
      return `${EVENT_WORDS[c.event] ?? c.event} in the last ${c.withinDays} days`;
    case "consent":
      return `agreed to ${c.purpose} by ${c.channel}`;
    case "timeZone":
      return `time zone ${value ?? "not set"}`;
    case "locale":
      return `language ${value ?? "not set"}`;
    case "attribute":
      return `${c.key} ${value ?? "not set"}`;
  }
}

/** "Matches your rule: 5 orders; last order 12 days ago.": the conditions that held, in reading order. */
function ruleReason(rules: RuleGroup, params: RuleReasonParams, s: ScoreFacts | null, computedAt: Date, currency: string): string {
  const conditions = leaves(rules);
  const parts = params.held
    .map((i) => (conditions[i] ? conditionPhrase(conditions[i], params.values?.[String(i)], s, computedAt, currency) : null))
    .filter((p): p is string => p !== null);
  return `Matches your rule: ${parts.join("; ")}.`;
}

/** Why this customer is in this segment, in a sentence they could read. */
export function memberReason(segment: ReasonSegment, params: Record<string, unknown> | null, score: ScoreFacts | null, ctx: ReasonContext): string {
  // Memberships computed before reasons were stored as parameters keep their sentence until the next refresh.
  if (params && typeof params.sentence === "string") return params.sentence;
  if (segment.kind === "custom") {
    return segment.rules && params ? ruleReason(segment.rules, params as unknown as RuleReasonParams, score, segment.computedAt, ctx.currency) : "Matches your rule.";
  }
  switch (segment.key) {
    case "cart_abandoners":
      return `Left a cart ${daysAgo(wholeDays(new Date(String(params?.cartAt)), segment.computedAt))} and has not ordered since.`;
    case "browsed_not_bought": {
      const n = Number(params?.products);
      return `Viewed ${n} ${n === 1 ? "product" : "products"} in the last ${BROWSE_DAYS} days without ordering.`;
    }
    case "category_affinity":
      return `${String(params?.items)} of ${String(params?.of)} items bought were ${String(params?.category)}.`;
    case "survey_due":
      return `Latest order ${daysAgo(wholeDays(new Date(String(params?.orderAt)), segment.computedAt))}, and not asked for a survey in the last ${SURVEY_REST_DAYS} days.`;
    case "replenishment_due":
      return `Last bought ${String(params?.item)} ${daysAgo(wholeDays(new Date(String(params?.lastAt)), segment.computedAt))}; customers here usually buy it again after about ${String(params?.usualDays)} days.`;
  }
  return (score && scoredReason(segment.key, score, ctx)) ?? "In this segment as of the last refresh.";
}
