"use server";
import { redirect } from "next/navigation";
import { requireShop } from "@/app/_server/require-shop";
import { isAppError } from "@/lib/errors";
import { startImportJob } from "@/lib/ingest/import-jobs";
import { ImportKindSchema } from "@/lib/ingest/schemas";
import { previewFile } from "@/lib/ingest/preview-file";
import { uploadPath } from "@/lib/ingest/uploads";
import { mappingFromForm, settingsFromForm } from "./form-fields";

export async function startImportAction(form: FormData): Promise<void> {
  const uploadId = String(form.get("upload") ?? "");
  try {
    const ctx = await requireShop({ role: "owner" });
    const kind = ImportKindSchema.parse(form.get("kind"));
    const { header } = await previewFile(uploadPath(ctx.shopId, uploadId), kind, {}, 0);
    startImportJob({
      shopId: ctx.shopId,
      uploadId,
      createdBy: ctx.userId,
      options: { kind, mapping: mappingFromForm(header, (k) => form.get(k)?.toString()), settings: settingsFromForm((k) => form.get(k)?.toString()) },
    });
  } catch (e) {
    // A file already imported, gone, or not the owner's: say so on the imports page.
    if (isAppError(e)) redirect(`/imports?error=${encodeURIComponent(e.message)}`);
    throw e;
  }
  redirect(`/imports?job=${uploadId}`);
}
