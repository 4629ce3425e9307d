// The built-in segments. Most are a condition on a customer's scores, and the refresh finds their
// members in one pass over the scores; the others (carts, browsing, categories) are one query each
// answering (customer_id, reason_params). Reasons are rendered on read (reason-sentences.ts) from
// those parameters and the scores. Descriptions carry the thresholds in use, so the page can show
// exactly what "at risk" means for this shop today.
import { sql, type SQL } from "drizzle-orm";
import { replenishmentDue, surveyDue } from "./automation-segments";
import { LIFECYCLE_STAGES, type LifecycleStage, type LifecycleThresholds } from "./lifecycle";
import { RFM_GROUPS, type RfmGroup } from "./rfm-groups";
import { WALKED_LINES, withWalkedLines } from "./sale-lines";
import type { ValueModelSummary } from "./shop-value-model";

export type SegmentFamily = "rfm" | "lifecycle" | "behaviour" | "value" | "predictive";

export interface RefreshContext {
  /** ISO timestamp: the refresh's "now". */
  now: string;
  lifecycle: LifecycleThresholds;
  model: ValueModelSummary;
}

interface SegmentBase {
  key: string;
  name: string;
  family: SegmentFamily;
  describe(ctx: RefreshContext): string;
}

/** Members are the scored customers for whom `where` holds; the reason needs only their scores. */
export interface ScoredSegment extends SegmentBase {
  source: "scores";
  /** Condition over `cs`: a customer_scores row with `share`, its percent rank by predicted value (0 = highest). */
  where(ctx: RefreshContext): SQL;
  /**
   * The condition reads only what the order history gives (orders, purchase days, first and last
   * order, RFM group, lifecycle stage), never a prediction or `share`: the refresh writes these
   * members while the model is fitted.
   */
  historyOnly?: true;
}

/** Members and the parameters of their reasons come from a query of their own. */
export interface QuerySegment extends SegmentBase {
  source: "query";
  /** Rows of (customer_id uuid, reason_params jsonb); they need no scores, only the refresh's "now". */
  members(ctx: Pick<RefreshContext, "now">): SQL;
  /** The same rows from the shop's walked sale lines (sale-lines.ts), which a refresh computes once for several segments. */
  fromWalkedLines?(ctx: Pick<RefreshContext, "now">, walked: SQL): SQL;
  /** The same rows from the histories a refresh has staged (customer-history.ts), in the refresh's own transaction. */
  fromHistory?(ctx: Pick<RefreshContext, "now">, history: SQL): SQL;
}

export type BuiltinSegment = ScoredSegment | QuerySegment;

export const FAMILY_NAMES: Record<SegmentFamily, string> = {
  rfm: "RFM groups",
  lifecycle: "Lifecycle",
  behaviour: "Behaviour",
  value: "Value",
  predictive: "Predicted",
};

/** One line per family, shown above its segments. */
export const FAMILY_NOTES: Record<SegmentFamily, string> = {
  lifecycle: "Each customer with an order is in exactly one stage, judged against how often customers of this shop reorder.",
  rfm: "Recency, frequency and spend are scored 1–5 within this shop (quintiles; equal values share a score); each customer is in exactly one group.",
  behaviour: "What customers did: carts, browsing, how often and what they buy.",
  value: "Predicted margin over the next 12 months when the model is in use, else margin to date.",
  predictive: "From the purchase model (BG/NBD): the chance a customer is still buying, and how often they will.",
};

export const CART_DAYS = 7;
export const BROWSE_DAYS = 30;
const AFFINITY_SHARE = 0.6;
const AFFINITY_MIN_ITEMS = 3;
const FREQUENT_MIN_ORDERS = 3;
export const TOP_VALUE_SHARE = 0.2;
const CHURN_RISK_P_ALIVE = 0.5;
const LIKELY_BUYER_PURCHASES = 1;

const since = (ctx: Pick<RefreshContext, "now">, days: number) => sql`(${ctx.now}::timestamptz - make_interval(days => ${days}))`;
/** Days between a scored customer's first and last purchase, per repeat purchase day. */
export const MEAN_GAP_SQL = sql`(extract(epoch from (cs.last_order_at - cs.first_order_at)) / 86400 / (cs.purchase_days - 1))`;

const rfm = (group: RfmGroup): ScoredSegment => ({
  key: `rfm_${group}`,
  name: RFM_GROUPS[group].name,
  family: "rfm",
  source: "scores",
  historyOnly: true,
  describe: () => `${RFM_GROUPS[group].says[0]!.toUpperCase()}${RFM_GROUPS[group].says.slice(1)}.`,
  where: () => sql`cs.rfm_group = ${group}`,
});

const lifecycle = (stage: LifecycleStage): ScoredSegment => ({
  key: `lifecycle_${stage}`,
  name: LIFECYCLE_STAGES[stage].name,
  family: "lifecycle",
  source: "scores",
  historyOnly: true,
  describe: ({ lifecycle: t }) => {
    const rhythm = `${t.basis === "shop" ? "this shop's" : "a default (too few repeat orders yet)"} median of ${t.medianGapDays} days between orders`;
    const rule: Record<LifecycleStage, string> = {
      new: `First order less than ${t.newDays} days ago.`,
      loyal: `${t.loyalMinOrders}+ orders and the last within ${t.activeDays} days (1.5 × ${rhythm}).`,
      active: `Last order within ${t.activeDays} days (1.5 × ${rhythm}).`,
      at_risk: `Last order ${t.activeDays + 1}–${t.atRiskDays} days ago (up to 3 × ${rhythm}).`,
      lapsed: `Last order ${t.atRiskDays + 1}–${t.lapsedDays} days ago (up to 6 × ${rhythm}).`,
      churned: `No order for more than ${t.lapsedDays} days (6 × ${rhythm}).`,
    };
    return rule[stage];
  },
  where: () => sql`cs.lifecycle = ${stage}`,
});

const cartAbandoners: QuerySegment = {
  key: "cart_abandoners",
  name: "Cart abandoners",
  family: "behaviour",
  source: "query",
  describe: () => `Put something in a cart or started a checkout in the last ${CART_DAYS} days and has not ordered since.`,
  // The time of the cart, not its age: the row stays the same from one refresh to the next.
  members: (ctx) => sql`
    select e.customer_id, jsonb_build_object('cartAt', e.at) as reason_params
      from (select customer_id, max(occurred_at) as at
              from events
             where type in ('cart.updated', 'checkout.started', 'cart.abandoned') and customer_id is not null
               and occurred_at > ${since(ctx, CART_DAYS)} and occurred_at <= ${ctx.now}::timestamptz
             group by customer_id) e
      join customers c on c.id = e.customer_id and c.erased_at is null
     where not exists (select 1 from sales o where o.customer_id = e.customer_id and o.placed_at >= e.at and o.placed_at <= ${ctx.now}::timestamptz)`,
};

const frequentBuyers: ScoredSegment = {
  key: "frequent_buyers",
  name: "Frequent buyers",
  family: "behaviour",
  source: "scores",
  historyOnly: true,
  describe: ({ lifecycle: t }) => `${FREQUENT_MIN_ORDERS}+ orders, on average at least as often as this shop's median of ${t.medianGapDays} days between orders, and not lapsed.`,
  where: ({ lifecycle: t }) =>
    sql`cs.orders >= ${FREQUENT_MIN_ORDERS} and cs.purchase_days >= 2 and ${MEAN_GAP_SQL} <= ${t.medianGapDays} and cs.lifecycle not in ('lapsed', 'churned')`,
};

const oneTimeBuyers: ScoredSegment = {
  key: "one_time_buyers",
  name: "One-time buyers",
  family: "behaviour",
  source: "scores",
  historyOnly: true,
  describe: () => "Exactly one order so far.",
  where: () => sql`cs.orders = 1`,
};

const browsedNotBought: QuerySegment = {
  key: "browsed_not_bought",
  name: "Browsed, not bought",
  family: "behaviour",
  source: "query",
  describe: () => `Viewed products in the last ${BROWSE_DAYS} days without ordering in that time.`,
  members: (ctx) => sql`
    select v.customer_id, jsonb_build_object('products', v.products) as reason_params
      from (select customer_id, count(distinct coalesce(payload->>'productExternalId', id::text))::int as products
              from events
             where type = 'product.viewed' and customer_id is not null
               and occurred_at > ${since(ctx, BROWSE_DAYS)} and occurred_at <= ${ctx.now}::timestamptz
             group by customer_id) v
      join customers c on c.id = v.customer_id and c.erased_at is null
     where not exists (select 1 from sales o where o.customer_id = v.customer_id
                          and o.placed_at > ${since(ctx, BROWSE_DAYS)} and o.placed_at <= ${ctx.now}::timestamptz)`,
};

const categoryAffinity: QuerySegment = {
  key: "category_affinity",
  name: "Category fans",
  family: "behaviour",
  source: "query",
  describe: () => `Bought ${AFFINITY_MIN_ITEMS}+ items, at least ${AFFINITY_SHARE * 100} % of them from one category.`,
  // From the walked sale lines (sale-lines.ts): each customer's last row of an item that has a
  // category carries how many items of that category they bought.
  members: (ctx) => withWalkedLines(ctx, categoryFansFrom(WALKED_LINES)),
  fromWalkedLines: (_ctx, walked) => categoryFansFrom(walked),
};

function categoryFansFrom(walked: SQL): SQL {
  return sql`
    select x.customer_id, jsonb_build_object('items', x.q, 'of', x.total, 'category', x.category) as reason_params
      from (select customer_id, item as category, category_items::int as q,
                   (sum(category_items) over (partition by customer_id))::int as total,
                   row_number() over (partition by customer_id order by category_items desc, item) as rank
              from ${walked} where last and has_category) x
      join customers c on c.id = x.customer_id and c.erased_at is null
     where x.rank = 1 and x.total >= ${AFFINITY_MIN_ITEMS} and x.q >= ${AFFINITY_SHARE}::float8 * x.total`;
}

// `share` (percent_rank, so a shop of four still has a top customer; cume_dist would give the
// first 25 %) is computed in the same scan as the other scored segments: a self-join here is
// planned as a nested loop, because the planner cannot tell how many rows row-level security keeps.
const topValueSegment: ScoredSegment = {
  key: "top_value",
  name: "Top 20 % by value",
  family: "value",
  source: "scores",
  describe: ({ model }) =>
    model.status === "fitted"
      ? "The fifth of customers with the highest predicted margin over the next 12 months."
      : `The fifth of customers who brought the most margin so far (${model.message})`,
  where: () => sql`cs.share < ${TOP_VALUE_SHARE} and cs.predicted_value_minor > 0`,
};

const valuableLapsing: ScoredSegment = {
  key: "valuable_lapsing",
  name: "Valuable but lapsing",
  family: "value",
  source: "scores",
  describe: ({ lifecycle: t }) => `In the top 20 % by value, but the last order is more than ${t.activeDays} days ago (at risk or lapsed).`,
  where: () => sql`cs.share < ${TOP_VALUE_SHARE} and cs.predicted_value_minor > 0 and cs.lifecycle in ('at_risk', 'lapsed')`,
};

const modelNote = (model: ValueModelSummary) => (model.status === "fitted" ? "" : ` Empty for now: ${model.message}`);

const churnRisk: ScoredSegment = {
  key: "churn_risk",
  name: "Churn risk",
  family: "predictive",
  source: "scores",
  describe: ({ model }) => `Repeat customers whom the purchase model gives less than a ${CHURN_RISK_P_ALIVE * 100} % chance of still being a customer.${modelNote(model)}`,
  where: () => sql`cs.value_basis = 'model' and cs.purchase_days >= 2 and cs.p_alive < ${CHURN_RISK_P_ALIVE}`,
};

const likelyBuyers: ScoredSegment = {
  key: "likely_buyers",
  name: "Likely to order in 90 days",
  family: "predictive",
  source: "scores",
  describe: ({ model }) => `Expected to place at least ${LIKELY_BUYER_PURCHASES} order in the next 90 days.${modelNote(model)}`,
  where: () => sql`cs.value_basis = 'model' and cs.expected_purchases_90d >= ${LIKELY_BUYER_PURCHASES}`,
};

export const BUILTIN_SEGMENTS: readonly BuiltinSegment[] = [
  ...(Object.keys(LIFECYCLE_STAGES) as LifecycleStage[]).map(lifecycle),
  ...(Object.keys(RFM_GROUPS) as RfmGroup[]).map(rfm),
  cartAbandoners,
  frequentBuyers,
  oneTimeBuyers,
  browsedNotBought,
  categoryAffinity,
  surveyDue,
  replenishmentDue,
  topValueSegment,
  valuableLapsing,
  churnRisk,
  likelyBuyers,
];
