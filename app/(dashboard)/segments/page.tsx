import type { Metadata } from "next";
import Link from "next/link";
import { requireShop } from "@/app/_server/require-shop";
import { loadShop } from "@/app/_server/loaders";
import { formatCount, formatDateTime, timeAgo } from "@/components/format";
import { ModelSummary } from "@/components/segments/model-summary";
import { RefreshButton } from "@/components/segments/refresh-button";
import { buttonClass } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { FormMessage } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { withShop } from "@/lib/db/tenant";
import { readEnv } from "@/lib/env";
import { countCustomers, getRefreshState, listSegments, type SegmentRow } from "@/lib/segments/read-segments";

export const metadata: Metadata = { title: "Segments" };

export default async function SegmentsPage() {
  const ctx = await requireShop();
  const [shop, { segments, state, customers }] = await Promise.all([
    loadShop(ctx.shopId),
    withShop(ctx.shopId, async (tx) => ({ segments: await listSegments(tx), state: await getRefreshState(tx), customers: await countCustomers(tx) })),
  ]);
  const last = state.last;
  const scored = last?.customers ?? 0;
  const families = [...new Set(segments.map((s) => s.familyName))];
  const owner = ctx.role === "owner";
  const refreshHours = readEnv().SEGMENT_REFRESH_HOURS;

  return (
    <>
      <PageHeader
        title="Segments"
        description={
          last ? (
            <>
              Computed {timeAgo(last.startedAt)} ({formatDateTime(last.startedAt, shop.timeZone)}) from {formatCount(scored)} customers with orders (net of
              refunds; cancelled and refunded orders left out). Refreshed after
              each import{refreshHours > 0 ? ` and every ${refreshHours === 24 ? "day" : `${refreshHours} hours`}` : ""}.
            </>
          ) : (
            "Not computed yet."
          )
        }
        actions={<RefreshButton canRefresh={owner} />}
      />
      {state.lastFailure && (
        <div className="mb-6">
          <FormMessage>The last refresh failed: {state.lastFailure.failure ?? "unknown error"} The segments below are from the one before.</FormMessage>
        </div>
      )}
      {!last ? (
        <EmptyState
          title="No segments yet"
          action={
            <Link href="/imports" className={buttonClass("secondary")}>
              Import orders
            </Link>
          }
        >
          Segments group your customers by how recently, how often and how much they buy. They are computed from orders: import orders, then refresh.
        </EmptyState>
      ) : (
        <>
          {scored === 0 && (
            <div className="mb-6">
              <EmptyState title="No orders yet">Every segment is empty until there are orders to learn from. Import orders and the segments fill in.</EmptyState>
            </div>
          )}
          {last.summary && <ModelSummary summary={last.summary} />}
          <div className="mt-6 space-y-6">
            {families.map((family) => (
              <SegmentTable key={family} title={family} rows={segments.filter((s) => s.familyName === family)} customers={customers} />
            ))}
            {!families.includes("Your segments") && (
              <Card>
                <CardTitle>Your segments</CardTitle>
                <p className="mt-2 text-sm text-slate-600">Build your own: conditions on orders, spend, predicted value, events, consent, time zone or language.</p>
              </Card>
            )}
          </div>
          {owner && (
            <div className="mt-4">
              <Link href="/segments/new" className={buttonClass()}>
                New segment
              </Link>
            </div>
          )}
        </>
      )}
    </>
  );
}

function SegmentTable({ title, rows, customers }: { title: string; rows: SegmentRow[]; customers: number }) {
  return (
    <section aria-labelledby={`family-${rows[0]?.family ?? "none"}`}>
      <h2 id={`family-${rows[0]?.family ?? "none"}`} className="text-lg font-semibold">
        {title}
      </h2>
      <p className="mb-2 text-sm text-slate-600">{rows[0]?.familyNote}</p>
      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              <th scope="col" className="w-48 px-4 py-2 font-medium">Segment</th>
              <th scope="col" className="w-24 px-4 py-2 text-right font-medium">Customers</th>
              <th scope="col" className="w-20 px-4 py-2 text-right font-medium" title="Share of all customers">Share</th>
              <th scope="col" className="px-4 py-2 font-medium">Who is in it</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((s) => (
              <tr key={s.id}>
                <td className="px-4 py-2">
                  <Link href={`/segments/${s.id}`} className="font-medium text-brand-700 hover:underline">
                    {s.name}
                  </Link>
                </td>
                <td className="px-4 py-2 text-right tabular-nums">{formatCount(s.size)}</td>
                <td className="px-4 py-2 text-right tabular-nums text-slate-600">{customers > 0 ? `${Math.round((100 * s.size) / customers)} %` : "—"}</td>
                <td className="px-4 py-2 text-slate-600">{s.summary}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
