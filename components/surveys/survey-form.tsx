"use client";
// The one-question NPS form: eleven radio buttons (0–10) in a fieldset whose legend is the question,
// an optional comment and one button. It posts through a server action, so it works before (or
// without) JavaScript too; an error stands next to its field and is linked to it.
import { useActionState } from "react";
import { SurveyAnswerShown, type ShownAnswer } from "./survey-answer";

export type SurveyFormState =
  | { status: "idle" }
  | { status: "invalid"; errors: { score?: string; comment?: string }; score: string; comment: string }
  | { status: "thanks" | "already"; answer: ShownAnswer }
  | { status: "gone" };

const SCORES = Array.from({ length: 11 }, (_, i) => i);

export function SurveyForm({
  shopName,
  timeZone,
  commentMax,
  action,
}: {
  shopName: string;
  timeZone: string;
  commentMax: number;
  action: (prev: SurveyFormState, form: FormData) => Promise<SurveyFormState>;
}) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  if (state.status === "thanks" || state.status === "already") return <SurveyAnswerShown answer={state.answer} timeZone={timeZone} fresh={state.status === "thanks"} />;
  if (state.status === "gone") {
    return (
      <p role="alert" className="rounded-lg border border-red-300 bg-red-50 p-3 text-red-800">
        This survey link no longer works, so nothing was recorded.
      </p>
    );
  }
  const errors = state.status === "invalid" ? state.errors : {};
  const chosen = state.status === "invalid" ? state.score : "";
  return (
    <form action={formAction} className="space-y-6" noValidate>
      <fieldset aria-describedby={`score-scale${errors.score ? " score-error" : ""}`} aria-invalid={errors.score ? true : undefined}>
        <legend className="text-lg font-semibold text-slate-900">How likely are you to recommend {shopName} to a friend?</legend>
        <p id="score-scale" className="mt-1 text-sm text-slate-600">0 is not at all likely, 10 is extremely likely.</p>
        {errors.score && (
          <p id="score-error" className="mt-2 text-sm font-medium text-red-700">
            {errors.score}
          </p>
        )}
        <div className="mt-3 grid grid-cols-6 gap-2 sm:grid-cols-11">
          {SCORES.map((n) => (
            <label key={n} className="relative flex h-12 items-center justify-center">
              <input
                type="radio"
                name="score"
                value={n}
                defaultChecked={chosen === String(n)}
                className={`peer absolute inset-0 cursor-pointer appearance-none rounded-lg border bg-white checked:border-brand-600 checked:bg-brand-600 hover:border-brand-600 focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-amber-500 ${errors.score ? "border-red-400" : "border-slate-300"}`}
              />
              <span className="pointer-events-none relative font-semibold text-slate-900 peer-checked:text-white">{n}</span>
            </label>
          ))}
        </div>
        <div className="mt-1 hidden justify-between text-xs text-slate-600 sm:flex" aria-hidden="true">
          <span>Not at all likely</span>
          <span>Extremely likely</span>
        </div>
      </fieldset>

      <div>
        <label htmlFor="comment" className="block font-medium text-slate-900">
          Anything you would like to tell {shopName}? <span className="font-normal text-slate-600">(optional)</span>
        </label>
        <textarea
          id="comment"
          name="comment"
          rows={4}
          maxLength={commentMax}
          defaultValue={state.status === "invalid" ? state.comment : ""}
          aria-invalid={errors.comment ? true : undefined}
          aria-describedby={errors.comment ? "comment-error" : undefined}
          className="mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2 text-slate-900 focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-amber-500"
        />
        {errors.comment && (
          <p id="comment-error" className="mt-1 text-sm font-medium text-red-700">
            {errors.comment}
          </p>
        )}
      </div>

      <button type="submit" disabled={pending} className="min-h-11 w-full rounded-lg bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700 disabled:bg-slate-300 sm:w-auto">
        {pending ? "Sending…" : "Send my answer"}
      </button>
    </form>
  );
}
