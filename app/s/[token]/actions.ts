"use server";
// The survey form's answer. A public action: the signed link (bound to the form by the page, and
// checked again here) is the only credential, as on the preference page; there is no session to
// require. Next.js refuses a server action posted from another origin.
import type { SurveyFormState } from "@/components/surveys/survey-form";
import { withShop } from "@/lib/db/tenant";
import { isAppError } from "@/lib/errors";
import { verifyPrivacyToken } from "@/lib/privacy/tokens";
import { answerSurvey } from "@/lib/surveys/answer-survey";
import { getSurveyPage } from "@/lib/surveys/get-survey-page";

const GONE: SurveyFormState = { status: "gone" };

export async function answerSurveyAction(token: string, _prev: SurveyFormState, form: FormData): Promise<SurveyFormState> {
  const link = verifyPrivacyToken(token, "survey");
  if (!link) return GONE;
  const input = { score: form.get("score") ?? undefined, comment: form.get("comment") ?? undefined };
  try {
    return await withShop(link.shopId, async (tx) => {
      const outcome = await answerSurvey(tx, link, input);
      const page = await getSurveyPage(tx, link);
      const answer = page.answer!;
      return { status: outcome.recorded ? "thanks" : "already", answer: { score: answer.score, comment: answer.comment, respondedAt: answer.respondedAt.toISOString() } };
    });
  } catch (e) {
    if (isAppError(e, "not_found")) return GONE;
    if (isAppError(e, "invalid_input")) {
      const fields = Object.fromEntries((e.fields ?? []).map((f) => [f.field, f.message]));
      return { status: "invalid", errors: { score: fields.score, comment: fields.comment },
        score: typeof input.score === "string" ? input.score : "", comment: typeof input.comment === "string" ? input.comment : "" };
    }
    throw e;
  }
}
