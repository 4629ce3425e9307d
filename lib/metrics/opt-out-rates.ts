// Opt-out rate = withdrawals caused by a send ÷ delivered sends (../shared/DESIGN.md), per
// campaign, variant, channel and month, each with its n and a 95 % Wilson interval, beside the
// guardrail's line; and the privacy complaints (addresses suppressed because their owner
// complained). A withdrawal is tied to its message, and the line drawn, exactly as the guardrail
// that pauses campaigns does (lib/campaigns/opt-out-guardrail.ts).
//
// A message belongs to the month it was sent in, in the shop's time zone, and its opt-outs go with
// it whenever they came: a month's rate is "of what we sent that month, how many said no".
import { sql } from "drizzle-orm";
import { z } from "zod";
import { DEFAULT_GUARDRAIL, DELIVERED_STATUSES, optOutsBySend, overGuardrail, type GuardrailLimits } from "../campaigns/opt-out-guardrail";
import { queryRows } from "../db/client";
import type { ShopTx } from "../db/tenant";
import { AppError } from "../errors";
import { addMonths, monthsBetween } from "./metrics-range";
import type { NotEnoughData } from "./stats/not-enough-data";
import { wilsonInterval, type ProportionEstimate } from "./stats/wilson-interval";

type Channel = "email" | "sms" | "push";

export interface OptOutRate {
  optOuts: number;
  /** Messages handed to the mail or SMS server: the n of the rate. */
  delivered: number;
  /** The rate with its 95 % Wilson interval, or why there is none (nothing delivered). */
  rate: ProportionEstimate | NotEnoughData;
  /** Above the guardrail's line (its share, once its minimum count of people opted out). */
  overGuardrail: boolean;
}

export interface OptOutRates {
  /** First and last month covered (YYYY-MM, inclusive), in the shop's time zone. */
  from: string;
  to: string;
  timeZone: string;
  total: OptOutRate;
  /**
   * The line drawn on charts: the strictest limit among the campaigns sent in the period (each
   * campaign has its own, shown on its row), or new campaigns' default when none was sent.
   */
  guardrail: GuardrailLimits & { rate: number; sentence: string };
  byCampaign: (OptOutRate & { campaignId: string; name: string; channel: Channel; limits: GuardrailLimits })[];
  byVariant: (OptOutRate & { campaignId: string; campaignName: string; variantId: string | null; key: string | null })[];
  byChannel: (OptOutRate & { channel: Channel })[];
  /** Every month of the period, empty ones too. */
  byMonth: (OptOutRate & { month: string })[];
  /** Addresses suppressed because their owner complained (spam reports), reported in the period. */
  complaints: { total: number; byChannel: { channel: Channel; count: number }[]; byMonth: { month: string; count: number }[] };
}

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "Use a month as YYYY-MM, e.g. 2026-01.");
const RangeSchema = z.object({ from: Month, to: Month }).refine((r) => r.from <= r.to, { message: "The first month must not come after the last.", path: ["from"] });


interface Row {
  campaign_id: string;
  name: string;
  threshold_bp: number;
  min_count: number;
  variant_id: string | null;
  variant_key: string | null;
  channel: Channel;
  month: string;
  delivered: number;
  opt_outs: number;
}

export async function listOptOutRates(tx: ShopTx, range: { from: string; to: string }): Promise<OptOutRates> {
  const parsed = RangeSchema.safeParse(range);
  if (!parsed.success) {
    throw new AppError("invalid_input", "The date range is not valid.", { fields: parsed.error.issues.map((i) => ({ field: i.path.join(".") || "range", message: i.message })) });
  }
  const { from, to } = parsed.data;
  const [shop] = await queryRows<{ time_zone: string }>(tx, sql`select time_zone from shops limit 1`);
  const tz = shop?.time_zone ?? "UTC";
  const start = sql`((${from} || '-01')::timestamp at time zone ${tz})`;
  const end = sql`(((${to} || '-01')::timestamp + interval '1 month') at time zone ${tz})`;

  const rows = await queryRows<Row>(
    tx,
    sql`select s.campaign_id, k.name, k.opt_out_threshold_bp as threshold_bp, k.opt_out_min_count as min_count,
               s.variant_id, v.key as variant_key, s.channel, to_char(s.sent_at at time zone ${tz}, 'YYYY-MM') as month,
               count(*)::int as delivered, coalesce(sum(o.n), 0)::int as opt_outs
          from sends s
          join campaigns k on k.id = s.campaign_id
          left join variants v on v.id = s.variant_id
          left join (select send_id, count(*)::int as n from ${optOutsBySend} x group by send_id) o on o.send_id = s.id
         where s.status in ${DELIVERED_STATUSES} and s.sent_at >= ${start} and s.sent_at < ${end}
         group by s.campaign_id, k.name, k.opt_out_threshold_bp, k.opt_out_min_count, s.variant_id, v.key, s.channel, 8
         order by k.name, s.campaign_id, v.key`,
  );
  const complaintRows = await queryRows<{ channel: Channel; month: string; count: number }>(
    tx,
    sql`select channel, to_char(created_at at time zone ${tz}, 'YYYY-MM') as month, count(*)::int as count
          from suppressions where reason = 'complaint' and created_at >= ${start} and created_at < ${end}
         group by 1, 2 order by 2, 1`,
  );

  const campaignLimits = new Map(rows.map((r) => [r.campaign_id, { thresholdBp: r.threshold_bp, minCount: r.min_count }]));
  const line: GuardrailLimits = campaignLimits.size === 0 ? DEFAULT_GUARDRAIL : [...campaignLimits.values()].reduce((a, b) => (b.thresholdBp < a.thresholdBp ? b : a));
  const lineSentence =
    campaignLimits.size === 0
      ? `A campaign pauses itself when more than ${line.thresholdBp / 100} % of the people it reached opt out, once ${line.minCount} have.`
      : `The line is the strictest campaign limit in this period: ${line.thresholdBp / 100} % of the people reached, once ${line.minCount} opted out.`;

  const rate = (selected: Row[], limits: GuardrailLimits): OptOutRate => {
    const delivered = selected.reduce((s, r) => s + r.delivered, 0);
    const optOuts = selected.reduce((s, r) => s + r.opt_outs, 0);
    // A customer can in principle withdraw twice by the same message's link; a rate above 1 is not one.
    return { optOuts, delivered, rate: wilsonInterval(Math.min(optOuts, delivered), delivered), overGuardrail: overGuardrail(optOuts, delivered, limits) };
  };
  const groupBy = <K>(key: (r: Row) => K) => {
    const groups = new Map<K, Row[]>();
    for (const r of rows) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
    return groups;
  };

  const byCampaign = [...groupBy((r) => r.campaign_id)].map(([campaignId, rs]) => {
    const limits = campaignLimits.get(campaignId)!;
    return { campaignId, name: rs[0]!.name, channel: rs[0]!.channel, limits, ...rate(rs, limits) };
  });
  const byVariant = [...groupBy((r) => `${r.campaign_id}:${r.variant_id ?? ""}`)].map(([, rs]) => ({
    campaignId: rs[0]!.campaign_id, campaignName: rs[0]!.name, variantId: rs[0]!.variant_id, key: rs[0]!.variant_key,
    ...rate(rs, campaignLimits.get(rs[0]!.campaign_id)!),
  }));
  const byChannel = [...groupBy((r) => r.channel)].map(([channel, rs]) => ({ channel, ...rate(rs, line) }));
  const months = Array.from({ length: monthsBetween(from, to) + 1 }, (_, i) => addMonths(from, i));
  const byMonth = months.map((month) => ({ month, ...rate(rows.filter((r) => r.month === month), line) }));

  const complaintChannels = new Map<Channel, number>();
  for (const c of complaintRows) complaintChannels.set(c.channel, (complaintChannels.get(c.channel) ?? 0) + c.count);

  return {
    from, to, timeZone: tz,
    total: rate(rows, line),
    guardrail: { ...line, rate: line.thresholdBp / 10_000, sentence: lineSentence },
    byCampaign, byVariant, byChannel, byMonth,
    complaints: {
      total: complaintRows.reduce((s, c) => s + c.count, 0),
      byChannel: [...complaintChannels].map(([channel, count]) => ({ channel, count })),
      byMonth: months.map((month) => ({ month, count: complaintRows.filter((c) => c.month === month).reduce((s, c) => s + c.count, 0) })),
    },
  };
}
