import { z } from "zod";

export const SURVEY_COMMENT_MAX = 2000;
const CHOOSE = "Choose a number from 0 to 10.";

/** What the survey form posts: a 0–10 score and an optional comment. */
export const SurveyAnswerSchema = z.object({
  // Not z.coerce: an empty form field would become 0, a detractor nobody chose.
  score: z.preprocess(
    (v) => (typeof v === "string" && /^\s*\d{1,2}\s*$/.test(v) ? Number(v) : v),
    z.number({ error: CHOOSE }).int(CHOOSE).min(0, CHOOSE).max(10, CHOOSE),
  ),
  comment: z.string().nullish().transform((c) => c ?? undefined).pipe(z.string().trim().max(SURVEY_COMMENT_MAX, `Keep the comment under ${SURVEY_COMMENT_MAX} characters.`).optional())
    .transform((c) => (c ? c : null)),
});
export type SurveyAnswer = z.infer<typeof SurveyAnswerSchema>;
