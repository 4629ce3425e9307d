import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireShop } from "@/app/_server/require-shop";
import { loadShop } from "@/app/_server/loaders";
import { formatCount, formatDateTime, formatMoney, fullName, timeAgo } from "@/components/format";
import { DeleteSegmentButton } from "@/components/segments/delete-segment-button";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { withShop } from "@/lib/db/tenant";
import { isAppError } from "@/lib/errors";
import { describeRules } from "@/lib/segments/compile-rules";
import { getSegment, listSegmentMembers } from "@/lib/segments/read-segments";

export const metadata: Metadata = { title: "Segment" };

export default async function SegmentPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ after?: string }> }) {
  const ctx = await requireShop();
  const { id } = await params;
  const { after } = await searchParams;
  const [shop, data] = await Promise.all([
    loadShop(ctx.shopId),
    withShop(ctx.shopId, async (tx) => ({ segment: await getSegment(tx, id), page: await listSegmentMembers(tx, id, { after }) })).catch((e) => {
      if (isAppError(e, "not_found")) notFound();
      throw e;
    }),
  ]);
  const { segment, page } = data;
  const owner = ctx.role === "owner";
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/segments" className="text-brand-700 hover:underline">
          Segments
        </Link>
      </nav>
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        <div>
          <div className="flex items-center gap-2">
            <h1 className="text-2xl font-semibold tracking-tight">{segment.name}</h1>
            <Badge tone={segment.kind === "custom" ? "blue" : "neutral"}>{segment.familyName}</Badge>
          </div>
          {segment.description && <p className="mt-1 max-w-3xl text-sm text-slate-600">{segment.description}</p>}
          {segment.ruleTree && <p className="mt-1 text-sm text-slate-600">Rule: {describeRules(segment.ruleTree)}.</p>}
          <p className="mt-1 text-sm text-slate-500">
            {formatCount(segment.size)} customers ·{" "}
            {segment.refreshedAt ? `computed ${timeAgo(segment.refreshedAt)} (${formatDateTime(segment.refreshedAt, shop.timeZone)})` : "not computed yet"}
          </p>
        </div>
        <div className="flex gap-2">
          <a href={`/api/segments/${segment.id}/members`} className={buttonClass("secondary")} download>
            Download CSV
          </a>
          {owner && segment.kind === "custom" && (
            <>
              <Link href={`/segments/${segment.id}/edit`} className={buttonClass("secondary")}>
                Edit
              </Link>
              <DeleteSegmentButton id={segment.id} name={segment.name} />
            </>
          )}
        </div>
      </div>
      {page.members.length === 0 ? (
        <EmptyState title="Nobody in this segment right now">{after ? "No more members." : "When customers match, they appear here with the reason why."}</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <caption className="sr-only">Members of {segment.name}</caption>
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th scope="col" className="w-56 px-4 py-2 font-medium">Customer</th>
                <th scope="col" className="px-4 py-2 font-medium">Why</th>
                <th scope="col" className="w-32 px-4 py-2 text-right font-medium">Value, 12 months</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {page.members.map((m) => (
                <tr key={m.customerId} className="align-top">
                  <td className="px-4 py-2">
                    <Link href={`/customers/${m.customerId}`} className="font-medium text-brand-700 hover:underline">
                      {fullName(m)}
                    </Link>
                    {m.email && <div className="text-xs text-slate-500">{m.email}</div>}
                  </td>
                  <td className="px-4 py-2 text-slate-700">{m.reason}</td>
                  <td className="px-4 py-2 text-right tabular-nums">{m.predictedValueMinor === null ? "—" : formatMoney(m.predictedValueMinor, shop.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label="Pagination" className="mt-4 flex justify-between text-sm">
        {after ? (
          <Link href={`/segments/${segment.id}`} className="text-brand-700 hover:underline">
            First page
          </Link>
        ) : (
          <span />
        )}
        {page.next && (
          <Link href={`/segments/${segment.id}?after=${page.next}`} rel="next" className="text-brand-700 hover:underline">
            Next page
          </Link>
        )}
      </nav>
    </>
  );
}
