// Compiles a validated rule tree to SQL over `customers c left join customer_scores cs`. Every value
// is a bound parameter; field names come from the closed lists in rules.ts, never from input.
// Each condition also yields a phrase with the customer's own value, so a member's reason says
// exactly what matched ("Matches your rule: 5 orders; last order 12 days ago.").
import { sql, type SQL } from "drizzle-orm";
import { isGroup, leaves, NUMBER_FIELDS, OP_WORDS, type Condition, type NumberField, type RuleGroup } from "./rules";

export interface RuleContext {
  /** ISO timestamp: "now" for day counts. */
  now: string;
  currency: string;
}

const DAYS_SINCE_LAST = (ctx: RuleContext) => sql`floor(extract(epoch from (${ctx.now}::timestamptz - cs.last_order_at)) / 86400)`;
const amount = (minor: SQL, ctx: RuleContext) => sql`to_char((${minor}) / 100.0, 'FM999G999G999G990D00') || ' ' || ${ctx.currency}::text`;

function numberColumn(field: NumberField, ctx: RuleContext): { column: SQL; scale: number; phrase: SQL } {
  switch (field) {
    case "orderCount":
      return { column: sql`coalesce(cs.orders, 0)`, scale: 1, phrase: sql`coalesce(cs.orders, 0) || case when coalesce(cs.orders, 0) = 1 then ' order' else ' orders' end` };
    case "totalSpent":
      return { column: sql`coalesce(cs.revenue_minor, 0)`, scale: 100, phrase: sql`'spent ' || ${amount(sql`coalesce(cs.revenue_minor, 0)`, ctx)}` };
    case "daysSinceLastOrder":
      return { column: DAYS_SINCE_LAST(ctx), scale: 1, phrase: sql`'last order ' || ${DAYS_SINCE_LAST(ctx)}::int || ' days ago'` };
    case "predictedValue":
      return { column: sql`coalesce(cs.predicted_value_minor, 0)`, scale: 100, phrase: sql`'value ' || ${amount(sql`coalesce(cs.predicted_value_minor, 0)`, ctx)}` };
    case "pAlive":
      return { column: sql`cs.p_alive`, scale: 1, phrase: sql`round(cs.p_alive * 100)::int || ' % chance still a customer'` };
  }
}

const OPERATORS = { gt: sql`>`, gte: sql`>=`, lt: sql`<`, lte: sql`<=`, eq: sql`=` } as const;
const EVENT_WORDS: Record<string, string> = {
  "product.viewed": "viewed a product",
  "cart.updated": "updated a cart",
  "checkout.started": "started a checkout",
  "cart.abandoned": "left a cart",
  "order.created": "placed an order",
};
const within = (ctx: RuleContext, days: number) => sql`(${ctx.now}::timestamptz - make_interval(days => ${days}))`;

function compileCondition(c: Condition, ctx: RuleContext): { test: SQL; phrase: SQL } {
  switch (c.field) {
    case "orderCount":
    case "totalSpent":
    case "daysSinceLastOrder":
    case "predictedValue":
    case "pAlive": {
      const { column, scale, phrase } = numberColumn(c.field, ctx);
      // Comparisons with a missing value (no orders, no prediction) are false, as an owner expects.
      // Money in cents without float noise: 19.99 means 1999, not 1998.9999999999998 (so "> 19.99"
      // does not take in 19.99 itself), while 199.999 stays 19999.9 (so "> 199.999" takes in 200.00).
      const value = scale === 1 ? c.value : Math.round(c.value * scale * 1e6) / 1e6;
      return { test: sql`(${column} ${OPERATORS[c.op]} ${value}::float8)`, phrase };
    }
    case "categoryBought": {
      const since = c.withinDays ? sql`and o.placed_at > ${within(ctx, c.withinDays)}` : sql``;
      return {
        test: sql`exists (select 1 from order_items oi join sales o on o.id = oi.order_id
                           where o.customer_id = c.id and lower(oi.category) = lower(${c.value}) and o.placed_at <= ${ctx.now}::timestamptz ${since})`,
        phrase: sql`${`bought from ${c.value}${c.withinDays ? ` in the last ${c.withinDays} days` : ""}`}::text`,
      };
    }
    case "eventSeen":
      return {
        test: sql`exists (select 1 from events e where e.customer_id = c.id and e.type = ${c.event}
                           and e.occurred_at > ${within(ctx, c.withinDays)} and e.occurred_at <= ${ctx.now}::timestamptz)`,
        phrase: sql`${`${EVENT_WORDS[c.event] ?? c.event} in the last ${c.withinDays} days`}::text`,
      };
    case "consent":
      return {
        test: sql`exists (select 1 from consent_state s where s.customer_id = c.id and s.channel = ${c.channel} and s.purpose = ${c.purpose} and s.granted)`,
        phrase: sql`${`agreed to ${c.purpose} by ${c.channel}`}::text`,
      };
    case "timeZone":
    case "locale": {
      const column = c.field === "timeZone" ? sql`c.time_zone` : sql`c.locale`;
      const label = c.field === "timeZone" ? "time zone " : "language ";
      const test = c.op === "is" ? sql`lower(${column}) = lower(${c.value})` : sql`(${column} is null or lower(${column}) <> lower(${c.value}))`;
      return { test, phrase: sql`${label}::text || coalesce(${column}, 'not set')` };
    }
    case "attribute": {
      const value = sql`(select a.value from customer_attributes a where a.customer_id = c.id and a.key = ${c.key})`;
      const test = c.op === "is" ? sql`lower(${value}) = lower(${c.value})` : sql`coalesce(lower(${value}), '') <> lower(${c.value})`;
      return { test, phrase: sql`${c.key}::text || ' ' || coalesce(${value}, 'not set')` };
    }
  }
}

export interface CompiledRules {
  /** Boolean expression over c (customers) and cs (customer_scores, left joined). */
  where: SQL;
  /** Text expression: why this customer matched. */
  reason: SQL;
}

export function compileRules(rules: RuleGroup, ctx: RuleContext): CompiledRules {
  const compiled = new Map<Condition, { test: SQL; phrase: SQL }>();
  for (const leaf of leaves(rules)) compiled.set(leaf, compileCondition(leaf, ctx));
  const build = (g: RuleGroup): SQL =>
    sql`(${sql.join(g.conditions.map((c) => (isGroup(c) ? build(c) : compiled.get(c)!.test)), g.match === "all" ? sql` and ` : sql` or `)})`;
  // Only conditions that hold for this customer are named.
  const parts = [...compiled.values()].map(({ test, phrase }) => sql`case when ${test} then ${phrase} end`);
  return { where: build(rules), reason: sql`'Matches your rule: ' || concat_ws('; ', ${sql.join(parts, sql`, `)}) || '.'` };
}

/** The query answering (customer_id, reason) for every current customer who matches. */
export function membersQuery(rules: RuleGroup, ctx: RuleContext): SQL {
  const { where, reason } = compileRules(rules, ctx);
  return sql`select c.id as customer_id, ${reason} as reason
               from customers c left join customer_scores cs on cs.customer_id = c.id
              where c.erased_at is null and ${where}`;
}

/** A rule tree in words, for the segment list and the builder's preview. */
export function describeRules(g: RuleGroup): string {
  const one = (c: Condition | RuleGroup): string => {
    if (isGroup(c)) return `(${describeRules(c)})`;
    switch (c.field) {
      case "categoryBought":
        return `bought from ${c.value}${c.withinDays ? ` in the last ${c.withinDays} days` : ""}`;
      case "eventSeen":
        return `${EVENT_WORDS[c.event] ?? c.event} in the last ${c.withinDays} days`;
      case "consent":
        return `agreed to ${c.purpose} by ${c.channel}`;
      case "timeZone":
      case "locale":
        return `${c.field === "timeZone" ? "time zone" : "language"} ${c.op === "is" ? "is" : "is not"} ${c.value}`;
      case "attribute":
        return `${c.key} ${c.op === "is" ? "is" : "is not"} ${c.value}`;
      default:
        return `${NUMBER_FIELDS[c.field].label} ${OP_WORDS[c.op]} ${c.value}`;
    }
  };
  return g.conditions.map(one).join(g.match === "all" ? " and " : " or ");
}

