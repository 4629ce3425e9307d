// The months a campaign's messages went out in, first to last, as calendar months in the shop's
// time zone. The fairness report opened from a campaign shows this period: an older campaign would
// otherwise open on the current month, where it sent nothing. Messages count as the report counts
// them: sent or delivered, by when they were sent.
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "../db/client";
import type { ShopTx } from "../db/tenant";
import { monthOf } from "./fairness-query";

export async function getCampaignSendPeriod(
  tx: ShopTx,
  campaignId: string,
  options: { timeZone: string; now?: Date },
): Promise<{ fromMonth: string; toMonth: string }> {
  const current = monthOf(options.now ?? new Date(), options.timeZone);
  // Nothing sent (or no such campaign in this shop, which the report itself then says): this month.
  if (!z.uuid().safeParse(campaignId).success) return { fromMonth: current, toMonth: current };
  const [row] = await queryRows<{ first: string | null; last: string | null }>(tx, sql`
    select min(sent_at)::text as first, max(sent_at)::text as last
      from sends where campaign_id = ${campaignId}::uuid and status in ('sent', 'delivered') and sent_at is not null`);
  if (!row?.first || !row.last) return { fromMonth: current, toMonth: current };
  return { fromMonth: monthOf(new Date(row.first), options.timeZone), toMonth: monthOf(new Date(row.last), options.timeZone) };
}
