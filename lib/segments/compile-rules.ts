// Compiles a validated rule tree to SQL over `customers c left join customer_scores cs`. Every value
// is a bound parameter; field names come from the closed lists in rules.ts, never from input.
// A member's reason is stored as parameters: which conditions held for them (by position in reading
// order) and, for conditions on the customer's own words (time zone, language, attribute), the value
// they had. reason-sentences.ts reads them out with the customer's scores ("Matches your rule:
// 5 orders; last order 12 days ago.").
import { sql, type SQL } from "drizzle-orm";
import { EVENT_WORDS, isGroup, leaves, NUMBER_FIELDS, OP_WORDS, type Condition, type NumberField, type RuleGroup } from "./rules";

export interface RuleContext {
  /** ISO timestamp: "now" for day counts. */
  now: string;
}

/** What a member of a custom segment stores about why: positions of the conditions that held, and their text values. */
export interface RuleReasonParams {
  held: number[];
  values?: Record<string, string | null>;
}

const DAYS_SINCE_LAST = (ctx: RuleContext) => sql`floor(extract(epoch from (${ctx.now}::timestamptz - cs.last_order_at)) / 86400)`;

function numberColumn(field: NumberField, ctx: RuleContext): { column: SQL; scale: number } {
  switch (field) {
    case "orderCount":
      return { column: sql`coalesce(cs.orders, 0)`, scale: 1 };
    case "totalSpent":
      return { column: sql`coalesce(cs.revenue_minor, 0)`, scale: 100 };
    case "daysSinceLastOrder":
      return { column: DAYS_SINCE_LAST(ctx), scale: 1 };
    case "predictedValue":
      return { column: sql`coalesce(cs.predicted_value_minor, 0)`, scale: 100 };
    case "pAlive":
      return { column: sql`cs.p_alive`, scale: 1 };
  }
}

const OPERATORS = { gt: sql`>`, gte: sql`>=`, lt: sql`<`, lte: sql`<=`, eq: sql`=` } as const;
const within = (ctx: RuleContext, days: number) => sql`(${ctx.now}::timestamptz - make_interval(days => ${days}))`;

/** The condition as a test, and for conditions on the customer's own words the value the reason names. */
function compileCondition(c: Condition, ctx: RuleContext): { test: SQL; value?: SQL } {
  switch (c.field) {
    case "orderCount":
    case "totalSpent":
    case "daysSinceLastOrder":
    case "predictedValue":
    case "pAlive": {
      const { column, scale } = numberColumn(c.field, ctx);
      // Comparisons with a missing value (no orders, no prediction) are false, as an owner expects.
      // Money in cents without float noise: 19.99 means 1999, not 1998.9999999999998 (so "> 19.99"
      // does not take in 19.99 itself), while 199.999 stays 19999.9 (so "> 199.999" takes in 200.00).
      const value = scale === 1 ? c.value : Math.round(c.value * scale * 1e6) / 1e6;
      return { test: sql`(${column} ${OPERATORS[c.op]} ${value}::float8)` };
    }
    case "categoryBought": {
      const since = c.withinDays ? sql`and o.placed_at > ${within(ctx, c.withinDays)}` : sql``;
      return {
        test: sql`exists (select 1 from order_items oi join sales o on o.shop_id = oi.shop_id and o.id = oi.order_id
                           where o.customer_id = c.id and lower(oi.category) = lower(${c.value}) and o.placed_at <= ${ctx.now}::timestamptz ${since})`,
      };
    }
    case "eventSeen":
      return {
        test: sql`exists (select 1 from events e where e.customer_id = c.id and e.type = ${c.event}
                           and e.occurred_at > ${within(ctx, c.withinDays)} and e.occurred_at <= ${ctx.now}::timestamptz)`,
      };
    case "consent":
      return {
        test: sql`exists (select 1 from consent_state s where s.customer_id = c.id and s.channel = ${c.channel} and s.purpose = ${c.purpose} and s.granted)`,
      };
    case "timeZone":
    case "locale": {
      const column = c.field === "timeZone" ? sql`c.time_zone` : sql`c.locale`;
      const test = c.op === "is" ? sql`lower(${column}) = lower(${c.value})` : sql`(${column} is null or lower(${column}) <> lower(${c.value}))`;
      return { test, value: column };
    }
    case "attribute": {
      const value = sql`(select a.value from customer_attributes a where a.customer_id = c.id and a.key = ${c.key})`;
      const test = c.op === "is" ? sql`lower(${value}) = lower(${c.value})` : sql`coalesce(lower(${value}), '') <> lower(${c.value})`;
      return { test, value };
    }
  }
}

export interface CompiledRules {
  /** Boolean expression over c (customers) and cs (customer_scores, left joined). */
  where: SQL;
  /** jsonb expression: RuleReasonParams for this customer. */
  reasonParams: SQL;
}

export function compileRules(rules: RuleGroup, ctx: RuleContext): CompiledRules {
  const compiled = new Map<Condition, { test: SQL; value?: SQL }>();
  for (const leaf of leaves(rules)) compiled.set(leaf, compileCondition(leaf, ctx));
  const build = (g: RuleGroup): SQL =>
    sql`(${sql.join(g.conditions.map((c) => (isGroup(c) ? build(c) : compiled.get(c)!.test)), g.match === "all" ? sql` and ` : sql` or `)})`;
  // Only conditions that hold for this customer are named; positions are numbers from code.
  const parts = [...compiled.values()];
  const held = sql`array_remove(array[${sql.join(parts.map(({ test }, i) => sql`case when ${test} then ${sql.raw(String(i))} end`), sql`, `)}]::int[], null)`;
  const values = parts.flatMap(({ value }, i) => (value ? [sql`${sql.raw(`'${i}'`)}, ${value}`] : []));
  const reasonParams = values.length
    ? sql`jsonb_build_object('held', to_jsonb(${held}), 'values', jsonb_build_object(${sql.join(values, sql`, `)}))`
    : sql`jsonb_build_object('held', to_jsonb(${held}))`;
  return { where: build(rules), reasonParams };
}

/** The query answering (customer_id, reason_params) for every current customer who matches. */
export function membersQuery(rules: RuleGroup, ctx: RuleContext): SQL {
  const { where, reasonParams } = compileRules(rules, ctx);
  return sql`select c.id as customer_id, ${reasonParams} as reason_params
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

