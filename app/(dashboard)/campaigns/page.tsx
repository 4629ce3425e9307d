import type { Metadata } from "next";
import Link from "next/link";
import { loadShop } from "@/app/_server/loaders";
import { requireShop } from "@/app/_server/require-shop";
import { StatusBadge, CHANNEL_LABELS, PURPOSE_LABELS } from "@/components/campaigns/status-badge";
import { formatCount, formatDateTime, formatPercent } from "@/components/format";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { listCampaigns } from "@/lib/campaigns/read-campaigns";
import { withShop } from "@/lib/db/tenant";

export const metadata: Metadata = { title: "Campaigns" };

export default async function CampaignsPage() {
  const ctx = await requireShop();
  const [shop, rows] = await Promise.all([loadShop(ctx.shopId), withShop(ctx.shopId, listCampaigns)]);
  const owner = ctx.role === "owner";
  const newButton = owner ? <Link href="/campaigns/new" className={buttonClass()}>New campaign</Link> : undefined;
  return (
    <>
      <PageHeader
        title="Campaigns"
        description="Messages to a segment, sent only to customers with a current yes for the channel and purpose, within their limits and yours, with a holdout to measure what they earned."
        actions={newButton}
      />
      {rows.length === 0 ? (
        <EmptyState title="No campaigns yet" action={newButton}>
          A campaign starts as a draft: choose a segment and write the message, preview who would get it and why, then an owner approves it.
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <caption className="sr-only">Campaigns, newest first</caption>
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">Campaign</th>
                <th scope="col" className="px-4 py-2 font-medium">Status</th>
                <th scope="col" className="px-4 py-2 font-medium">Channel · purpose</th>
                <th scope="col" className="px-4 py-2 font-medium">Segment</th>
                <th scope="col" className="px-4 py-2 text-right font-medium">Queued</th>
                <th scope="col" className="px-4 py-2 text-right font-medium">Sent</th>
                <th scope="col" className="px-4 py-2 text-right font-medium">Skipped</th>
                <th scope="col" className="px-4 py-2 text-right font-medium">Opt-out rate</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((c) => (
                <tr key={c.id} className="align-top">
                  <td className="px-4 py-2">
                    <Link href={`/campaigns/${c.id}`} className="font-medium text-brand-700 hover:underline">{c.name}</Link>
                    {c.scheduledAt && <div className="text-xs text-slate-500">Scheduled {formatDateTime(c.scheduledAt, shop.timeZone)}</div>}
                    {c.pausedReason && c.status === "paused" && <div className="mt-1 max-w-md text-xs text-amber-800">{c.pausedReason}</div>}
                  </td>
                  <td className="px-4 py-2"><StatusBadge status={c.status} /></td>
                  <td className="px-4 py-2 text-slate-700">{CHANNEL_LABELS[c.channel]} · {PURPOSE_LABELS[c.purpose]}</td>
                  <td className="px-4 py-2 text-slate-700">{c.segmentName ?? <span className="text-slate-400">none</span>}</td>
                  <td className="px-4 py-2 text-right tabular-nums">{formatCount(c.counts.queued)}</td>
                  <td className="px-4 py-2 text-right tabular-nums">{formatCount(c.counts.sent)}</td>
                  <td className="px-4 py-2 text-right tabular-nums">{formatCount(c.counts.skipped)}</td>
                  <td className="px-4 py-2 text-right tabular-nums">
                    {c.counts.optOutRate === null ? <span className="text-slate-400">–</span> : `${formatPercent(c.counts.optOutRate)} `}
                    <span className="text-xs text-slate-500">({c.counts.optOuts} of {c.counts.delivered})</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
