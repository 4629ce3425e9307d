import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireShop } from "@/app/_server/require-shop";
import { RuleBuilder } from "@/components/segments/rule-builder";
import { withShop } from "@/lib/db/tenant";
import { isAppError } from "@/lib/errors";
import { builderOptions } from "@/lib/segments/builder-options";
import { getSegment } from "@/lib/segments/read-segments";

export const metadata: Metadata = { title: "Edit segment" };

export default async function EditSegmentPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requireShop({ role: "owner" });
  const { id } = await params;
  const { segment, options } = await withShop(ctx.shopId, async (tx) => ({ segment: await getSegment(tx, id), options: await builderOptions(tx) })).catch((e) => {
    if (isAppError(e, "not_found")) notFound();
    throw e;
  });
  if (segment.kind !== "custom" || !segment.ruleTree) notFound();
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href={`/segments/${segment.id}`} className="text-brand-700 hover:underline">
          {segment.name}
        </Link>
      </nav>
      <h1 className="mb-6 text-2xl font-semibold tracking-tight">Edit segment</h1>
      <RuleBuilder id={segment.id} initial={{ name: segment.name, description: segment.description ?? "", rules: segment.ruleTree }} {...options} />
    </>
  );
}
