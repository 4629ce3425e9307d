// The post-purchase survey: one question (0–10) and an optional comment, no login; the signed link
// names the shop, the customer and the message it came in. Every link that does not lead to a
// survey message of this customer is the same 404. Opening it changes nothing; an answered link
// shows the answer. (proxy.ts sends it no-store, noindex and without a Referer.)
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SurveyAnswerShown } from "@/components/surveys/survey-answer";
import { SurveyForm } from "@/components/surveys/survey-form";
import { withShop } from "@/lib/db/tenant";
import { isAppError } from "@/lib/errors";
import { verifyPrivacyToken } from "@/lib/privacy/tokens";
import { getSurveyPage } from "@/lib/surveys/get-survey-page";
import { SURVEY_COMMENT_MAX } from "@/lib/surveys/schemas";
import { answerSurveyAction } from "./actions";

export const metadata: Metadata = { title: "One question", referrer: "no-referrer", robots: { index: false, follow: false } };

export default async function SurveyPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const link = verifyPrivacyToken(token, "survey");
  if (!link) notFound();
  const page = await withShop(link.shopId, (tx) => getSurveyPage(tx, link)).catch((e: unknown) => {
    if (isAppError(e, "not_found")) notFound();
    throw e;
  });
  // An erased customer's link leads nowhere: there is no one left to ask.
  if (page.erased) notFound();
  const answer = page.answer && { score: page.answer.score, comment: page.answer.comment, respondedAt: page.answer.respondedAt.toISOString() };

  return (
    <main className="mx-auto max-w-xl px-4 py-8 sm:py-12">
      <header className="mb-6">
        <p className="text-sm font-medium text-slate-600">{page.shop.name}</p>
        <h1 className="mt-1 text-2xl font-semibold text-slate-900">One quick question</h1>
      </header>
      <section className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
        {answer ? (
          <SurveyAnswerShown answer={answer} timeZone={page.shop.timeZone} fresh={false} />
        ) : (
          <SurveyForm shopName={page.shop.name} timeZone={page.shop.timeZone} commentMax={SURVEY_COMMENT_MAX} action={answerSurveyAction.bind(null, token)} />
        )}
      </section>
      <footer className="mt-6 text-center text-xs text-slate-600">This link is personal and answers one survey. Please do not forward it.</footer>
    </main>
  );
}
