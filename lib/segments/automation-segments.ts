// Two built-in segments that exist for the time-based automations (lib/campaigns/automations.ts),
// and that the owner can also read on the Segments page: who is due a post-purchase survey, and who
// is due to reorder something by this shop's own rhythm. The refresh computes them with the others;
// the worker recomputes them just before the daily automation run, so the run sees today's members.
import { sql, type SQL } from "drizzle-orm";
import type { QuerySegment, RefreshContext } from "./builtin-segments";
import { WALKED_LINES, withWalkedLines } from "./sale-lines";

/** A survey goes this many days after the customer's latest order… */
export const SURVEY_AFTER_DAYS = 7;
/** …while that order is at most a week older than that (a day the worker did not run is caught up, an old order is not surveyed). */
export const SURVEY_WINDOW_DAYS = 7;
/** At most one survey per customer in this many days. */
export const SURVEY_REST_DAYS = 90;
/** A product or category has a "usual interval" once the shop has seen this many repeat purchases of it. */
export const REPLENISH_MIN_REPEATS = 3;
/** Past this many usual intervals the customer has lapsed for that item: a reminder would be stale. */
export const REPLENISH_STALE_AFTER = 2;

const daysBefore = (ctx: Pick<RefreshContext, "now">, days: number) => sql`(${ctx.now}::timestamptz - make_interval(days => ${days}))`;

export const surveyDue: QuerySegment = {
  key: "survey_due",
  name: "Due a survey",
  family: "behaviour",
  source: "query",
  describe: () => `Latest order ${SURVEY_AFTER_DAYS}–${SURVEY_AFTER_DAYS + SURVEY_WINDOW_DAYS} days ago, and not sent a survey in the last ${SURVEY_REST_DAYS} days.`,
  members: (ctx) => surveyDueFrom(ctx, sql`(select customer_id, max(placed_at) as at from sales
             where customer_id is not null and placed_at <= ${ctx.now}::timestamptz group by customer_id)`),
  // A refresh has every customer's latest sale staged already (customer-history.ts).
  fromHistory: (ctx, history) => surveyDueFrom(ctx, sql`(select customer_id, last_order_at as at from ${history})`),
};

/** Members from each customer's latest sale, (customer_id, at). */
function surveyDueFrom(ctx: Pick<RefreshContext, "now">, latest: SQL): SQL {
  return sql`
    select lo.customer_id, jsonb_build_object('orderAt', lo.at) as reason_params
      from ${latest} lo
      join customers c on c.id = lo.customer_id and c.erased_at is null
     where lo.at <= ${daysBefore(ctx, SURVEY_AFTER_DAYS)} and lo.at > ${daysBefore(ctx, SURVEY_AFTER_DAYS + SURVEY_WINDOW_DAYS)}
       and not exists (select 1 from sends x join campaigns k on k.id = x.campaign_id
                        where k.purpose = 'surveys' and x.customer_id = lo.customer_id
                          and x.status in ('queued', 'sending', 'sent', 'delivered')
                          and x.created_at > ${daysBefore(ctx, SURVEY_REST_DAYS)})`;
}

/**
 * The usual interval of an item (its category, or the product's name when it has none) is the
 * median number of days between two purchases of it by the same customer, over the whole shop. A
 * customer is due when that many days have passed since they last bought it (and fewer than twice
 * as many), and no reorder reminder reached them since. One item per customer: the most overdue.
 */
export const replenishmentDue: QuerySegment = {
  key: "replenishment_due",
  name: "Due to reorder",
  family: "behaviour",
  source: "query",
  describe: () => `Bought a product or category as long ago as customers of this shop usually wait before buying it again (and not more than ${REPLENISH_STALE_AFTER} × that).`,
  // From the walked sale lines (sale-lines.ts): the gaps between distinct days on which a customer
  // bought an item (a gap of 0 is a second line on the same day), and their last purchase of it.
  members: (ctx) => withWalkedLines(ctx, replenishmentFrom(ctx, WALKED_LINES), { categories: false }),
  fromWalkedLines: (ctx, walked) => replenishmentFrom(ctx, walked),
};

function replenishmentFrom(ctx: Pick<RefreshContext, "now">, walked: SQL): SQL {
  return sql`
    select distinct on (l.customer_id) l.customer_id,
           jsonb_build_object('item', l.item, 'lastAt', l.day, 'usualDays', round(u.days)::int) as reason_params
      from ${walked} l
      join (select item, percentile_cont(0.5) within group (order by days) as days from ${walked}
             where days > 0 group by item having count(*) >= ${REPLENISH_MIN_REPEATS}) u on u.item = l.item
      join customers c on c.id = l.customer_id and c.erased_at is null
     where l.last
       and l.day <= ${ctx.now}::timestamptz - make_interval(secs => u.days * 86400)
       and l.day > ${ctx.now}::timestamptz - make_interval(secs => ${REPLENISH_STALE_AFTER} * u.days * 86400)
       and not exists (select 1 from sends x join campaigns k on k.id = x.campaign_id
                        where k.automation and k.trigger = 'replenishment' and x.customer_id = l.customer_id
                          and x.status in ('queued', 'sending', 'sent', 'delivered') and x.created_at >= l.day)
     order by l.customer_id, extract(epoch from ${ctx.now}::timestamptz - l.day) / u.days desc, l.item`;
}
