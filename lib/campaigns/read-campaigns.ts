// What the campaign pages show: the list with each campaign's message counts and opt-out rate, and
// one campaign in detail (its latest run's funnel and arms with the sample-ratio check, variants,
// the latest decisions with their reasons, and its messages with their status).
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "../db/client";
import { campaigns, variants } from "../db/schema";
import type { ShopTx } from "../db/tenant";
import { notFound } from "../errors";
import { sampleRatioCheck } from "../metrics/stats/sample-ratio";
import { armShares } from "./assign-arm";
import { funnelSteps, type FunnelStep } from "./funnel-steps";
import { OUTCOME_WORDS, type Outcome, type TargetingResult } from "./target-audience";

export type SendStatus = "queued" | "sending" | "sent" | "delivered" | "skipped" | "failed";

export interface CampaignCounts {
  queued: number;
  sent: number;
  skipped: number;
  failed: number;
  /** Opt-outs by a message's one-click unsubscribe link, over messages sent (as the guardrail counts them). */
  optOuts: number;
  delivered: number;
  optOutRate: number | null;
}

export interface CampaignListRow {
  id: string;
  name: string;
  channel: "email" | "sms" | "push";
  purpose: "marketing" | "personalization" | "surveys";
  status: "draft" | "approved" | "sending" | "paused" | "done";
  segmentName: string | null;
  scheduledAt: Date | null;
  pausedReason: string | null;
  createdAt: Date;
  counts: CampaignCounts;
}

interface CountsRow {
  id: string; queued: number; sent: number; skipped: number; failed: number; delivered: number; opt_outs: number;
}

const countsSql = sql`select k.id,
    count(*) filter (where s.status in ('queued', 'sending'))::int as queued,
    count(*) filter (where s.status in ('sent', 'delivered'))::int as sent,
    count(*) filter (where s.status = 'skipped')::int as skipped,
    count(*) filter (where s.status = 'failed')::int as failed,
    count(*) filter (where s.status in ('sent', 'delivered'))::int as delivered,
    (select count(*)::int from consent_events e where e.method = 'one_click_unsubscribe' and e.action = 'withdraw'
        and (e.evidence->>'sendId')::uuid in (select x.id from sends x where x.campaign_id = k.id)) as opt_outs
  from campaigns k left join sends s on s.campaign_id = k.id`;

const toCounts = (r: CountsRow | undefined): CampaignCounts => ({
  queued: r?.queued ?? 0, sent: r?.sent ?? 0, skipped: r?.skipped ?? 0, failed: r?.failed ?? 0,
  delivered: r?.delivered ?? 0, optOuts: r?.opt_outs ?? 0,
  optOutRate: r && r.delivered > 0 ? r.opt_outs / r.delivered : null,
});

export async function listCampaigns(tx: ShopTx): Promise<CampaignListRow[]> {
  const rows = await queryRows<{ id: string; name: string; channel: CampaignListRow["channel"]; purpose: CampaignListRow["purpose"]; status: CampaignListRow["status"];
    segment_name: string | null; scheduled_at: string | null; paused_reason: string | null; created_at: string }>(
    tx,
    sql`select k.id, k.name, k.channel, k.purpose, k.status, g.name as segment_name, k.scheduled_at::text, k.paused_reason, k.created_at::text
          from campaigns k left join segments g on g.id = k.segment_id
         where not k.automation order by k.created_at desc`,
  );
  const counts = await queryRows<CountsRow>(tx, sql`${countsSql} group by k.id`);
  const byId = new Map(counts.map((c) => [c.id, c]));
  return rows.map((r) => ({
    id: r.id, name: r.name, channel: r.channel, purpose: r.purpose, status: r.status, segmentName: r.segment_name,
    scheduledAt: r.scheduled_at ? new Date(r.scheduled_at) : null, pausedReason: r.paused_reason, createdAt: new Date(r.created_at),
    counts: toCounts(byId.get(r.id)),
  }));
}

export interface CampaignDetail {
  campaign: typeof campaigns.$inferSelect & { segmentName: string | null };
  variants: (typeof variants.$inferSelect & { sent: number; queued: number; skipped: number })[];
  counts: CampaignCounts;
  latestRun: {
    id: string;
    trigger: string;
    decidedAt: Date;
    funnel: TargetingResult["funnel"];
    steps: FunnelStep[];
    arms: { holdout: number; variants: { id: string; key: string; customers: number }[] };
    sampleRatio: { pValue: number; mismatch: boolean } | null;
  } | null;
  runs: number;
  decisions: { customerId: string; name: string; outcome: Outcome; reason: string; variantKey: string | null }[];
  sends: { id: string; customerId: string; name: string; status: SendStatus; variantKey: string | null; skipReason: string | null; lastError: string | null; at: Date }[];
}

export const DETAIL_ROWS = 20;

export async function getCampaignDetail(tx: ShopTx, campaignId: string): Promise<CampaignDetail> {
  if (!z.uuid().safeParse(campaignId).success) throw notFound("Campaign");
  const [row] = await queryRows<{ segment_name: string | null }>(
    tx,
    sql`select g.name as segment_name from campaigns k left join segments g on g.id = k.segment_id where k.id = ${campaignId}::uuid`,
  );
  const [campaign] = await tx.select().from(campaigns).where(eq(campaigns.id, campaignId));
  if (!campaign || !row) throw notFound("Campaign");

  const vs = await tx.select().from(variants).where(eq(variants.campaignId, campaignId)).orderBy(variants.key);
  const perVariant = await queryRows<{ variant_id: string; sent: number; queued: number; skipped: number }>(
    tx,
    sql`select variant_id, count(*) filter (where status in ('sent', 'delivered'))::int as sent, count(*) filter (where status in ('queued', 'sending'))::int as queued,
               count(*) filter (where status = 'skipped')::int as skipped
          from sends where campaign_id = ${campaignId}::uuid and variant_id is not null group by variant_id`,
  );
  const [counts] = await queryRows<CountsRow>(tx, sql`${countsSql} where k.id = ${campaignId}::uuid group by k.id`);

  const [run] = await queryRows<{ id: string; trigger: string; decided_at: string; funnel: TargetingResult["funnel"]; runs: number }>(
    tx,
    sql`select id, trigger, decided_at::text, funnel, count(*) over ()::int as runs from campaign_runs where campaign_id = ${campaignId}::uuid order by decided_at desc, id desc limit 1`,
  );
  let latestRun: CampaignDetail["latestRun"] = null;
  let decisions: CampaignDetail["decisions"] = [];
  if (run) {
    const armRows = await queryRows<{ variant_id: string | null; n: number }>(
      tx,
      sql`select variant_id, count(*)::int as n from campaign_decisions where run_id = ${run.id}::uuid and outcome in ('queued', 'holdout') group by variant_id`,
    );
    const live = vs.filter((v) => !v.paused);
    const armVariants = live.map((v) => ({ id: v.id, key: v.key, customers: armRows.find((a) => a.variant_id === v.id)?.n ?? 0 }));
    const holdout = armRows.find((a) => a.variant_id === null)?.n ?? 0;
    // The same check as at targeting: observed arms against the asked shares, arms asked for nothing left out.
    const shares = armShares({ holdoutPct: campaign.holdoutPct, variants: live });
    const split = [holdout, ...armVariants.map((v) => v.customers)].map((n, i) => [n, shares[i] ?? 0] as const).filter(([, s]) => s > 0);
    const check = split.length > 1 ? sampleRatioCheck(split.map(([n]) => n), split.map(([, s]) => s)) : null;
    latestRun = {
      id: run.id, trigger: run.trigger, decidedAt: new Date(run.decided_at), funnel: run.funnel, steps: funnelSteps(run.funnel),
      arms: { holdout, variants: armVariants },
      sampleRatio: check && check.enough ? { pValue: check.pValue, mismatch: check.mismatch } : null,
    };
    const ds = await queryRows<{ customer_id: string; name: string; outcome: Outcome; variant_key: string | null }>(
      tx,
      sql`select d.customer_id, d.outcome, case when d.outcome = 'queued' then v.key end as variant_key,
                 coalesce(nullif(trim(concat_ws(' ', c.first_name, c.last_name)), ''), c.email, c.phone, 'Unnamed customer') as name
            from campaign_decisions d join customers c on c.id = d.customer_id left join variants v on v.id = d.variant_id
           where d.run_id = ${run.id}::uuid order by d.customer_id desc limit ${DETAIL_ROWS}`,
    );
    decisions = ds.map((d) => ({ customerId: d.customer_id, name: d.name, outcome: d.outcome, reason: OUTCOME_WORDS[d.outcome] ?? d.outcome, variantKey: d.variant_key }));
  }
  const sendRows = await queryRows<{ id: string; customer_id: string; name: string; status: SendStatus; variant_key: string | null; skip_reason: string | null; last_error: string | null; at: string }>(
    tx,
    sql`select s.id, s.customer_id, s.status, v.key as variant_key, s.skip_reason, s.last_error, coalesce(s.sent_at, s.created_at)::text as at,
               coalesce(nullif(trim(concat_ws(' ', c.first_name, c.last_name)), ''), c.email, c.phone, 'Unnamed customer') as name
          from sends s join customers c on c.id = s.customer_id left join variants v on v.id = s.variant_id
         where s.campaign_id = ${campaignId}::uuid order by coalesce(s.sent_at, s.created_at) desc, s.id desc limit ${DETAIL_ROWS}`,
  );
  return {
    campaign: { ...campaign, segmentName: row.segment_name },
    variants: vs.map((v) => {
      const c = perVariant.find((p) => p.variant_id === v.id);
      return { ...v, sent: c?.sent ?? 0, queued: c?.queued ?? 0, skipped: c?.skipped ?? 0 };
    }),
    counts: toCounts(counts),
    latestRun,
    runs: run?.runs ?? 0,
    decisions,
    sends: sendRows.map((s) => ({ id: s.id, customerId: s.customer_id, name: s.name, status: s.status, variantKey: s.variant_key, skipReason: s.skip_reason, lastError: s.last_error, at: new Date(s.at) })),
  };
}
