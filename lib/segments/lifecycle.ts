// Lifecycle stages from the shop's own rhythm. A café's regular comes back weekly, a bike shop's
// yearly: one fixed "90 days" would call every bike-shop customer lapsed. The thresholds are
// multiples of the shop's median days between a customer's consecutive orders.
import { sql, type SQL } from "drizzle-orm";

export const LIFECYCLE_STAGES = {
  new: { name: "New", says: "first order less than 30 days ago" },
  loyal: { name: "Loyal", says: "orders regularly and recently" },
  active: { name: "Active", says: "ordered within the usual time between orders" },
  at_risk: { name: "At risk", says: "later than usual for the next order" },
  lapsed: { name: "Lapsed", says: "well past the usual time between orders" },
  churned: { name: "Churned", says: "no order for many times the usual gap; probably gone" },
} as const;

export type LifecycleStage = keyof typeof LIFECYCLE_STAGES;

/** Fewer gaps than this and the median says more about chance than about the shop. */
export const MIN_GAPS_FOR_SHOP_RHYTHM = 20;
/** Used until the shop has enough repeat orders: a month is a common rhythm for small shops. */
export const DEFAULT_MEDIAN_GAP_DAYS = 30;
export const NEW_CUSTOMER_DAYS = 30;
export const LOYAL_MIN_ORDERS = 4;

export interface LifecycleThresholds {
  medianGapDays: number;
  /** "shop" when computed from this shop's orders, "default" when it had too few repeat orders. */
  basis: "shop" | "default";
  gaps: number;
  newDays: number;
  loyalMinOrders: number;
  /** Days since the last order up to which a customer is active (or loyal), at risk, lapsed. */
  activeDays: number;
  atRiskDays: number;
  lapsedDays: number;
}

export function lifecycleThresholds(medianGapDays: number | null, gaps: number): LifecycleThresholds {
  const fromShop = medianGapDays !== null && gaps >= MIN_GAPS_FOR_SHOP_RHYTHM;
  // At least a week: same-week repeat visits would otherwise make everyone "at risk" by Monday.
  const m = Math.max(7, Math.round(fromShop ? medianGapDays : DEFAULT_MEDIAN_GAP_DAYS));
  return {
    medianGapDays: m,
    basis: fromShop ? "shop" : "default",
    gaps,
    newDays: NEW_CUSTOMER_DAYS,
    loyalMinOrders: LOYAL_MIN_ORDERS,
    activeDays: Math.ceil(1.5 * m),
    atRiskDays: 3 * m,
    lapsedDays: 6 * m,
  };
}

/**
 * The stage as SQL over a customer's first order time, last purchase day and order count: new when
 * the first order is less than newDays old; else by days since the last purchase day, loyal being
 * active with loyalMinOrders or more orders.
 */
export function lifecycleStageSql(
  t: LifecycleThresholds,
  c: { now: string; firstOrderAt: SQL; daysSinceLast: SQL; orders: SQL },
): SQL {
  return sql`case
    when extract(epoch from (${c.now}::timestamptz - ${c.firstOrderAt})) / 86400 < ${t.newDays}::int then 'new'
    when ${c.daysSinceLast} <= ${t.activeDays}::int then case when ${c.orders} >= ${t.loyalMinOrders}::int then 'loyal' else 'active' end
    when ${c.daysSinceLast} <= ${t.atRiskDays}::int then 'at_risk'
    when ${c.daysSinceLast} <= ${t.lapsedDays}::int then 'lapsed'
    else 'churned' end`;
}
