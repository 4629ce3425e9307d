// The built-in segments: each is one SQL query over the shop's scores, orders and events that
// answers (customer_id, reason). Descriptions carry the thresholds in use, so the page can show
// exactly what "at risk" means for this shop today.
import { sql, type SQL } from "drizzle-orm";
import { LIFECYCLE_STAGES, type LifecycleStage, type LifecycleThresholds } from "./lifecycle";
import { RFM_GROUPS, type RfmGroup } from "./rfm-groups";
import type { ValueModelSummary } from "./shop-value-model";

export type SegmentFamily = "rfm" | "lifecycle" | "behaviour" | "value" | "predictive";

export interface RefreshContext {
  /** ISO timestamp: the refresh's "now". */
  now: string;
  lifecycle: LifecycleThresholds;
  model: ValueModelSummary;
}

export interface BuiltinSegment {
  key: string;
  name: string;
  family: SegmentFamily;
  describe(ctx: RefreshContext): string;
  /** Rows of (customer_id uuid, reason text). */
  members(ctx: RefreshContext): SQL;
}

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

const CART_DAYS = 7;
const BROWSE_DAYS = 30;
const AFFINITY_SHARE = 0.6;
const AFFINITY_MIN_ITEMS = 3;
const FREQUENT_MIN_ORDERS = 3;
const TOP_VALUE_SHARE = 0.2;
const CHURN_RISK_P_ALIVE = 0.5;
const LIKELY_BUYER_PURCHASES = 1;

/** "today", "1 day ago", "5 days ago" from a whole number of days. */
const daysAgoSql = (days: SQL) => sql`case when ${days} <= 0 then 'today' when ${days} = 1 then '1 day ago' else ${days}::text || ' days ago' end`;
const since = (ctx: RefreshContext, days: number) => sql`(${ctx.now}::timestamptz - make_interval(days => ${days}))`;
const scored = (where: SQL, reason: SQL) =>
  sql`select cs.customer_id, ${reason} as reason from customer_scores cs where ${where}`;

const rfm = (group: RfmGroup): BuiltinSegment => ({
  key: `rfm_${group}`,
  name: RFM_GROUPS[group].name,
  family: "rfm",
  describe: () => `${RFM_GROUPS[group].says[0]!.toUpperCase()}${RFM_GROUPS[group].says.slice(1)}.`,
  members: () =>
    scored(
      sql`cs.rfm_group = ${group}`,
      sql`cs.facts || ' — ' || ${RFM_GROUPS[group].says} || ' (recency ' || cs.recency_score || '/5, frequency ' || cs.frequency_score || '/5, spend ' || cs.monetary_score || '/5).'`,
    ),
});

const lifecycle = (stage: LifecycleStage): BuiltinSegment => ({
  key: `lifecycle_${stage}`,
  name: LIFECYCLE_STAGES[stage].name,
  family: "lifecycle",
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
  members: ({ lifecycle: t }) => {
    const usual = `customers here typically reorder every ${t.medianGapDays} days`;
    const phrase: Record<LifecycleStage, string> = {
      new: `first order less than ${t.newDays} days ago.`,
      loyal: `${t.loyalMinOrders} or more orders and ordering at the usual rhythm (${usual}).`,
      active: `ordering at the usual rhythm (${usual}).`,
      at_risk: `the next order is later than usual (${usual}).`,
      lapsed: `no order for more than three times the usual gap (${usual}).`,
      churned: `no order for more than six times the usual gap (${usual}); probably gone.`,
    };
    return scored(sql`cs.lifecycle = ${stage}`, sql`cs.facts || ' — ' || ${phrase[stage]}`);
  },
});

const cartAbandoners: BuiltinSegment = {
  key: "cart_abandoners",
  name: "Cart abandoners",
  family: "behaviour",
  describe: () => `Put something in a cart or started a checkout in the last ${CART_DAYS} days and has not ordered since.`,
  members: (ctx) => sql`
    select e.customer_id, 'Left a cart ' || ${daysAgoSql(sql`e.days`)} || ' and has not ordered since.' as reason
      from (select customer_id, max(occurred_at) as at,
                   floor(extract(epoch from (${ctx.now}::timestamptz - max(occurred_at))) / 86400)::int as days
              from events
             where type in ('cart.updated', 'checkout.started', 'cart.abandoned') and customer_id is not null
               and occurred_at > ${since(ctx, CART_DAYS)} and occurred_at <= ${ctx.now}::timestamptz
             group by customer_id) e
      join customers c on c.id = e.customer_id and c.erased_at is null
     where not exists (select 1 from sales o where o.customer_id = e.customer_id and o.placed_at >= e.at and o.placed_at <= ${ctx.now}::timestamptz)`,
};

const frequentBuyers: BuiltinSegment = {
  key: "frequent_buyers",
  name: "Frequent buyers",
  family: "behaviour",
  describe: ({ lifecycle: t }) => `${FREQUENT_MIN_ORDERS}+ orders, on average at least as often as this shop's median of ${t.medianGapDays} days between orders, and not lapsed.`,
  members: ({ lifecycle: t }) => {
    const gap = sql`(extract(epoch from (cs.last_order_at - cs.first_order_at)) / 86400 / (cs.purchase_days - 1))`;
    return scored(
      sql`cs.orders >= ${FREQUENT_MIN_ORDERS} and cs.purchase_days >= 2 and ${gap} <= ${t.medianGapDays} and cs.lifecycle not in ('lapsed', 'churned')`,
      sql`cs.facts || ' — orders about every ' || greatest(1, round(${gap}))::int || ' days, more often than most customers (typically every ' || ${t.medianGapDays}::int || ' days).'`,
    );
  },
};

const oneTimeBuyers: BuiltinSegment = {
  key: "one_time_buyers",
  name: "One-time buyers",
  family: "behaviour",
  describe: () => "Exactly one order so far.",
  members: () => scored(sql`cs.orders = 1`, sql`cs.facts || ' — has not ordered again yet.'`),
};

const browsedNotBought: BuiltinSegment = {
  key: "browsed_not_bought",
  name: "Browsed, not bought",
  family: "behaviour",
  describe: () => `Viewed products in the last ${BROWSE_DAYS} days without ordering in that time.`,
  members: (ctx) => sql`
    select v.customer_id, 'Viewed ' || v.products || case when v.products = 1 then ' product' else ' products' end
             || ' in the last ' || ${BROWSE_DAYS}::int || ' days without ordering.' as reason
      from (select customer_id, count(distinct coalesce(payload->>'productExternalId', id::text))::int as products
              from events
             where type = 'product.viewed' and customer_id is not null
               and occurred_at > ${since(ctx, BROWSE_DAYS)} and occurred_at <= ${ctx.now}::timestamptz
             group by customer_id) v
      join customers c on c.id = v.customer_id and c.erased_at is null
     where not exists (select 1 from sales o where o.customer_id = v.customer_id
                          and o.placed_at > ${since(ctx, BROWSE_DAYS)} and o.placed_at <= ${ctx.now}::timestamptz)`,
};

const categoryAffinity: BuiltinSegment = {
  key: "category_affinity",
  name: "Category fans",
  family: "behaviour",
  describe: () => `Bought ${AFFINITY_MIN_ITEMS}+ items, at least ${AFFINITY_SHARE * 100} % of them from one category.`,
  members: (ctx) => sql`
    select x.customer_id, x.q || ' of ' || x.total || ' items bought were ' || x.category || '.' as reason
      from (select o.customer_id, oi.category, sum(oi.quantity)::int as q,
                   (sum(sum(oi.quantity)) over (partition by o.customer_id))::int as total,
                   row_number() over (partition by o.customer_id order by sum(oi.quantity) desc, oi.category) as rank
              from order_items oi join sales o on o.id = oi.order_id
             where oi.category is not null and o.customer_id is not null and o.placed_at <= ${ctx.now}::timestamptz
             group by o.customer_id, oi.category) x
      join customers c on c.id = x.customer_id and c.erased_at is null
     where x.rank = 1 and x.total >= ${AFFINITY_MIN_ITEMS} and x.q >= ${AFFINITY_SHARE}::float8 * x.total`,
};

// percent_rank, so a shop of four still has a top customer (cume_dist would give the first 25 %).
// One scan with the rank beside each row: a self-join here is planned as a nested loop, because
// the planner cannot tell how many rows the row-level security filter keeps.
const ranked = sql`(select cs.*, percent_rank() over (order by cs.predicted_value_minor desc) as share from customer_scores cs)`;

const topValueSegment: BuiltinSegment = {
  key: "top_value",
  name: "Top 20 % by value",
  family: "value",
  describe: ({ model }) =>
    model.status === "fitted"
      ? "The fifth of customers with the highest predicted margin over the next 12 months."
      : `The fifth of customers who brought the most margin so far (${model.message})`,
  members: () => sql`
    select cs.customer_id, 'In your top 20 % by value. ' || cs.prediction_reason as reason
      from ${ranked} cs
     where cs.share < ${TOP_VALUE_SHARE} and cs.predicted_value_minor > 0`,
};

const valuableLapsing: BuiltinSegment = {
  key: "valuable_lapsing",
  name: "Valuable but lapsing",
  family: "value",
  describe: ({ lifecycle: t }) => `In the top 20 % by value, but the last order is more than ${t.activeDays} days ago (at risk or lapsed).`,
  members: ({ lifecycle: t }) => sql`
    select cs.customer_id, cs.facts || ' — in your top 20 % by value, but the next order is later than usual (customers here typically reorder every '
             || ${t.medianGapDays}::int || ' days).' as reason
      from ${ranked} cs
     where cs.share < ${TOP_VALUE_SHARE} and cs.predicted_value_minor > 0 and cs.lifecycle in ('at_risk', 'lapsed')`,
};

const modelNote = (model: ValueModelSummary) => (model.status === "fitted" ? "" : ` Empty for now: ${model.message}`);

const churnRisk: BuiltinSegment = {
  key: "churn_risk",
  name: "Churn risk",
  family: "predictive",
  describe: ({ model }) => `Repeat customers whom the purchase model gives less than a ${CHURN_RISK_P_ALIVE * 100} % chance of still being a customer.${modelNote(model)}`,
  members: () => scored(sql`cs.value_basis = 'model' and cs.purchase_days >= 2 and cs.p_alive < ${CHURN_RISK_P_ALIVE}`, sql`cs.prediction_reason`),
};

const likelyBuyers: BuiltinSegment = {
  key: "likely_buyers",
  name: "Likely to order in 90 days",
  family: "predictive",
  describe: ({ model }) => `Expected to place at least ${LIKELY_BUYER_PURCHASES} order in the next 90 days.${modelNote(model)}`,
  members: () => scored(sql`cs.value_basis = 'model' and cs.expected_purchases_90d >= ${LIKELY_BUYER_PURCHASES}`, sql`cs.prediction_reason`),
};

export const BUILTIN_SEGMENTS: readonly BuiltinSegment[] = [
  ...(Object.keys(LIFECYCLE_STAGES) as LifecycleStage[]).map(lifecycle),
  ...(Object.keys(RFM_GROUPS) as RfmGroup[]).map(rfm),
  cartAbandoners,
  frequentBuyers,
  oneTimeBuyers,
  browsedNotBought,
  categoryAffinity,
  topValueSegment,
  valuableLapsing,
  churnRisk,
  likelyBuyers,
];
