// An invitation link: who invites the reader to which shop, and the one step that fits them —
// join (signed in with the invited email), sign in first, or create the account.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { currentUser } from "@/app/_server/require-shop";
import { buttonClass, Button } from "@/components/ui/button";
import { findInvitation } from "@/lib/shops/accept-invitation";
import { AcceptForm, NewAccountForm } from "./accept-forms";
import { signOutToAcceptAction } from "./actions";

// The token is in the address: never send it on in a Referer.
export const metadata: Metadata = { title: "Invitation", referrer: "no-referrer" };

const ROLE_WORDS = { owner: "an owner: you can change everything", viewer: "a viewer: you can look, not change" } as const;

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await findInvitation(token);
  if (!invitation) notFound();
  const user = await currentUser();
  const forMe = user?.email.toLowerCase() === invitation.email;

  return (
    <div className="space-y-5 rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="text-lg font-semibold">Join {invitation.shopName}</h1>
      <p className="text-sm text-slate-600">
        You are invited to {invitation.shopName}&apos;s dashboard as {ROLE_WORDS[invitation.role]}. The invitation is for <strong>{invitation.email}</strong>.
      </p>
      {user && forMe && <AcceptForm token={token} shopName={invitation.shopName} />}
      {user && !forMe && (
        <form action={signOutToAcceptAction} className="space-y-3">
          <p className="text-sm text-slate-700">
            You are signed in as {user.email}. Sign out, then sign in as {invitation.email} to accept.
          </p>
          <input type="hidden" name="token" value={token} />
          <Button type="submit" variant="secondary" className="w-full">
            Sign out
          </Button>
        </form>
      )}
      {!user && invitation.accountExists && (
        <Link href={`/login?next=${encodeURIComponent(`/invite/${token}`)}`} className={buttonClass("primary", "w-full")}>
          Sign in as {invitation.email} to accept
        </Link>
      )}
      {!user && !invitation.accountExists && <NewAccountForm token={token} email={invitation.email} />}
    </div>
  );
}
