// The unit a campaign is measured on (docs/decisions/010-campaigns.md): one customer in one run,
// put in a variant or held out. A variant's customer counts from the moment their message was
// sent; a holdout customer from the moment the run held them out, when they would have been sent.
// One campaign's results and the shop-wide "revenue from campaigns" read the same units and the
// same attribution window, so the two can never disagree.
import { sql, type SQL } from "drizzle-orm";
import { DELIVERED_STATUSES } from "../campaigns/opt-out-guardrail";

/**
 * Rows (run_id, campaign_id, customer_id, variant_id — null for the holdout —, send_status,
 * start_at — null while not measurable: queued, skipped or failed) for the runs `runs` matches
 * (a condition on campaign_runs r).
 */
export function campaignUnits(runs: SQL): SQL {
  return sql`select d.run_id, r.campaign_id, d.customer_id, case when d.outcome = 'queued' then d.variant_id end as variant_id, s.status as send_status,
        case when d.outcome = 'holdout' then r.decided_at when s.status in ${DELIVERED_STATUSES} then s.sent_at end as start_at
      from campaign_runs r
      join campaign_decisions d on d.run_id = r.id and d.outcome in ('queued', 'holdout')
      left join sends s on s.campaign_id = r.campaign_id and s.run_id = d.run_id and s.customer_id = d.customer_id and d.outcome = 'queued'
     where ${runs}`;
}

/** A sale x of unit u's customer inside its attribution window (`days` after start_at), placed by `nowIso`. */
export function inAttributionWindow(days: SQL | number, nowIso: string): SQL {
  return sql`x.customer_id = u.customer_id and x.placed_at > u.start_at
      and x.placed_at <= u.start_at + make_interval(days => ${days}::int) and x.placed_at <= ${nowIso}::timestamptz`;
}
