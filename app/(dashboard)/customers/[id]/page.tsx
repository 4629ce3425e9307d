import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireShop } from "@/app/_server/require-shop";
import { loadShop } from "@/app/_server/loaders";
import { WithdrawOnBehalfForm } from "@/components/consent/withdraw-on-behalf-form";
import { ConsentGrid } from "@/components/customers/consent-grid";
import { CustomerPrivacyActions } from "@/components/customers/customer-privacy-actions";
import { formatCount, formatDate, formatDateTime, formatMoney, fullName } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Card, CardTitle } from "@/components/ui/card";
import { getCustomer } from "@/lib/customers/get-customer";
import { withShop } from "@/lib/db/tenant";
import { isAppError } from "@/lib/errors";
import { customerSegments } from "@/lib/segments/read-segments";
import { createPreferenceLinkAction, eraseCustomerAction } from "./actions";
import { withdrawOnBehalfAction } from "./consent-actions";

export const metadata: Metadata = { title: "Customer" };

const ORDER_STATUS_WORDS = {
  paid: "Paid",
  pending: "Payment pending",
  partially_refunded: "Partly refunded",
  refunded: "Refunded, not counted",
  cancelled: "Cancelled, not counted",
  failed: "Failed, not counted",
} as const;

export default async function CustomerPage({ params }: { params: Promise<{ id: string }> }) {
  const { shopId, role } = await requireShop();
  const { id } = await params;
  const [shop, detail] = await Promise.all([
    loadShop(shopId),
    withShop(shopId, async (tx) => ({ ...(await getCustomer(tx, id)), segments: await customerSegments(tx, id) })).catch((e) => {
      if (isAppError(e, "not_found")) notFound();
      throw e;
    }),
  ]);
  const { customer, totals } = detail;
  const { score, segments } = detail.segments;
  const tz = shop.timeZone;

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/customers" className="text-brand-700 hover:underline">
          Customers
        </Link>
      </nav>
      <h1 className="text-2xl font-semibold tracking-tight">{fullName(customer)}</h1>
      <p className="mt-1 text-sm text-slate-600">
        {customer.email ?? "no email"} · {customer.phone ?? "no phone"} · {customer.externalId ? `id ${customer.externalId}` : "no external id"} · customer since{" "}
        {formatDate(customer.createdAt, tz)}
      </p>

      <div className="mt-6 grid gap-4 md:grid-cols-3">
        <Card>
          <CardTitle>Orders</CardTitle>
          <p className="mt-2 text-2xl font-semibold tabular-nums">{formatCount(totals.orders)}</p>
          <p className="text-xs text-slate-500">
            first {formatDate(totals.firstOrderAt, tz)}, last {formatDate(totals.lastOrderAt, tz)}
          </p>
        </Card>
        <Card>
          <CardTitle>Spent to date</CardTitle>
          <p className="mt-2 text-2xl font-semibold tabular-nums">{formatMoney(totals.spentMinor, shop.currency)}</p>
          <p className="text-xs text-slate-500">
            average order {totals.orders ? formatMoney(Math.round(totals.spentMinor / totals.orders), shop.currency) : "—"}; net of refunds, cancelled
            orders left out
          </p>
        </Card>
        <Card>
          <CardTitle>Profile</CardTitle>
          <dl className="mt-2 grid grid-cols-2 gap-1 text-sm">
            <dt className="text-slate-500">Time zone</dt>
            <dd>{customer.timeZone ?? "—"}</dd>
            <dt className="text-slate-500">Locale</dt>
            <dd>{customer.locale ?? "—"}</dd>
          </dl>
        </Card>
      </div>

      <div className="mt-6 grid gap-4 lg:grid-cols-2">
        <Card>
          <CardTitle className="mb-3">Predicted value</CardTitle>
          {score ? (
            <>
              <p className="text-2xl font-semibold tabular-nums">
                {formatMoney(score.predictedValueMinor, shop.currency)}
                <span className="ml-2 text-sm font-normal text-slate-500">{score.valueBasis === "model" ? "margin, next 12 months" : "margin to date (history)"}</span>
              </p>
              {score.predictedValueLowMinor !== null && score.predictedValueHighMinor !== null && (
                <p className="text-xs text-slate-500">
                  90 % interval {formatMoney(score.predictedValueLowMinor, shop.currency)}–{formatMoney(score.predictedValueHighMinor, shop.currency)}
                </p>
              )}
              <p className="mt-2 text-sm text-slate-700">{score.predictionReason}</p>
              <p className="mt-2 text-xs text-slate-500">Computed {formatDateTime(score.computedAt, tz)}.</p>
            </>
          ) : (
            <p className="text-sm text-slate-600">No prediction: {totals.orders === 0 ? "this customer has no orders yet." : "segments have not been refreshed since their first order."}</p>
          )}
        </Card>
        <Card>
          <CardTitle className="mb-3">Segments ({segments.length})</CardTitle>
          {segments.length === 0 ? (
            <p className="text-sm text-slate-600">In no segment right now.</p>
          ) : (
            <ul className="space-y-2 text-sm">
              {segments.map((s) => (
                <li key={s.id}>
                  <Link href={`/segments/${s.id}`} className="font-medium text-brand-700 hover:underline">
                    {s.name}
                  </Link>
                  <span className="block text-slate-600">{s.reason}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>

      <div className="mt-6 grid gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardTitle className="mb-3">Consent now</CardTitle>
          <ConsentGrid state={detail.consentState} />
          {customer.contactBudgetPerWeek !== null && (
            <p className="mt-3 text-sm text-slate-600">
              Their own limit: {customer.contactBudgetPerWeek === 0 ? "no messages at all" : `at most ${customer.contactBudgetPerWeek} a week`}.
            </p>
          )}
          <p className="mt-3 text-sm">
            <Link href={`/consent?customer=${customer.id}`} className="text-brand-700 underline">
              Their events in the consent log
            </Link>
          </p>
          {role === "owner" && detail.consentHistory.length > 0 && (
            <details className="mt-4 rounded-lg border border-slate-200 px-3 py-2">
              <summary className="cursor-pointer text-sm font-medium text-slate-700">Withdraw on the customer&apos;s behalf</summary>
              <div className="mt-3">
                <WithdrawOnBehalfForm customerId={customer.id} action={withdrawOnBehalfAction} />
              </div>
            </details>
          )}
        </Card>
        <Card>
          <CardTitle className="mb-3">Privacy</CardTitle>
          {customer.erasedAt && <p className="mb-3 text-sm text-slate-600">Erased on {formatDate(customer.erasedAt, tz)} at their request.</p>}
          {role === "owner" ? (
            <CustomerPrivacyActions customerId={customer.id} erased={customer.erasedAt !== null} createLink={createPreferenceLinkAction} erase={eraseCustomerAction} />
          ) : (
            <p className="text-sm text-slate-600">Only an owner can send a preference link, download or erase a customer&apos;s data.</p>
          )}
        </Card>
      </div>

      <Card className="mt-6">
        <CardTitle className="mb-3">Orders ({formatCount(totals.orders)})</CardTitle>
        {detail.orders.length === 0 ? (
          <p className="text-sm text-slate-600">No orders yet.</p>
        ) : (
          <table className="w-full text-sm">
            <thead>
              <tr className="text-left text-slate-500">
                <th scope="col" className="py-1 font-medium">Order</th>
                <th scope="col" className="py-1 font-medium">Placed</th>
                <th scope="col" className="py-1 font-medium">Items</th>
                <th scope="col" className="py-1 font-medium">Channel</th>
                <th scope="col" className="py-1 text-right font-medium">Total</th>
              </tr>
            </thead>
            <tbody>
              {detail.orders.map((o) => (
                <tr key={o.id} className="border-t border-slate-100 align-top">
                  <td className="py-1.5 font-mono text-xs">{o.externalId}</td>
                  <td className="py-1.5">{formatDateTime(o.placedAt, tz)}</td>
                  <td className="py-1.5 text-slate-700">
                    {o.items.map((i) => `${i.quantity} × ${i.name}`).join(", ") || "—"}
                  </td>
                  <td className="py-1.5">{o.channel}</td>
                  <td className="py-1.5 text-right tabular-nums">
                    <span className={o.status === "cancelled" || o.status === "refunded" || o.status === "failed" ? "text-slate-400 line-through" : undefined}>
                      {formatMoney(o.totalMinor, o.currency)}
                    </span>
                    {o.status !== "paid" && (
                      <span className="block text-xs text-slate-500">
                        {ORDER_STATUS_WORDS[o.status]}
                        {o.refundedMinor > 0 && o.status !== "refunded" ? `: ${formatMoney(o.refundedMinor, o.currency)} refunded` : ""}
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>

      <div className="mt-6 grid gap-4 lg:grid-cols-2">
        <Card>
          <CardTitle className="mb-3">Consent history ({detail.consentHistory.length})</CardTitle>
          {detail.consentHistory.length === 0 ? (
            <p className="text-sm text-slate-600">No consent recorded: this customer receives no marketing.</p>
          ) : (
            <ol className="space-y-2 text-sm">
              {detail.consentHistory.map((e) => (
                <li key={e.id} className="rounded-lg border border-slate-100 p-2">
                  <div className="flex flex-wrap items-center gap-2">
                    <Badge tone={e.action === "grant" ? "green" : "red"}>{e.action}</Badge>
                    <span className="font-medium">
                      {e.channel} · {e.purpose}
                    </span>
                    <span className="text-slate-500">{formatDateTime(e.occurredAt, tz)}</span>
                  </div>
                  <p className="mt-1 text-xs text-slate-500">
                    via {e.method.replace(/_/g, " ")} by {e.actorType}
                    {e.policySha256 ? ` · policy ${e.policySha256.slice(0, 8)}` : ""} · entry #{e.seq} · hash {e.hash.slice(0, 12)}
                  </p>
                </li>
              ))}
            </ol>
          )}
        </Card>
        <Card>
          <CardTitle className="mb-3">Recent activity ({detail.events.length})</CardTitle>
          {detail.events.length === 0 ? (
            <p className="text-sm text-slate-600">No browsing or cart events recorded.</p>
          ) : (
            <ul className="space-y-1 text-sm">
              {detail.events.map((e) => (
                <li key={e.id} className="flex justify-between gap-2 border-t border-slate-100 py-1">
                  <span className="font-mono text-xs">{e.type}</span>
                  <span className="text-slate-500">{formatDateTime(e.occurredAt, tz)}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </>
  );
}
