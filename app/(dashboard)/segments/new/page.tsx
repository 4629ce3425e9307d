import type { Metadata } from "next";
import Link from "next/link";
import { requireShop } from "@/app/_server/require-shop";
import { RuleBuilder } from "@/components/segments/rule-builder";
import { withShop } from "@/lib/db/tenant";
import { builderOptions } from "@/lib/segments/builder-options";

export const metadata: Metadata = { title: "New segment" };

export default async function NewSegmentPage() {
  const ctx = await requireShop({ role: "owner" });
  const options = await withShop(ctx.shopId, builderOptions);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/segments" className="text-brand-700 hover:underline">
          Segments
        </Link>
      </nav>
      <h1 className="mb-6 text-2xl font-semibold tracking-tight">New segment</h1>
      <RuleBuilder
        id={null}
        initial={{ name: "", description: "", rules: { match: "all", conditions: [{ field: "orderCount", op: "gte", value: 2 }] } }}
        {...options}
      />
    </>
  );
}
