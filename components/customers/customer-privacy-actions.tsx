"use client";
// The owner's privacy actions on a customer page: a fresh preference page link to pass on, the
// customer's data as JSON, and erasure at their request (after ticking a confirmation).
import { useActionState } from "react";
import { buttonClass } from "@/components/ui/button";

interface LinkState {
  url?: string;
  error?: string;
}
interface EraseState {
  error?: string;
  done?: string;
}

export function CustomerPrivacyActions({
  customerId,
  erased,
  createLink,
  erase,
}: {
  customerId: string;
  erased: boolean;
  createLink: (prev: LinkState, form: FormData) => Promise<LinkState>;
  erase: (prev: EraseState, form: FormData) => Promise<EraseState>;
}) {
  const [link, linkAction, linkPending] = useActionState(createLink, {});
  const [erasure, eraseAction, erasePending] = useActionState(erase, {});
  return (
    <div className="space-y-4 text-sm">
      {!erased && (
        <form action={linkAction} className="space-y-2">
          <input type="hidden" name="customerId" value={customerId} />
          <button type="submit" className={buttonClass("secondary")} disabled={linkPending}>
            Preference page link
          </button>
          <p className="text-xs text-slate-500">A new personal link, valid 60 days, for a customer who asks what you hold or wants to change their choices. Send it only to them.</p>
          {link.url && (
            <div>
              <label htmlFor="preference-link" className="block text-xs font-medium text-slate-700">
                Link for this customer
              </label>
              <input id="preference-link" readOnly value={link.url} className="mt-1 block w-full rounded-lg border border-slate-300 bg-slate-50 px-2 py-1 font-mono text-xs" />
            </div>
          )}
          {link.error && <p className="text-red-700">{link.error}</p>}
        </form>
      )}
      <a href={`/api/customers/${customerId}/export`} download className={buttonClass("secondary")}>
        Download data (JSON)
      </a>
      {!erased && (
        <form action={eraseAction} className="space-y-2 rounded-lg border border-red-200 p-3">
          <input type="hidden" name="customerId" value={customerId} />
          <div className="flex items-start gap-2">
            <input id="erase-confirm" type="checkbox" name="confirm" className="mt-0.5" aria-describedby="erase-hint" />
            <label htmlFor="erase-confirm">The customer asked to be erased</label>
          </div>
          <p id="erase-hint" className="text-xs text-slate-500">
            Name, email, phone and attributes are erased, consents withdrawn and queued messages stopped. Orders and the consent log stay, without personal details. This cannot be undone.
          </p>
          <button type="submit" className={buttonClass("danger")} disabled={erasePending}>
            Erase customer
          </button>
          {erasure.error && <p className="text-red-700" role="alert">{erasure.error}</p>}
          {erasure.done && <p className="text-brand-700" role="status">{erasure.done}</p>}
        </form>
      )}
    </div>
  );
}
