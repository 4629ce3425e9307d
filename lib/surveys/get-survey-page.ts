// What the survey page shows for one link: the shop's name, and whether this invitation was already
// answered. The link must name a message of a survey campaign sent to this very customer; anything
// else is the same not_found every wrong link gets.
import { sql } from "drizzle-orm";
import { queryRows } from "../db/client";
import type { ShopTx } from "../db/tenant";
import { AppError } from "../errors";

export interface SurveyPage {
  shop: { name: string; timeZone: string };
  campaignId: string;
  erased: boolean;
  answer: { score: number; comment: string | null; respondedAt: Date } | null;
}

export async function getSurveyPage(tx: ShopTx, link: { customerId: string; sendId: string | null }): Promise<SurveyPage> {
  if (!link.sendId) throw new AppError("not_found", "No such survey.");
  const [row] = await queryRows<{ shop_name: string; time_zone: string; campaign_id: string; erased: boolean; score: number | null; comment: string | null; responded_at: string | null }>(
    tx,
    sql`select sh.name as shop_name, sh.time_zone, s.campaign_id, c.erased_at is not null as erased,
               r.score, r.comment, r.responded_at::text as responded_at
          from sends s
          join campaigns k on k.id = s.campaign_id and k.purpose = 'surveys'
          join customers c on c.id = s.customer_id
          join shops sh on sh.id = s.shop_id
          left join survey_responses r on r.send_id = s.id
         where s.id = ${link.sendId}::uuid and s.customer_id = ${link.customerId}::uuid`,
  );
  if (!row) throw new AppError("not_found", "No such survey.");
  return {
    shop: { name: row.shop_name, timeZone: row.time_zone },
    campaignId: row.campaign_id,
    erased: row.erased,
    answer: row.score === null ? null : { score: row.score, comment: row.comment, respondedAt: new Date(row.responded_at!) },
  };
}
