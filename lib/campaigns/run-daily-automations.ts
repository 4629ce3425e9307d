// The daily run of the segment-run automations (win-back, post-purchase survey, reorder reminder):
// switching one on targets its segment once, but "a week after the order" and "due to reorder" are
// true of new customers every day, so the worker runs each switched-on one again once a day per
// shop. "Once a day" is read from the campaign's own runs (campaign_runs): a run already decided on
// the shop's calendar day — by this job, by another worker, or by the owner switching it on — means
// nothing more today, so no extra table is needed. The campaign rows are locked first, so two
// workers arriving together run it once.
import { and, eq, inArray, sql } from "drizzle-orm";
import { queryRows } from "../db/client";
import { campaigns, shops } from "../db/schema";
import { currentShopId, type ShopTx } from "../db/tenant";
import { AUTOMATION_KEYS, AUTOMATIONS, runSegmentAutomation, type AutomationDefinition, type AutomationKey } from "./automations";

export const SEGMENT_RUN_KEYS = AUTOMATION_KEYS.filter((k) => (AUTOMATIONS[k] as AutomationDefinition).event === null);

export interface DailyAutomationRun {
  automation: AutomationKey;
  /** The run's id and how many messages it queued; null when it had already run today. */
  runId: string | null;
  queued: number;
}

export async function runDailyAutomations(tx: ShopTx, options: { now?: Date } = {}): Promise<DailyAutomationRun[]> {
  const now = options.now ?? new Date();
  const live = await tx.select({ id: campaigns.id, trigger: campaigns.trigger }).from(campaigns)
    .where(and(eq(campaigns.automation, true), inArray(campaigns.trigger, SEGMENT_RUN_KEYS), inArray(campaigns.status, ["approved", "sending"])))
    .orderBy(campaigns.trigger)
    .for("update");
  if (live.length === 0) return [];
  const [shop] = await tx.select({ timeZone: shops.timeZone }).from(shops).where(eq(shops.id, await currentShopId(tx)));
  const tz = shop?.timeZone ?? "UTC";
  const out: DailyAutomationRun[] = [];
  for (const campaign of live) {
    const key = campaign.trigger as AutomationKey;
    const [ran] = await queryRows<{ today: boolean }>(tx, sql`
      select exists (select 1 from campaign_runs r where r.campaign_id = ${campaign.id}::uuid
                        and (r.decided_at at time zone ${tz})::date = (${now.toISOString()}::timestamptz at time zone ${tz})::date) as today`);
    if (ran?.today) {
      out.push({ automation: key, runId: null, queued: 0 });
      continue;
    }
    const result = await runSegmentAutomation(tx, key, now);
    out.push({ automation: key, runId: result?.runId ?? null, queued: result?.funnel.queued ?? 0 });
  }
  return out;
}
