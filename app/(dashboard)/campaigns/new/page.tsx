import type { Metadata } from "next";
import Link from "next/link";
import { loadShop } from "@/app/_server/loaders";
import { requireShop } from "@/app/_server/require-shop";
import { CampaignForm } from "@/components/campaigns/campaign-form";
import { EmptyState } from "@/components/ui/empty-state";
import { buttonClass } from "@/components/ui/button";
import { MERGE_FIELDS } from "@/lib/campaigns/message-template";
import { withShop } from "@/lib/db/tenant";
import { listSegments } from "@/lib/segments/read-segments";

export const metadata: Metadata = { title: "New campaign" };

export default async function NewCampaignPage() {
  const ctx = await requireShop({ role: "owner" });
  const [shop, segments] = await Promise.all([loadShop(ctx.shopId), withShop(ctx.shopId, listSegments)]);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/campaigns" className="text-brand-700 hover:underline">Campaigns</Link>
      </nav>
      <h1 className="mb-6 text-2xl font-semibold tracking-tight">New campaign</h1>
      {segments.length === 0 ? (
        <EmptyState title="No segments yet" action={<Link href="/segments" className={buttonClass("secondary")}>Segments</Link>}>
          A campaign goes to a segment. Import orders so the segments fill in, or build one of your own.
        </EmptyState>
      ) : (
        <CampaignForm
          segments={segments.map((s) => ({ id: s.id, name: s.name, size: s.size }))}
          mergeFields={Object.entries(MERGE_FIELDS).map(([key, help]) => ({ key, help }))}
          currency={shop.currency}
        />
      )}
    </>
  );
}
