import type { Metadata } from "next";
import { requireShop } from "@/app/_server/require-shop";
import { formatCount, formatDateTime } from "@/components/format";
import { ImportJob } from "@/components/imports/import-job";
import { UploadForm } from "@/components/imports/upload-form";
import { Badge } from "@/components/ui/badge";
import { Card, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { FormMessage } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { withShop } from "@/lib/db/tenant";
import { listImports } from "@/lib/ingest/list-imports";

export const metadata: Metadata = { title: "Imports" };

export default async function ImportsPage({ searchParams }: { searchParams: Promise<{ job?: string; error?: string }> }) {
  const ctx = await requireShop();
  const { job, error } = await searchParams;
  const history = await withShop(ctx.shopId, (tx) => listImports(tx));
  return (
    <>
      <PageHeader title="Imports" description="Bring in customers, orders, consent evidence and marketing spend from CSV exports." />
      {error && (
        <div className="mb-6">
          <FormMessage>{error.slice(0, 300)}</FormMessage>
        </div>
      )}
      {job && (
        <Card className="mb-6">
          <CardTitle className="mb-3">Import</CardTitle>
          <ImportJob id={job} />
        </Card>
      )}
      {ctx.role === "owner" ? (
        <Card className="mb-6">
          <CardTitle className="mb-4">New import</CardTitle>
          <UploadForm />
        </Card>
      ) : (
        <p className="mb-6 text-sm text-slate-600">Only an owner of this shop can import data.</p>
      )}
      <h2 className="mb-3 text-lg font-semibold">History</h2>
      {history.length === 0 ? (
        <EmptyState title="No imports yet">Each import is listed here with who ran it, the file&apos;s fingerprint and its counts.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <caption className="sr-only">Import history</caption>
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">When</th>
                <th scope="col" className="px-4 py-2 font-medium">File</th>
                <th scope="col" className="px-4 py-2 font-medium">Kind</th>
                <th scope="col" className="px-4 py-2 text-right font-medium">Rows</th>
                <th scope="col" className="px-4 py-2 text-right font-medium">New</th>
                <th scope="col" className="px-4 py-2 text-right font-medium">Updated</th>
                <th scope="col" className="px-4 py-2 text-right font-medium">Rejected</th>
                <th scope="col" className="px-4 py-2 font-medium">Status</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {history.map((i) => (
                <tr key={i.id}>
                  <td className="px-4 py-2 whitespace-nowrap">{formatDateTime(i.createdAt)}</td>
                  <td className="px-4 py-2">
                    {i.fileName}
                    <span className="block font-mono text-xs text-slate-400" title="SHA-256 of the file">
                      {i.fileSha256.slice(0, 16)}…
                    </span>
                  </td>
                  <td className="px-4 py-2">{i.kind}</td>
                  <td className="px-4 py-2 text-right tabular-nums">{formatCount(i.total)}</td>
                  <td className="px-4 py-2 text-right tabular-nums">{formatCount(i.imported)}</td>
                  <td className="px-4 py-2 text-right tabular-nums">{formatCount(i.updated)}</td>
                  <td className="px-4 py-2 text-right tabular-nums">
                    {i.rejected > 0 ? (
                      <a href={`/api/imports/${i.id}/rejected`} className="text-brand-700 underline" aria-label={`Download ${i.rejected} rejected rows of ${i.fileName}`}>
                        {formatCount(i.rejected)}
                      </a>
                    ) : (
                      "0"
                    )}
                  </td>
                  <td className="px-4 py-2">
                    {i.status === "failed" ? <Badge tone="red">failed</Badge> : i.status === "done" ? <Badge tone="green">done</Badge> : <Badge>{i.status}</Badge>}
                    {i.failure && <span className="mt-1 block text-xs text-red-700">{i.failure}</span>}
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
