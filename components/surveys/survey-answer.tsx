// What a customer answered, shown after answering and whenever the link is opened again.
import { formatDate } from "@/components/format";

export interface ShownAnswer {
  score: number;
  comment: string | null;
  respondedAt: string;
}

export function SurveyAnswerShown({ answer, timeZone, fresh }: { answer: ShownAnswer; timeZone: string; fresh: boolean }) {
  return (
    <div role="status" className="rounded-xl border border-brand-500 bg-brand-50 p-5 text-slate-900">
      <h2 className="text-xl font-semibold">{fresh ? "Thank you for answering" : "You already answered"}</h2>
      <p className="mt-2 text-slate-700">
        {fresh ? "You answered " : `On ${formatDate(answer.respondedAt, timeZone)} you answered `}
        <strong className="text-slate-900">{answer.score} out of 10</strong>
        {answer.comment ? " and wrote:" : "."}
      </p>
      {answer.comment && <blockquote className="mt-2 whitespace-pre-wrap border-l-4 border-brand-500 pl-3 text-slate-800">{answer.comment}</blockquote>}
      {!fresh && <p className="mt-3 text-sm text-slate-600">Each survey takes one answer, so yours stays as you gave it.</p>}
    </div>
  );
}
