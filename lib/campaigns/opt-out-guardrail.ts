// The opt-out guardrail: when a campaign's messages make too many people say no (withdrawals by the
// one-click unsubscribe link of one of its messages, over its delivered messages), it pauses
// itself and says why, before it reaches everyone else. The threshold (default 1 %) and the
// minimum count of opt-outs (a handful in a small send is not a trend) are the campaign's.
import { eq, sql, type SQL } from "drizzle-orm";
import { queryRows } from "../db/client";
import { campaigns } from "../db/schema";
import type { ShopTx } from "../db/tenant";

/** Messages that count as delivered for an opt-out rate: handed to the mail or SMS server. */
export const DELIVERED_STATUSES = sql`('sent', 'delivered')`;

/**
 * The withdrawals a message caused, one row per withdrawal with `send_id` and `occurred_at`: the
 * one-click unsubscribe of that message, tied to it by the send id in the ledger event's evidence.
 * The guardrail and the opt-out rates count the same rows.
 */
export const optOutsBySend: SQL = sql`(select (e.evidence->>'sendId')::uuid as send_id, e.occurred_at, e.channel
    from consent_events e
   where e.method = 'one_click_unsubscribe' and e.action = 'withdraw' and e.evidence->>'sendId' is not null)`;

/** The campaign's limits; a new campaign's are the table's defaults (1 % once 5 opted out). */
export interface GuardrailLimits {
  thresholdBp: number;
  minCount: number;
}

export const DEFAULT_GUARDRAIL: GuardrailLimits = {
  thresholdBp: Number(campaigns.optOutThresholdBp.default),
  minCount: Number(campaigns.optOutMinCount.default),
};

/** Over the line: the share of delivered messages that opted out is above the threshold, and enough people did. */
export function overGuardrail(optOuts: number, delivered: number, limits: GuardrailLimits): boolean {
  return delivered > 0 && optOuts >= limits.minCount && (optOuts / delivered) * 10_000 > limits.thresholdBp;
}

export interface GuardrailCheck {
  delivered: number;
  optOuts: number;
  rate: number | null;
  paused: boolean;
}

export async function checkOptOutGuardrail(tx: ShopTx, campaignId: string): Promise<GuardrailCheck> {
  const [row] = await queryRows<{ delivered: number; opt_outs: number; status: string; threshold_bp: number; min_count: number }>(
    tx,
    sql`select (select count(*)::int from sends s where s.campaign_id = k.id and s.status in ${DELIVERED_STATUSES}) as delivered,
               (select count(*)::int from ${optOutsBySend} o join sends s on s.id = o.send_id where s.campaign_id = k.id) as opt_outs,
               k.status, k.opt_out_threshold_bp as threshold_bp, k.opt_out_min_count as min_count
          from campaigns k where k.id = ${campaignId}::uuid`,
  );
  if (!row) return { delivered: 0, optOuts: 0, rate: null, paused: false };
  const rate = row.delivered > 0 ? row.opt_outs / row.delivered : null;
  const over = overGuardrail(row.opt_outs, row.delivered, { thresholdBp: row.threshold_bp, minCount: row.min_count });
  if (rate !== null && over && row.status === "sending") {
    const pct = (x: number) => `${(100 * x).toLocaleString("en-GB", { maximumFractionDigits: 2 })} %`;
    await tx.update(campaigns).set({
      status: "paused",
      pausedReason: `Paused by the opt-out guardrail: ${row.opt_outs} of ${row.delivered} people who got it opted out (${pct(rate)}), above your limit of ${pct(row.threshold_bp / 10_000)}. Check the message and its audience before resuming.`,
    }).where(eq(campaigns.id, campaignId));
    return { delivered: row.delivered, optOuts: row.opt_outs, rate, paused: true };
  }
  return { delivered: row.delivered, optOuts: row.opt_outs, rate, paused: false };
}
