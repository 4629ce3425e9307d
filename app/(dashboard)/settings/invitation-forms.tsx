"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";
import { inviteMemberAction, revokeInvitationAction, type InviteState } from "./invitation-actions";

export function InviteMemberForm({ canEdit }: { canEdit: boolean }) {
  const [state, action, pending] = useActionState<InviteState, FormData>(inviteMemberAction, {});
  return (
    <form action={action} className="space-y-4" noValidate aria-label="Invite a member">
      {state.error && <FormMessage>{state.error}</FormMessage>}
      {state.notice && <FormMessage tone="success">{state.notice}</FormMessage>}
      {state.link && (
        <p className="break-all rounded-lg border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm" aria-label="Invitation link">
          {state.link}
        </p>
      )}
      <fieldset disabled={!canEdit} className="grid gap-4 sm:grid-cols-2">
        <Field label="Email" name="email" id="invite-member-email" type="email" error={state.fields?.email} required hint="They get an email with a link to join; it works once, for 7 days." />
        <div className="space-y-1">
          <label htmlFor="invite-member-role" className="block text-sm font-medium text-slate-700">
            Role
          </label>
          <select id="invite-member-role" name="role" defaultValue="viewer" className="block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm">
            <option value="viewer">Viewer: can look, cannot change anything</option>
            <option value="owner">Owner: can change everything</option>
          </select>
        </div>
      </fieldset>
      <Button type="submit" disabled={!canEdit || pending}>
        {pending ? "Sending…" : "Send invitation"}
      </Button>
    </form>
  );
}

export function RevokeInvitationButton({ id, email, canEdit }: { id: string; email: string; canEdit: boolean }) {
  const [state, action, pending] = useActionState<InviteState, FormData>(revokeInvitationAction, {});
  return (
    <form action={action} className="inline">
      <input type="hidden" name="id" value={id} />
      <Button type="submit" variant="secondary" className="py-1" disabled={!canEdit || pending} aria-label={`Withdraw the invitation to ${email}`}>
        Withdraw
      </Button>
      {state.error && <span className="ml-2 text-sm text-red-700">{state.error}</span>}
    </form>
  );
}
