import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { loadShop } from "@/app/_server/loaders";
import { requireShop } from "@/app/_server/require-shop";
import { CampaignButtons } from "@/components/campaigns/campaign-buttons";
import { CampaignFunnel } from "@/components/campaigns/campaign-funnel";
import { CHANNEL_LABELS, PURPOSE_LABELS, StatusBadge } from "@/components/campaigns/status-badge";
import { formatCount, formatDateTime, formatMoney, formatPercent } from "@/components/format";
import { buttonClass } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/field";
import { Skeleton } from "@/components/ui/skeleton";
import { previewCampaign, type CampaignPreview } from "@/lib/campaigns/preview-campaign";
import { getCampaignDetail } from "@/lib/campaigns/read-campaigns";
import { withShop } from "@/lib/db/tenant";
import { isAppError } from "@/lib/errors";
import { CampaignResults } from "./results";

export const metadata: Metadata = { title: "Campaign" };

const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);

export default async function CampaignPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await requireShop();
  const { id } = await params;
  const query = await searchParams;
  const shop = await loadShop(ctx.shopId);
  let detail;
  try {
    detail = await withShop(ctx.shopId, (tx) => getCampaignDetail(tx, id));
  } catch (e) {
    if (isAppError(e, "not_found")) notFound();
    throw e;
  }
  const { campaign: c, counts, latestRun } = detail;
  const owner = ctx.role === "owner";
  let preview: CampaignPreview | null = null;
  let previewError: string | null = null;
  if (c.status === "draft") {
    try {
      preview = await withShop(ctx.shopId, (tx) => previewCampaign(tx, id, { customerId: one(query.customer), variantKey: one(query.variant) }));
    } catch (e) {
      if (!isAppError(e)) throw e;
      previewError = e.message;
    }
  }
  const facts: [string, React.ReactNode][] = [
    ["Channel", `${CHANNEL_LABELS[c.channel]} · ${PURPOSE_LABELS[c.purpose]}`],
    ["Segment", c.segmentName ?? "none (choose one before approving)"],
    ["Holdout", `${c.holdoutPct} %`],
    ["Schedule", c.scheduledAt ? `${formatDateTime(c.scheduledAt, shop.timeZone)}` : "as soon as it is approved"],
    ["Cost", formatMoney(c.costMinor, shop.currency)],
    ["Offer", c.offer ? "yes (a discount or coupon)" : "no"],
    ["Approved", c.approvedAt ? formatDateTime(c.approvedAt, shop.timeZone) : "not yet"],
  ];

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/campaigns" className="text-brand-700 hover:underline">Campaigns</Link>
      </nav>
      <div className="mb-6 flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="flex items-center gap-3 text-2xl font-semibold tracking-tight">{c.name} <StatusBadge status={c.status} /></h1>
          <dl className="mt-2 grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-3">
            {facts.map(([k, v]) => (
              <div key={k} className="flex gap-2"><dt className="text-slate-500">{k}</dt><dd className="text-slate-800">{v}</dd></div>
            ))}
          </dl>
          <p className="mt-2 text-sm">
            <Link href={`/metrics/fairness?campaign=${c.id}`} className="text-brand-700 hover:underline">Fairness and contact burden</Link>
            <span className="text-slate-500"> · who it reaches by lifecycle, spend, region and language</span>
          </p>
        </div>
        {owner && (
          <div className="flex flex-wrap items-start gap-2">
            {c.status === "draft" && <Link href={`/campaigns/${c.id}/edit`} className={buttonClass("secondary")}>Edit</Link>}
            <CampaignButtons campaignId={c.id} status={c.status} hasQueued={counts.queued > 0} />
          </div>
        )}
      </div>
      {c.status === "paused" && c.pausedReason && <div className="mb-6"><FormMessage>{c.pausedReason}</FormMessage></div>}

      <section aria-label="Messages" className="mb-6 grid gap-4 sm:grid-cols-5">
        {([["Queued", counts.queued], ["Sent", counts.sent], ["Skipped at sending", counts.skipped], ["Failed", counts.failed]] as const).map(([label, n]) => (
          <Card key={label}><CardTitle>{label}</CardTitle><p className="mt-1 text-2xl font-semibold tabular-nums" data-testid={`count-${label.split(" ")[0]!.toLowerCase()}`}>{formatCount(n)}</p></Card>
        ))}
        <Card>
          <CardTitle>Opt-out rate</CardTitle>
          <p className="mt-1 text-2xl font-semibold tabular-nums">{counts.optOutRate === null ? "–" : formatPercent(counts.optOutRate)}</p>
          <p className="text-xs text-slate-500">{counts.optOuts} of {counts.delivered} sent; pauses above {c.optOutThresholdBp / 100} % once {c.optOutMinCount} opted out</p>
        </Card>
      </section>

      {c.status !== "draft" && (
        <Suspense fallback={<Skeleton className="mb-6 h-64" />}>
          <CampaignResults shopId={ctx.shopId} campaign={c} timeZone={shop.timeZone} currency={shop.currency} />
        </Suspense>
      )}

      {c.status === "draft" && (
        <section aria-labelledby="preview-title" className="mb-6 space-y-4">
          <h2 id="preview-title" className="text-lg font-semibold">Preview before approval</h2>
          <p className="text-sm text-slate-600">Who would get it if it were approved now, and why the others would not. Nothing is written or sent by a preview.</p>
          {previewError && <FormMessage>{previewError}</FormMessage>}
          {preview && <PreviewSection preview={preview} campaignId={c.id} variantKeys={detail.variants.map((v) => v.key)} />}
        </section>
      )}

      {latestRun && (
        <section aria-labelledby="run-title" className="mb-6">
          <h2 id="run-title" className="mb-2 text-lg font-semibold">Targeting</h2>
          <p className="mb-3 text-sm text-slate-600">
            Decided {formatDateTime(latestRun.decidedAt, shop.timeZone)} ({latestRun.trigger}){detail.runs > 1 ? `; the latest of ${detail.runs} runs` : ""}.
          </p>
          <CampaignFunnel steps={latestRun.steps} arms={latestRun.arms} sampleRatio={latestRun.sampleRatio} />
        </section>
      )}

      <section aria-labelledby="variants-title" className="mb-6">
        <h2 id="variants-title" className="mb-2 text-lg font-semibold">Variants</h2>
        <div className="grid gap-4 md:grid-cols-2">
          {detail.variants.map((v) => (
            <Card key={v.id}>
              <CardTitle>Variant {v.key} · weight {v.weight}{v.paused ? " · paused" : ""}</CardTitle>
              {v.subject && <p className="mt-2 text-sm"><span className="text-slate-500">Subject:</span> {v.subject}</p>}
              <pre className="mt-2 whitespace-pre-wrap rounded-lg bg-slate-50 p-3 font-sans text-sm text-slate-800">{v.body}</pre>
              <p className="mt-2 text-xs text-slate-500">{v.sent} sent · {v.queued} queued · {v.skipped} skipped</p>
            </Card>
          ))}
        </div>
      </section>

      {detail.decisions.length > 0 && (
        <section aria-labelledby="decisions-title" className="mb-6">
          <h2 id="decisions-title" className="mb-2 text-lg font-semibold">Latest decisions</h2>
          <p className="mb-2 text-sm text-slate-600">{detail.decisions.length} of {latestRun?.funnel.considered ?? 0} customers considered in the latest run.</p>
          <Table head={["Customer", "Decision", "Variant"]} rows={detail.decisions.map((d) => [
            <Link key="c" href={`/customers/${d.customerId}`} className="text-brand-700 hover:underline">{d.name}</Link>, d.reason, d.variantKey ?? "–",
          ])} caption="Latest decisions with their reasons" />
        </section>
      )}

      <section aria-labelledby="sends-title">
        <h2 id="sends-title" className="mb-2 text-lg font-semibold">Messages</h2>
        {detail.sends.length === 0 ? (
          <p className="rounded-xl border border-dashed border-slate-300 bg-white px-4 py-6 text-center text-sm text-slate-600">
            No messages yet{c.status === "draft" ? ": a draft sends nothing until an owner approves it." : c.status === "approved" ? ": they are queued when the schedule comes." : "."}
          </p>
        ) : (
          <>
            <p className="mb-2 text-sm text-slate-600">The latest {detail.sends.length} of {formatCount(counts.queued + counts.sent + counts.skipped + counts.failed)} messages.</p>
            <Table head={["Customer", "Status", "Variant", "When", "Note"]} caption="Messages with their status" rows={detail.sends.map((s) => [
              <Link key="c" href={`/customers/${s.customerId}`} className="text-brand-700 hover:underline">{s.name}</Link>,
              s.status, s.variantKey ?? "–", formatDateTime(s.at, shop.timeZone), s.skipReason ? `skipped: ${s.skipReason.replaceAll("_", " ")}` : s.lastError ?? "",
            ])} />
          </>
        )}
      </section>
    </>
  );
}

function PreviewSection({ preview, campaignId, variantKeys }: { preview: CampaignPreview; campaignId: string; variantKeys: string[] }) {
  const m = preview.message;
  return (
    <>
      <CampaignFunnel steps={preview.steps} arms={preview.arms} sampleRatio={preview.sampleRatio} />
      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <CardTitle>A sample of {preview.sample.length} of {preview.funnel.considered} customers</CardTitle>
          <ul className="mt-2 divide-y divide-slate-100 text-sm">
            {preview.sample.map((s) => (
              <li key={s.customerId} className="flex items-baseline justify-between gap-3 py-1.5">
                <span>
                  <Link href={`/campaigns/${campaignId}?customer=${s.customerId}`} className="text-brand-700 hover:underline" aria-label={`Preview the message for ${s.name}`}>{s.name}</Link>
                  {s.variantKey && <span className="ml-2 text-xs text-slate-500">variant {s.variantKey}</span>}
                </span>
                <span className={s.outcome === "queued" ? "text-brand-700" : "text-slate-600"}>{s.reason}</span>
              </li>
            ))}
          </ul>
        </Card>
        <Card aria-labelledby="message-title">
          <h3 id="message-title" className="text-sm font-semibold text-slate-700">{m ? `The message for ${m.name} (variant ${m.variantKey})` : "No customer to preview"}</h3>
          {m && (
            <>
              <nav aria-label="Variant to preview" className="mt-1 flex gap-2 text-xs">
                {variantKeys.map((k) => (
                  <Link key={k} href={`/campaigns/${campaignId}?customer=${m.customerId}&variant=${k}`} aria-current={k === m.variantKey ? "true" : undefined}
                    className={k === m.variantKey ? "font-semibold text-slate-900" : "text-brand-700 hover:underline"}>Variant {k}</Link>
                ))}
              </nav>
              {m.email && <p className="mt-2 text-sm"><span className="text-slate-500">Subject:</span> <span data-testid="preview-subject">{m.email.subject}</span></p>}
              <pre data-testid="preview-body" className="mt-2 max-h-96 overflow-auto whitespace-pre-wrap rounded-lg bg-slate-50 p-3 font-sans text-sm text-slate-800">{m.email?.text ?? m.sms}</pre>
            </>
          )}
        </Card>
      </div>
    </>
  );
}

function Table({ head, rows, caption }: { head: string[]; rows: React.ReactNode[][]; caption: string }) {
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-left text-slate-600">
          <tr>{head.map((h) => <th key={h} scope="col" className="px-4 py-2 font-medium">{h}</th>)}</tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((r, i) => <tr key={i}>{r.map((cell, j) => <td key={j} className="px-4 py-2">{cell}</td>)}</tr>)}
        </tbody>
      </table>
    </div>
  );
}
