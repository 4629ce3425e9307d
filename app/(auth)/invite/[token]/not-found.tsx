import Link from "next/link";

export default function InvitationNotFound() {
  return (
    <div className="space-y-3 rounded-xl border border-slate-200 bg-white p-6 text-center shadow-sm">
      <h1 className="text-lg font-semibold">This invitation is not valid</h1>
      <p className="text-sm text-slate-600">
        The link was already used, withdrawn, has expired, or is not complete. Ask the shop&apos;s owner to invite you again.
      </p>
      <Link href="/login" className="text-sm text-brand-700 underline">
        Go to sign in
      </Link>
    </div>
  );
}
