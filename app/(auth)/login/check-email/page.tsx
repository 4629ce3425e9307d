export default function CheckEmailPage() {
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-6 text-sm text-slate-700 shadow-sm" role="status">
      <h1 className="mb-2 text-lg font-semibold text-slate-900">Check your email</h1>
      If an account exists for that address, a sign-in link is on its way. It works once and expires in 24 hours.
    </div>
  );
}
