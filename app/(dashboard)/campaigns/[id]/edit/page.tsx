import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { loadShop } from "@/app/_server/loaders";
import { requireShop } from "@/app/_server/require-shop";
import { CampaignForm } from "@/components/campaigns/campaign-form";
import { FormMessage } from "@/components/ui/field";
import { MERGE_FIELDS } from "@/lib/campaigns/message-template";
import { getCampaignDetail, type CampaignDetail } from "@/lib/campaigns/read-campaigns";
import { withShop } from "@/lib/db/tenant";
import { isAppError } from "@/lib/errors";
import { listSegments } from "@/lib/segments/read-segments";

export const metadata: Metadata = { title: "Edit campaign" };

/** The stored draft named as the form's fields, in the units the form takes (schedule in UTC, cost in major units). */
function formValues({ campaign: c, variants }: CampaignDetail): Record<string, string> {
  const values: Record<string, string> = {
    name: c.name, segmentId: c.segmentId ?? "", channel: c.channel, purpose: c.purpose, holdoutPct: String(c.holdoutPct),
    scheduledAt: c.scheduledAt ? c.scheduledAt.toISOString().slice(0, 16) : "",
    cost: c.costMinor ? (c.costMinor / 100).toFixed(2) : "",
  };
  if (c.offer) values.offer = "on";
  variants.forEach((v, i) => {
    values[`variants.${i}.subject`] = v.subject ?? "";
    values[`variants.${i}.body`] = v.body;
    values[`variants.${i}.weight`] = String(v.weight);
  });
  return values;
}

export default async function EditCampaignPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requireShop();
  const { id } = await params;
  let detail;
  try {
    detail = await withShop(ctx.shopId, (tx) => getCampaignDetail(tx, id));
  } catch (e) {
    if (isAppError(e, "not_found")) notFound();
    throw e;
  }
  const c = detail.campaign;
  const refusal = ctx.role !== "owner" ? "Only an owner of this shop can edit a campaign."
    : c.status !== "draft" ? `This campaign is ${c.status}; only a draft can be edited, so what was approved is what is sent. Create a new campaign instead.`
    : null;
  const header = (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 flex gap-2 text-sm">
        <Link href="/campaigns" className="text-brand-700 hover:underline">Campaigns</Link>
        <span className="text-slate-400" aria-hidden="true">/</span>
        <Link href={`/campaigns/${c.id}`} className="text-brand-700 hover:underline">{c.name}</Link>
      </nav>
      <h1 className="mb-6 text-2xl font-semibold tracking-tight">Edit {c.name}</h1>
    </>
  );
  if (refusal) return <>{header}<FormMessage>{refusal}</FormMessage></>;
  const [shop, segments] = await Promise.all([loadShop(ctx.shopId), withShop(ctx.shopId, listSegments)]);
  return (
    <>
      {header}
      <CampaignForm
        segments={segments.map((s) => ({ id: s.id, name: s.name, size: s.size }))}
        mergeFields={Object.entries(MERGE_FIELDS).map(([key, help]) => ({ key, help }))}
        currency={shop.currency}
        campaignId={c.id}
        initial={formValues(detail)}
      />
    </>
  );
}
