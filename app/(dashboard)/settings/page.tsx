import type { Metadata } from "next";
import { requireShop } from "@/app/_server/require-shop";
import { loadShop } from "@/app/_server/loaders";
import { formatDate } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Card, CardTitle } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { withShop } from "@/lib/db/tenant";
import { listMembers } from "@/lib/shops/list-members";
import { listApiKeys } from "@/lib/shops/api-keys";
import { listPendingInvitations } from "@/lib/shops/invitations";
import { InviteMemberForm, RevokeInvitationButton } from "./invitation-forms";
import { CreateApiKeyForm, RevokeApiKeyButton, ShopSettingsForm } from "./settings-forms";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const ctx = await requireShop();
  const [shop, members, invitations, keys] = await Promise.all([
    loadShop(ctx.shopId),
    withShop(ctx.shopId, listMembers),
    withShop(ctx.shopId, (tx) => listPendingInvitations(tx)),
    withShop(ctx.shopId, listApiKeys),
  ]);
  const canEdit = ctx.role === "owner";
  return (
    <>
      <PageHeader title="Settings" description="Your shop's details and who can use this dashboard." />
      {!canEdit && (
        <div className="mb-6">
          <FormMessage>You are a viewer: only an owner of this shop can change settings.</FormMessage>
        </div>
      )}
      <Card>
        <CardTitle className="mb-4">Shop</CardTitle>
        <ShopSettingsForm canEdit={canEdit} shop={{ name: shop.name, currency: shop.currency, country: shop.country, timeZone: shop.timeZone, marginPct: shop.marginBp / 100 }} />
      </Card>
      <Card className="mt-6">
        <CardTitle className="mb-4">Members ({members.length})</CardTitle>
        <ul className="mb-6 divide-y divide-slate-100 text-sm">
          {members.map((m) => (
            <li key={m.userId} className="flex items-center justify-between py-2">
              <span>
                {m.name ? `${m.name} · ` : ""}
                {m.email}
              </span>
              <span className="flex items-center gap-3 text-slate-500">
                since {formatDate(m.since)} <Badge tone={m.role === "owner" ? "green" : "blue"}>{m.role}</Badge>
              </span>
            </li>
          ))}
        </ul>
        {invitations.length > 0 && (
          <>
            <h3 className="mb-2 text-sm font-medium text-slate-700">Invited, not joined yet ({invitations.length})</h3>
            <ul className="mb-6 divide-y divide-slate-100 text-sm" aria-label="Pending invitations">
              {invitations.map((i) => (
                <li key={i.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                  <span>
                    {i.email} <Badge tone={i.role === "owner" ? "green" : "blue"}>{i.role}</Badge>
                    <span className="block text-xs text-slate-500">
                      invited {formatDate(i.createdAt)} · {i.expired ? "the link has expired: invite again" : `link valid until ${formatDate(i.expiresAt)}`}
                    </span>
                  </span>
                  <RevokeInvitationButton id={i.id} email={i.email} canEdit={canEdit} />
                </li>
              ))}
            </ul>
          </>
        )}
        <InviteMemberForm canEdit={canEdit} />
      </Card>
      <Card className="mt-6">
        <CardTitle className="mb-1">API keys</CardTitle>
        <p className="mb-4 text-sm text-slate-600">
          Your other systems send a key as <code>Authorization: Bearer …</code> to the REST API (<a className="underline" href="/api/v1/openapi.json">OpenAPI description</a>). A key is shown once and stored only as a fingerprint.
        </p>
        <ul className="mb-6 divide-y divide-slate-100 text-sm">
          {keys.map((k) => (
            <li key={k.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
              <span>
                <span className="font-medium">{k.name}</span> <span className="font-mono text-xs text-slate-500">{k.prefix}…</span>
                <span className="block text-xs text-slate-500">
                  created {formatDate(k.createdAt)} · {k.lastUsedAt ? `last used ${formatDate(k.lastUsedAt)}` : "never used"}
                </span>
              </span>
              {k.revokedAt ? <Badge tone="red">revoked {formatDate(k.revokedAt)}</Badge> : <RevokeApiKeyButton id={k.id} name={k.name} canEdit={canEdit} />}
            </li>
          ))}
        </ul>
        <CreateApiKeyForm canEdit={canEdit} />
      </Card>
    </>
  );
}
