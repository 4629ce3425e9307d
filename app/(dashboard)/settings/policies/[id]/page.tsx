import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireShop } from "@/app/_server/require-shop";
import { loadShop } from "@/app/_server/loaders";
import { formatDate } from "@/components/format";
import { Card } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { PageHeader } from "@/components/ui/page-header";
import { findPolicy } from "@/lib/consent/policies";
import { withShop } from "@/lib/db/tenant";

export const metadata: Metadata = { title: "Policy version" };

export default async function PolicyVersionPage({ params }: { params: Promise<{ id: string }> }) {
  const { shopId } = await requireShop();
  const { id } = await params;
  const [shop, policy] = await Promise.all([loadShop(shopId), withShop(shopId, (tx) => findPolicy(tx, id))]);
  if (!policy) notFound();
  return (
    <>
      <PageHeader
        title={`Policy version ${policy.version}`}
        description={`In effect from ${formatDate(policy.effectiveAt, shop.timeZone)}. Published versions never change.`}
        actions={
          <Link href="/settings#policies" className="text-sm text-brand-700 underline">
            All versions
          </Link>
        }
      />
      <Card>
        <p className="mb-4 flex flex-wrap items-center gap-2 text-xs text-slate-600">
          SHA-256 of the text <code className="break-all font-mono text-slate-800">{policy.sha256}</code>
          <CopyButton text={policy.sha256} label="Copy the SHA-256" />
        </p>
        <div className="whitespace-pre-wrap text-sm leading-relaxed text-slate-800">{policy.text}</div>
      </Card>
    </>
  );
}
