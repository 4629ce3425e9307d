// Records a customer's answer to one survey invitation. One answer per invitation (the unique index
// on the send): the first answer stands, and a second submit — a double click, the back button, the
// link opened again — changes nothing and is told so. We keep the first answer rather than let it be
// changed because an NPS answer is a reading at one moment, and the link is the only credential: a
// forwarded message should not be able to overwrite what the customer said.
import { sql } from "drizzle-orm";
import { queryRows } from "../db/client";
import type { ShopTx } from "../db/tenant";
import { AppError } from "../errors";
import { getSurveyPage } from "./get-survey-page";
import { SurveyAnswerSchema } from "./schemas";

export type AnswerOutcome = { recorded: true } | { recorded: false; reason: "already_answered" };

export async function answerSurvey(
  tx: ShopTx,
  link: { customerId: string; sendId: string | null },
  input: { score: unknown; comment?: unknown },
  options: { now?: Date } = {},
): Promise<AnswerOutcome> {
  const parsed = SurveyAnswerSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError("invalid_input", parsed.error.issues[0]?.message ?? "Choose a number from 0 to 10.", {
      fields: parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? "score"), message: i.message })),
    });
  }
  const page = await getSurveyPage(tx, link);
  // An erased customer's link shows only that; nothing new is tied to them.
  if (page.erased) throw new AppError("not_found", "No such survey.");
  const now = (options.now ?? new Date()).toISOString();
  const inserted = await queryRows<{ id: string }>(
    tx,
    sql`insert into survey_responses (shop_id, customer_id, campaign_id, send_id, score, comment, responded_at)
        select s.shop_id, s.customer_id, s.campaign_id, s.id, ${parsed.data.score}, ${parsed.data.comment}, ${now}::timestamptz
          from sends s where s.id = ${link.sendId}::uuid
        on conflict (shop_id, send_id) do nothing
        returning id`,
  );
  return inserted.length > 0 ? { recorded: true } : { recorded: false, reason: "already_answered" };
}
