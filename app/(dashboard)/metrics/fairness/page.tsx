import type { Metadata } from "next";
import Link from "next/link";
import { requireShop } from "@/app/_server/require-shop";
import { loadShop } from "@/app/_server/loaders";
import { FairnessReportView } from "@/components/metrics/fairness-report";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { withShop } from "@/lib/db/tenant";
import { isAppError } from "@/lib/errors";
import { getCampaignSendPeriod } from "@/lib/metrics/campaign-send-period";
import { getFairnessReport } from "@/lib/metrics/fairness-report";
import { addMonths, monthOf, parseFairnessQuery } from "@/lib/metrics/fairness-query";

export const metadata: Metadata = { title: "Fairness and contact burden" };

const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);

// ?campaign=ID&month=YYYY-MM (one month, default the current one), or from=…&to=… for a longer period.
// With a campaign and no period (the link from a campaign's page), the months it sent messages in.
export default async function FairnessPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { shopId } = await requireShop();
  const params = await searchParams;
  const shop = await loadShop(shopId);
  const current = monthOf(new Date(), shop.timeZone);
  const month = one(params.month);
  const campaign = one(params.campaign);
  const fallback = campaign && !month && !one(params.from) && !one(params.to)
    ? await withShop(shopId, (tx) => getCampaignSendPeriod(tx, campaign, { timeZone: shop.timeZone }))
    : { fromMonth: current, toMonth: current };
  const q = parseFairnessQuery(
    { campaign: params.campaign, from: month ?? one(params.from) ?? fallback.fromMonth, to: month ?? one(params.to) ?? fallback.toMonth },
    { timeZone: shop.timeZone },
  );
  let report;
  try {
    report = await withShop(shopId, (tx) => getFairnessReport(tx, { campaignId: q.campaignId, from: q.from, to: q.to }));
  } catch (e) {
    if (!isAppError(e, "not_found")) throw e;
    return (
      <>
        <PageHeader title="Fairness and contact burden" />
        <EmptyState title="Campaign not found" action={<Link href="/metrics/fairness" className="text-brand-700 hover:underline">See all campaigns</Link>}>
          There is no such campaign in this shop.
        </EmptyState>
      </>
    );
  }
  const single = q.fromMonth === q.toMonth;
  const period = single ? monthName(q.fromMonth) : `${monthName(q.fromMonth)} to ${monthName(q.toMonth)}`;
  const href = (m: { month?: string; from?: string; to?: string }) => {
    const s = new URLSearchParams();
    if (q.campaignId) s.set("campaign", q.campaignId);
    for (const [k, v] of Object.entries(m)) if (v) s.set(k, v);
    return `/metrics/fairness?${s.toString()}`;
  };
  const periods = [
    { label: "This month", href: href({ month: current }), active: single && q.fromMonth === current },
    { label: "Last 3 months", href: href({ from: addMonths(current, -2), to: current }), active: q.fromMonth === addMonths(current, -2) && q.toMonth === current },
    { label: "Last 12 months", href: href({ from: addMonths(current, -11), to: current }), active: q.fromMonth === addMonths(current, -11) && q.toMonth === current },
  ];

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/metrics" className="text-brand-700 hover:underline">Metrics</Link>
        {report.campaign && <> · <Link href={`/campaigns/${report.campaign.id}`} className="text-brand-700 hover:underline">{report.campaign.name}</Link></>}
      </nav>
      <PageHeader
        title="Fairness and contact burden"
        description={`Who ${report.campaign ? `“${report.campaign.name}”` : "your campaigns"} reached in ${period} (${shop.timeZone}), by lifecycle, spend, region, time zone and language, against who your consenting customers are.`}
      />
      <form method="get" action="/metrics/fairness" className="mb-6 flex flex-wrap items-end gap-3 text-sm">
        <label className="flex flex-col gap-1">
          <span className="text-slate-600">Campaign</span>
          <select name="campaign" defaultValue={q.campaignId ?? ""} className="rounded-lg border border-slate-300 bg-white px-3 py-1.5">
            <option value="">All campaigns (sent or sending)</option>
            {report.campaigns.map((c) => <option key={c.id} value={c.id}>{c.name}{c.offer ? " (offer)" : ""}</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-slate-600">Month</span>
          <input type="month" name="month" defaultValue={q.toMonth} className="rounded-lg border border-slate-300 bg-white px-3 py-1.5" />
        </label>
        <button type="submit" className="rounded-lg bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700">Show</button>
        <nav aria-label="Period" className="flex gap-3 pb-1.5">
          <Link href={href({ month: addMonths(q.fromMonth, -1) })} className="text-brand-700 hover:underline">← {monthName(addMonths(q.fromMonth, -1))}</Link>
          {periods.map((p) => (
            <Link key={p.label} href={p.href} aria-current={p.active ? "page" : undefined} className={p.active ? "font-semibold text-slate-900" : "text-brand-700 hover:underline"}>{p.label}</Link>
          ))}
        </nav>
      </form>
      <FairnessReportView report={report} />
    </>
  );
}

function monthName(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, 1)));
}
