// The opt-out guardrail: when a campaign's messages make too many people say no (withdrawals by the
// one-click unsubscribe link of one of its messages, over its delivered messages), it pauses
// itself and says why, before it reaches everyone else. The threshold (default 1 %) and the
// minimum count of opt-outs (a handful in a small send is not a trend) are the campaign's.
import { eq, sql } from "drizzle-orm";
import { queryRows } from "../db/client";
import { campaigns } from "../db/schema";
import type { ShopTx } from "../db/tenant";

export interface GuardrailCheck {
  delivered: number;
  optOuts: number;
  rate: number | null;
  paused: boolean;
}

export async function checkOptOutGuardrail(tx: ShopTx, campaignId: string): Promise<GuardrailCheck> {
  const [row] = await queryRows<{ delivered: number; opt_outs: number; status: string; threshold_bp: number; min_count: number }>(
    tx,
    sql`select (select count(*)::int from sends s where s.campaign_id = k.id and s.status in ('sent', 'delivered')) as delivered,
               (select count(*)::int from consent_events e
                 where e.method = 'one_click_unsubscribe' and e.action = 'withdraw'
                   and (e.evidence->>'sendId')::uuid in (select s.id from sends s where s.campaign_id = k.id)) as opt_outs,
               k.status, k.opt_out_threshold_bp as threshold_bp, k.opt_out_min_count as min_count
          from campaigns k where k.id = ${campaignId}::uuid`,
  );
  if (!row) return { delivered: 0, optOuts: 0, rate: null, paused: false };
  const rate = row.delivered > 0 ? row.opt_outs / row.delivered : null;
  const over = rate !== null && row.opt_outs >= row.min_count && rate * 10_000 > row.threshold_bp;
  if (over && row.status === "sending") {
    const pct = (x: number) => `${(100 * x).toLocaleString("en-GB", { maximumFractionDigits: 2 })} %`;
    await tx.update(campaigns).set({
      status: "paused",
      pausedReason: `Paused by the opt-out guardrail: ${row.opt_outs} of ${row.delivered} people who got it opted out (${pct(rate)}), above your limit of ${pct(row.threshold_bp / 10_000)}. Check the message and its audience before resuming.`,
    }).where(eq(campaigns.id, campaignId));
    return { delivered: row.delivered, optOuts: row.opt_outs, rate, paused: true };
  }
  return { delivered: row.delivered, optOuts: row.opt_outs, rate, paused: false };
}
