import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireShop } from "@/app/_server/require-shop";
import { loadShop } from "@/app/_server/loaders";
import { Button, buttonClass } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { isAppError } from "@/lib/errors";
import { ImportKindSchema } from "@/lib/ingest/schemas";
import { previewFile } from "@/lib/ingest/preview-file";
import { readUploadMeta, uploadPath } from "@/lib/ingest/uploads";
import { startImportAction } from "../actions";
import { mappingFromForm, settingsFromForm } from "../form-fields";

export const metadata: Metadata = { title: "Check the import" };

const select = "rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm";

export default async function NewImportPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const ctx = await requireShop();
  if (ctx.role !== "owner") return <FormMessage>Only an owner of this shop can import data.</FormMessage>;
  const params = await searchParams;
  const kind = ImportKindSchema.catch("customers").parse(params.kind);
  const uploadId = params.upload ?? "";
  let path: string;
  try {
    path = uploadPath(ctx.shopId, uploadId);
  } catch (e) {
    if (isAppError(e, "not_found")) notFound();
    throw e;
  }
  const meta = readUploadMeta(ctx.shopId, uploadId);
  const shop = await loadShop(ctx.shopId);
  const read = (k: string) => params[k];
  const header = (await previewFile(path, kind, {}, 0).catch(() => ({ header: [] as string[] }))).header;
  let preview: Awaited<ReturnType<typeof previewFile>> | null = null;
  let failure: string | null = null;
  try {
    preview = await previewFile(path, kind, mappingFromForm(header, read), 5, shop.country);
  } catch (e) {
    if (!isAppError(e)) throw e;
    failure = e.message;
  }
  const settings = { numberFormat: "1,234.56", dateOrder: "auto", timeZone: shop.timeZone, ...settingsFromForm(read) };

  return (
    <>
      <PageHeader title="Check the import" description={`${meta.fileName} · ${(meta.bytes / 1024).toFixed(1)} KB · ${kind}`} />
      {failure || !preview ? (
        <>
          <FormMessage>{failure ?? "This file cannot be read."} Nothing was imported.</FormMessage>
          <Link href="/imports" className={buttonClass("secondary", "mt-4")}>
            Choose another file
          </Link>
        </>
      ) : (
        <form action="/imports/new" method="get" className="space-y-6">
          <input type="hidden" name="upload" value={uploadId} />
          <input type="hidden" name="kind" value={kind} />
          <Card>
            <CardTitle className="mb-1">Columns</CardTitle>
            <p className="mb-4 text-sm text-slate-600">Check what each column means. Columns set to “ignore” are not stored.</p>
            {preview.mapping.missing.length > 0 && (
              <div className="mb-4">
                <FormMessage>
                  Missing: {preview.mapping.missing.map((alts) => alts.join(" or ")).join(", ")}. Choose the column that holds it below.
                </FormMessage>
              </div>
            )}
            <div className="overflow-x-auto">
              <table className="min-w-full text-sm">
                <thead className="text-left text-slate-500">
                  <tr>
                    <th scope="col" className="py-1 pr-4 font-medium">Column in the file</th>
                    <th scope="col" className="py-1 pr-4 font-medium">Means</th>
                    <th scope="col" className="py-1 font-medium">First values</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.header.map((h, i) => {
                    const sensitive = preview.mapping.ignored.some((x) => x.column === h && x.reason === "sensitive");
                    return (
                      <tr key={`${h}-${i}`} className="border-t border-slate-100 align-top">
                        <th scope="row" className="py-2 pr-4 text-left font-medium">
                          <label htmlFor={`m${i}`}>{h || `(column ${i + 1})`}</label>
                        </th>
                        <td className="py-2 pr-4">
                          {sensitive ? (
                            <span className="text-red-700">sensitive category: never stored</span>
                          ) : (
                            <select id={`m${i}`} name={`m${i}`} defaultValue={preview.mapping.fields[i] ?? ""} className={select}>
                              <option value="">ignore, do not store</option>
                              {preview.choices.map((c) => (
                                <option key={c.field} value={c.field}>
                                  {c.label}
                                </option>
                              ))}
                            </select>
                          )}
                        </td>
                        <td className="py-2 text-slate-600">{preview.rows.map((r) => r[i] ?? "").filter(Boolean).slice(0, 3).join(" · ") || "—"}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </Card>

          <Card>
            <CardTitle className="mb-4">How values are written</CardTitle>
            <div className="grid gap-4 sm:grid-cols-3">
              <label className="space-y-1 text-sm">
                <span className="block font-medium text-slate-700">Amounts</span>
                <select name="numberFormat" defaultValue={settings.numberFormat} className={select}>
                  <option value="1,234.56">1,234.56</option>
                  <option value="1.234,56">1.234,56</option>
                </select>
              </label>
              <label className="space-y-1 text-sm">
                <span className="block font-medium text-slate-700">Dates like 05/04/2026 mean</span>
                <select name="dateOrder" defaultValue={settings.dateOrder} className={select}>
                  <option value="auto">As the file&apos;s dates show ({preview.dateOrder === "day-first" ? "day first" : "month first"})</option>
                  <option value="day-first">5 April (day first)</option>
                  <option value="month-first">May 4 (month first)</option>
                </select>
              </label>
              <label className="space-y-1 text-sm">
                <span className="block font-medium text-slate-700">Time zone of dates without one</span>
                <input name="timeZone" defaultValue={settings.timeZone} className={`${select} w-full`} />
              </label>
            </div>
          </Card>

          {kind === "customers" && (
            <Card>
              <CardTitle className="mb-2">Consent</CardTitle>
              {preview.consentEvidence.length > 0 ? (
                <ul className="list-disc space-y-1 pl-5 text-sm">
                  {preview.consentEvidence.map((c) => (
                    <li key={c}>{c}</li>
                  ))}
                  <li>Any other value gives no consent. A “no” withdraws a consent the shop holds.</li>
                </ul>
              ) : (
                <p className="text-sm">This file has no consent column: nobody in it gets consent from this import.</p>
              )}
            </Card>
          )}

          <div className="flex gap-3">
            <Button type="submit" variant="secondary">
              Update the preview
            </Button>
            <Button type="submit" formAction={startImportAction} formMethod="post" disabled={preview.mapping.missing.length > 0}>
              Start import
            </Button>
          </div>
        </form>
      )}
    </>
  );
}
