"use client";
// When the survey page cannot be read (the database is down, say): a plain sentence, and a way
// to try again that also works without JavaScript (a link to the same page).
export default function SurveyError({ error }: { error: Error & { digest?: string } }) {
  return (
    <main className="mx-auto max-w-xl px-4 py-10">
      <div role="alert" className="rounded-xl border border-red-200 bg-red-50 p-5 text-red-900">
        <h1 className="text-lg font-semibold">The survey could not be shown just now</h1>
        <p className="mt-2">
          Nothing was recorded. Please try again in a minute{error.digest ? ` (reference ${error.digest})` : ""}.
        </p>
        <a href="" className="mt-4 inline-block font-semibold text-red-900 underline">
          Try again
        </a>
      </div>
    </main>
  );
}
