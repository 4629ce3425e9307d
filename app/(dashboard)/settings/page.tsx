import type { Metadata } from "next";
import Link from "next/link";
import { requireShop } from "@/app/_server/require-shop";
import { loadShop } from "@/app/_server/loaders";
import { formatDate, formatDateTime } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Card, CardTitle } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { currentPolicy, listPolicies } from "@/lib/consent/policies";
import { withShop } from "@/lib/db/tenant";
import { listMembers } from "@/lib/shops/list-members";
import { listApiKeys } from "@/lib/shops/api-keys";
import { listPendingInvitations } from "@/lib/shops/invitations";
import { PublishPolicyForm, RetentionForm } from "./consent-forms";
import { InviteMemberForm, RevokeInvitationButton } from "./invitation-forms";
import { CreateApiKeyForm, RevokeApiKeyButton, ShopSettingsForm } from "./settings-forms";
import { AutomationSwitch, RotateWebhookSecretForm } from "./webhook-forms";
import { CopyButton } from "@/components/ui/copy-button";
import { listAutomations } from "@/lib/campaigns/automations";
import { publicBaseUrl } from "@/lib/privacy/message-links";
import { listWebhookDeliveries } from "@/lib/webhooks/receive-event";
import { listWebhookSecrets } from "@/lib/webhooks/rotate-webhook-secret";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const ctx = await requireShop();
  const [shop, members, invitations, keys, policies, inEffect, secrets, deliveries, automations] = await Promise.all([
    loadShop(ctx.shopId),
    withShop(ctx.shopId, listMembers),
    withShop(ctx.shopId, (tx) => listPendingInvitations(tx)),
    withShop(ctx.shopId, listApiKeys),
    withShop(ctx.shopId, listPolicies),
    withShop(ctx.shopId, (tx) => currentPolicy(tx, new Date())),
    withShop(ctx.shopId, (tx) => listWebhookSecrets(tx)),
    withShop(ctx.shopId, (tx) => listWebhookDeliveries(tx, 20)),
    withShop(ctx.shopId, listAutomations),
  ]);
  const endpoint = `${publicBaseUrl()}/api/webhooks/${ctx.shopId}`;
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
        <ShopSettingsForm canEdit={canEdit} shop={{ name: shop.name, currency: shop.currency, country: shop.country, timeZone: shop.timeZone, marginPct: shop.marginBp / 100, attributionDays: shop.attributionDays }} />
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
      <Card className="mt-6" id="webhook">
        <CardTitle className="mb-1">Webhook</CardTitle>
        <p className="mb-4 text-sm text-slate-600">
          Your store or checkout posts signed events (new customers, orders, abandoned carts, campaign triggers) to this address, signed with the
          secret as Standard Webhooks describes (<code>webhook-id</code>, <code>webhook-timestamp</code>, <code>webhook-signature</code>). A
          secret is shown once; rotating keeps the previous one working for 24 hours.
        </p>
        <div className="mb-4 flex items-center gap-2">
          <code className="break-all rounded-lg border border-slate-200 bg-slate-50 px-3 py-2 font-mono text-sm" aria-label="Webhook endpoint">
            {endpoint}
          </code>
          <CopyButton text={endpoint} label="Copy the webhook endpoint" />
        </div>
        <ul className="mb-4 divide-y divide-slate-100 text-sm" aria-label="Active webhook secrets">
          {secrets.map((s) => (
            <li key={s.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
              <span className="font-mono text-xs text-slate-600">{s.hint}</span>
              <span className="text-xs text-slate-500">
                created {formatDateTime(s.createdAt, shop.timeZone)} · {s.expiresAt ? `works until ${formatDateTime(s.expiresAt, shop.timeZone)}` : "in use"}
              </span>
            </li>
          ))}
        </ul>
        <RotateWebhookSecretForm canEdit={canEdit} />
        <h3 className="mb-2 mt-6 text-sm font-medium text-slate-700">Latest deliveries</h3>
        {deliveries.length === 0 ? (
          <p className="text-sm text-slate-600">No delivery received yet. Signed deliveries appear here with their type and status.</p>
        ) : (
          <table className="w-full text-left text-sm" aria-label="Latest webhook deliveries">
            <thead className="text-xs text-slate-500">
              <tr>
                <th className="py-1 font-medium">Received</th>
                <th className="py-1 font-medium">Type</th>
                <th className="py-1 font-medium">Status</th>
                <th className="py-1 font-medium">Delivery id</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {deliveries.map((d) => (
                <tr key={d.id}>
                  <td className="py-1.5">{formatDateTime(d.receivedAt, shop.timeZone)}</td>
                  <td className="py-1.5 font-mono text-xs">{d.type}</td>
                  <td className="py-1.5">
                    <Badge tone={d.status === "accepted" ? "green" : "red"}>{d.status}</Badge>
                    {d.error && <span className="block text-xs text-slate-500">{d.error}</span>}
                  </td>
                  <td className="py-1.5 font-mono text-xs text-slate-500">{d.id}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <Card className="mt-6" id="automations">
        <CardTitle className="mb-1">Automations</CardTitle>
        <p className="mb-4 text-sm text-slate-600">
          Ready-made campaigns that run on their own once you switch them on. They reach only customers who said yes to that kind of message,
          within your weekly limits and quiet hours, and hold 10 % out to measure them.
        </p>
        <ul className="divide-y divide-slate-100 text-sm" aria-label="Automations">
          {automations.map((a) => (
            <li key={a.key} className="flex flex-wrap items-center justify-between gap-3 py-3">
              <span>
                <span className="font-medium">{a.name}</span> <Badge tone={a.on ? "green" : "neutral"}>{a.on ? "on" : "off"}</Badge>
                <span className="block text-xs text-slate-500">{a.describe}</span>
                {a.campaignId && (
                  <Link href={`/campaigns/${a.campaignId}`} className="text-xs text-brand-700 hover:underline">
                    Its campaign: messages, opt-outs and lift
                  </Link>
                )}
              </span>
              <AutomationSwitch automation={a} canEdit={canEdit} />
            </li>
          ))}
        </ul>
      </Card>
      <Card className="mt-6" id="policies">
        <CardTitle className="mb-1">Privacy and marketing policy</CardTitle>
        <p className="mb-4 text-sm text-slate-600">
          Each consent a customer gives records the version in effect and the SHA-256 of its text, so you can show later exactly what they agreed to.
        </p>
        {policies.length === 0 ? (
          <p className="mb-6 text-sm text-slate-600">No version published yet: customers see no policy text on their preference page.</p>
        ) : (
          <ul className="mb-6 divide-y divide-slate-100 text-sm" aria-label="Policy versions">
            {policies.map((p) => (
              <li key={p.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <span>
                  <Link href={`/settings/policies/${p.id}`} className="font-medium text-brand-700 hover:underline">
                    {p.version}
                  </Link>{" "}
                  {p.id === inEffect?.id ? <Badge tone="green">in effect</Badge> : p.effectiveAt > new Date() ? <Badge tone="blue">scheduled</Badge> : null}
                  <span className="block text-xs text-slate-500">
                    from {formatDate(p.effectiveAt, shop.timeZone)} · {p.length} characters · published {formatDate(p.createdAt, shop.timeZone)}
                  </span>
                </span>
                <code className="font-mono text-xs text-slate-500" title={p.sha256}>
                  SHA-256 {p.sha256.slice(0, 16)}…
                </code>
              </li>
            ))}
          </ul>
        )}
        <PublishPolicyForm canEdit={canEdit} today={new Date().toISOString().slice(0, 10)} draft={inEffect?.text ?? ""} />
      </Card>
      <Card className="mt-6">
        <CardTitle className="mb-1">Retention of raw events</CardTitle>
        <p className="mb-4 text-sm text-slate-600">
          Browsing, cart and checkout events are kept only as long as the purpose they serve needs them, then removed by a daily purge
          (also <code>npx regulars purge --shop …</code>). Orders and the consent log are not raw events: the consent log is proof and is never purged.
        </p>
        <RetentionForm canEdit={canEdit} months={{ marketing: shop.retentionMarketingMonths, personalization: shop.retentionPersonalizationMonths, other: shop.retentionMonths }} />
      </Card>
    </>
  );
}
