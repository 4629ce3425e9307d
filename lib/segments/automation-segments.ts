// Two built-in segments that exist for the time-based automations (lib/campaigns/automations.ts),
// and that the owner can also read on the Segments page: who is due a post-purchase survey, and who
// is due to reorder something by this shop's own rhythm. The refresh computes them with the others;
// the worker recomputes them just before the daily automation run, so the run sees today's members.
import { sql } from "drizzle-orm";
import type { QuerySegment, RefreshContext } from "./builtin-segments";

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
  members: (ctx) => sql`
    select lo.customer_id, jsonb_build_object('orderAt', lo.at) as reason_params
      from (select customer_id, max(placed_at) as at from sales
             where customer_id is not null and placed_at <= ${ctx.now}::timestamptz group by customer_id) lo
      join customers c on c.id = lo.customer_id and c.erased_at is null
     where lo.at <= ${daysBefore(ctx, SURVEY_AFTER_DAYS)} and lo.at > ${daysBefore(ctx, SURVEY_AFTER_DAYS + SURVEY_WINDOW_DAYS)}
       and not exists (select 1 from sends x join campaigns k on k.id = x.campaign_id
                        where k.purpose = 'surveys' and x.customer_id = lo.customer_id
                          and x.status in ('queued', 'sending', 'sent', 'delivered')
                          and x.created_at > ${daysBefore(ctx, SURVEY_REST_DAYS)})`,
};

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
  // One sort of the shop's purchased items by (customer, item, day) gives both the gaps and each
  // customer's last purchase of an item (the row with no next one). Lines bought on the same day
  // give a gap of 0, which is left out: the gaps counted are those between distinct days.
  members: (ctx) => sql`
    with walked as materialized (
      select customer_id, item, day,
             extract(epoch from day - lag(day) over w) / 86400 as days, lead(day) over w is null as last
        from (select o.customer_id, coalesce(oi.category, oi.name) as item, date_trunc('day', o.placed_at) as day
                from order_items oi join sales o on o.shop_id = oi.shop_id and o.id = oi.order_id
               where o.customer_id is not null and o.placed_at <= ${ctx.now}::timestamptz) b
      window w as (partition by customer_id, item order by day)
    ), usual as (
      select item, percentile_cont(0.5) within group (order by days) as days from walked
       where days > 0 group by item having count(*) >= ${REPLENISH_MIN_REPEATS}
    ), last as (
      select customer_id, item, day as at from walked where last
    )
    select distinct on (l.customer_id) l.customer_id,
           jsonb_build_object('item', l.item, 'lastAt', l.at, 'usualDays', round(u.days)::int) as reason_params
      from last l
      join usual u on u.item = l.item
      join customers c on c.id = l.customer_id and c.erased_at is null
     where l.at <= ${ctx.now}::timestamptz - make_interval(secs => u.days * 86400)
       and l.at > ${ctx.now}::timestamptz - make_interval(secs => ${REPLENISH_STALE_AFTER} * u.days * 86400)
       and not exists (select 1 from sends x join campaigns k on k.id = x.campaign_id
                        where k.automation and k.trigger = 'replenishment' and x.customer_id = l.customer_id
                          and x.status in ('queued', 'sending', 'sent', 'delivered') and x.created_at >= l.at)
     order by l.customer_id, extract(epoch from ${ctx.now}::timestamptz - l.at) / u.days desc, l.item`,
};
