// Targeting: who of a campaign's audience gets the message, decided for every customer considered
// and written in one transaction with the messages it queues (the outbox), so a crash leaves either
// all of a run or none of it. The audience is the segment (narrowed by the campaign's rules), then:
//   not erased · an address for the channel · not suppressed (bounced, complained)
//   · a current grant for exactly the campaign's channel × purpose (DESIGN invariant 1)
//   · within the customer's own contact budget and the shop's frequency cap (invariant 7)
//   · the holdout, by a hash of campaign and customer (lib/campaigns/assign-arm.ts)
// Each customer's decision names the first of these that left them out (a customer this campaign
// already queued a message for is that, before anything else). Queued messages carry the
// consent receipt (the ledger event and hash of the grant), why the customer got it, and a
// not-before time outside their quiet hours; the workers check consent and caps again at sending.
import { and, eq, sql, type SQL } from "drizzle-orm";
import { queryRows } from "../db/client";
import { campaignRuns, campaigns, segments, shops, variants } from "../db/schema";
import { currentShopId, type ShopTx } from "../db/tenant";
import { AppError } from "../errors";
import { membersQuery } from "../segments/compile-rules";
import { RuleGroupSchema } from "../segments/rules";
import { sampleRatioCheck } from "../metrics/stats/sample-ratio";
import { armShares, assignArmSql, assignmentPointSql, type Arms } from "./assign-arm";

/** Why a customer was left out, in funnel order (the first that applies is recorded). */
export const EXCLUSIONS = ["already_queued", "erased", "no_address", "suppressed", "no_consent", "contact_budget", "frequency_cap"] as const;
export type Outcome = (typeof EXCLUSIONS)[number] | "holdout" | "queued";

export const OUTCOME_WORDS: Record<Outcome, string> = {
  erased: "asked to be erased",
  no_address: "no address for this channel",
  suppressed: "address bounced or complained",
  no_consent: "no current yes for this channel and purpose",
  contact_budget: "their own limit of messages a week is reached",
  frequency_cap: "the shop's limit of messages a week is reached",
  already_queued: "already got this campaign",
  holdout: "held out to measure the campaign",
  queued: "message queued",
};

const CHANNEL_WORDS = { email: "by email", sms: "by text message", push: "by push notification" } as const;
/**
 * A time-ordered id (UUIDv7: the run's millisecond, then random bits) written inline: the column's
 * default, regulars_uuid7(), is a function call per row, a sixth of writing 90,000 messages.
 */
const timeOrderedIdSql = () =>
  sql`encode(overlay(uuid_send(gen_random_uuid()) placing int8send((${Date.now()}::bigint << 16) | 28672) from 1 for 8), 'hex')::uuid`;

const PURPOSE_WORDS = { marketing: "offers and news", personalization: "recommendations chosen for you", surveys: "short surveys" } as const;

export interface TargetingResult {
  runId: string;
  /** Customers considered (the segment, narrowed), then how many ended in each outcome. */
  funnel: { considered: number } & Record<Outcome, number>;
  /** Customers per arm among those eligible: the holdout, then each variant in order. */
  arms: { holdout: number; variants: { id: string; key: string; customers: number }[] };
  /** Whether the split matches the asked shares; null when too few customers to tell. */
  sampleRatio: { pValue: number; mismatch: boolean } | null;
}

export async function targetAudience(
  tx: ShopTx,
  campaignId: string,
  options: {
    trigger: string; now?: Date; customerIds?: readonly string[]; idempotencyScope?: string;
    /** A preview may target a draft too; the caller rolls the transaction back (lib/campaigns/preview-campaign.ts). */
    preview?: boolean;
  },
): Promise<TargetingResult> {
  const now = options.now ?? new Date();
  const shopId = await currentShopId(tx);
  const [campaign] = await tx.select().from(campaigns).where(eq(campaigns.id, campaignId)).for("update");
  if (!campaign) throw new AppError("not_found", "No such campaign in this shop.");
  if (campaign.status !== "approved" && campaign.status !== "sending" && !(options.preview && campaign.status === "draft")) {
    throw new AppError("conflict", `The campaign is ${campaign.status}; only an approved campaign reaches anyone.`);
  }
  if (!campaign.segmentId) throw new AppError("invalid_input", "The campaign has no segment to target; choose one first.");
  const [segment] = await tx.select({ id: segments.id, name: segments.name }).from(segments).where(eq(segments.id, campaign.segmentId));
  if (!segment) throw new AppError("invalid_input", "The campaign's segment no longer exists; choose another.");
  const live = await tx.select({ id: variants.id, key: variants.key, weight: variants.weight }).from(variants)
    .where(and(eq(variants.campaignId, campaignId), eq(variants.paused, false))).orderBy(variants.key);
  if (live.length === 0) throw new AppError("invalid_input", "The campaign has no active variant to send.");
  const [shop] = await tx.select().from(shops).where(eq(shops.id, shopId));
  const arms: Arms = { holdoutPct: campaign.holdoutPct, variants: live };

  const [run] = await tx.insert(campaignRuns).values({ shopId, campaignId, trigger: options.trigger, decidedAt: now }).returning({ id: campaignRuns.id });
  const runId = run!.id;
  const at = now.toISOString();
  const weekAgo = new Date(now.getTime() - 7 * 86_400_000).toISOString();

  // The audience: the segment's members, narrowed by the campaign's rules and, for a trigger, to the customers it names.
  let audience: SQL = sql`select m.customer_id from segment_members m where m.segment_id = ${segment.id}::uuid`;
  if (options.customerIds) audience = sql`${audience} and m.customer_id = any(${`{${options.customerIds.join(",")}}`}::uuid[])`;
  if (campaign.rules) {
    const rules = RuleGroupSchema.safeParse(campaign.rules);
    if (!rules.success) throw new AppError("invalid_input", "The campaign's narrowing rules no longer fit the rule builder; edit and save them again.");
    audience = sql`${audience} and m.customer_id in (select r.customer_id from (${membersQuery(rules.data, { now: at })}) r)`;
  }
  // One message per customer per campaign (or per trigger of an automation): a second run finds it queued.
  const keyPrefix = `campaign:${campaignId}:${options.idempotencyScope ?? "once"}:`;
  const address = campaign.channel === "email" ? sql`lower(c.email)` : campaign.channel === "sms" ? sql`c.phone` : sql`null::text`;
  const cap = shop!.frequencyCapPerWeek;
  const point = assignmentPointSql(campaignId, sql`a.customer_id`);

  // The messages carry the consent receipt, why, and the end of the customer's quiet hours if the run falls inside them.
  const zone = sql`coalesce(f.time_zone, ${shop!.timeZone})`;
  const why = sql`${`You are in our "${segment.name}" group and said yes to ${PURPOSE_WORDS[campaign.purpose]} ${CHANNEL_WORDS[campaign.channel]} on `}::text
    || to_char(f.granted_at at time zone ${zone}, 'FMDD Mon YYYY') || '.'`;
  const local = sql`(${at}::timestamptz at time zone ${zone})`;
  const { quietHoursStart: qs, quietHoursEnd: qe } = shop!;
  const quiet = qs === qe ? sql`false`
    : qs < qe ? sql`extract(hour from ${local}) >= ${qs} and extract(hour from ${local}) < ${qe}`
    : sql`(extract(hour from ${local}) >= ${qs} or extract(hour from ${local}) < ${qe})`;
  // The quiet hours end today at qe o'clock local time, or tomorrow when they began this evening.
  const quietEnd = sql`((date_trunc('day', ${local}) + make_interval(days => case when extract(hour from ${local}) >= ${qe}::int then 1 else 0 end, hours => ${qe}::int))
    at time zone ${zone})`;

  // One statement decides for everyone, writes the decisions and the messages from the same rows,
  // and answers the counts: the audience is read once, and each customer's messages of the week
  // are counted in one aggregate over the audience rather than a probe per customer (the audience
  // is not materialized there, so a stale estimate of the outbox's size cannot make it a loop over
  // a materialized audience per message). `offset 0` keeps each customer's arm computed once.
  // Compiling the plan (JIT) cost more than running it.
  // The rows are sorted by customer before they are written, so the indexes fill in order; in
  // memory rather than on disk.
  await tx.execute(sql`select set_config('jit', 'off', true), set_config('work_mem', '64MB', true)`);
  const counts = await queryRows<{ outcome: Outcome; variant_id: string | null; n: number }>(tx, sql`
    with a as not materialized (${audience}),
    recent as (
      select x.customer_id, count(*)::int as n from sends x
       where x.customer_id in (select customer_id from a) and x.status in ('queued', 'sent', 'delivered')
         and coalesce(x.sent_at, x.created_at) > ${weekAgo}::timestamptz
       group by x.customer_id),
    f as (
      select e.customer_id, e.time_zone, e.event_id, e.event_hash, e.granted_at, e.variant_id,
             case when e.queued_before then 'already_queued'
                  when e.erased then 'erased'
                  when e.address is null then 'no_address'
                  when e.suppressed then 'suppressed'
                  when not e.granted then 'no_consent'
                  when e.budget is not null and e.recent >= e.budget then 'contact_budget'
                  when e.recent >= ${cap}::int then 'frequency_cap'
                  when e.variant_id is null then 'holdout'
                  else 'queued' end as outcome
        from (select a.customer_id, c.erased_at is not null as erased, ${address} as address, c.contact_budget_per_week as budget, c.time_zone,
                     coalesce(cs.granted, false) as granted, cs.event_id, cs.event_hash, cs.updated_at as granted_at,
                     s.address is not null as suppressed, coalesce(r.n, 0) as recent, q.id is not null as queued_before,
                     ${assignArmSql(point, arms)} as variant_id
                from a
                join customers c on c.id = a.customer_id
                left join consent_state cs on cs.customer_id = a.customer_id and cs.channel = ${campaign.channel} and cs.purpose = ${campaign.purpose}
                left join suppressions s on s.channel = ${campaign.channel} and s.address = ${address}
                left join recent r on r.customer_id = a.customer_id
                left join sends q on q.shop_id = ${shopId}::uuid and q.idempotency_key = ${keyPrefix}::text || a.customer_id::text
              offset 0) e),
    decided as (
      insert into campaign_decisions (shop_id, run_id, customer_id, outcome, variant_id)
      select ${shopId}::uuid, ${runId}::uuid, f.customer_id, f.outcome, f.variant_id from f order by f.customer_id),
    queued as (
      insert into sends (shop_id, id, run_id, campaign_id, variant_id, customer_id, channel, why, consent_event_id, consent_hash, idempotency_key, created_at, send_after)
      select ${shopId}::uuid, ${timeOrderedIdSql()}, ${runId}::uuid, ${campaignId}::uuid, f.variant_id, f.customer_id, ${campaign.channel}, ${why},
             f.event_id, f.event_hash, ${keyPrefix}::text || f.customer_id::text, ${at}::timestamptz,
             case when ${quiet} then ${quietEnd} else ${at}::timestamptz end
        from f where f.outcome = 'queued'
       order by f.customer_id)
    select f.outcome, f.variant_id, count(*)::int as n from f group by f.outcome, f.variant_id`);
  const funnel = { considered: 0, holdout: 0, queued: 0, ...Object.fromEntries(EXCLUSIONS.map((e) => [e, 0])) } as TargetingResult["funnel"];
  for (const c of counts) {
    funnel.considered += c.n;
    funnel[c.outcome] += c.n;
  }
  const perVariant = live.map((v) => ({ id: v.id, key: v.key, customers: counts.filter((c) => c.outcome === "queued" && c.variant_id === v.id).reduce((s, c) => s + c.n, 0) }));
  // The split among eligible customers against the asked shares (arms asked for nothing are left out).
  const split = [funnel.holdout, ...perVariant.map((v) => v.customers)].map((n, i) => [n, armShares(arms)[i]!] as const).filter(([, share]) => share > 0);
  const check = split.length > 1 ? sampleRatioCheck(split.map(([n]) => n), split.map(([, share]) => share)) : null;
  const sampleRatio = check && check.enough ? { pValue: check.pValue, mismatch: check.mismatch } : null;
  await tx.update(campaignRuns).set({ funnel }).where(eq(campaignRuns.id, runId));
  if (campaign.status === "approved") await tx.update(campaigns).set({ status: "sending" }).where(eq(campaigns.id, campaignId));
  return { runId, funnel, arms: { holdout: funnel.holdout, variants: perVariant }, sampleRatio };
}
