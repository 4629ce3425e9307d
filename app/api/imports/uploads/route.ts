// POST a CSV file as the raw body (name in X-File-Name): stores it for a preview and an import.
import { withSession } from "@/app/api/with-session";
import { readEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { declaredLength } from "@/lib/http/read-limited-body";
import { saveUpload } from "@/lib/ingest/uploads";

const fileNameOf = (header: string | null) => {
  try {
    return decodeURIComponent(header ?? "upload.csv");
  } catch {
    throw new AppError("invalid_input", "X-File-Name is not a percent-encoded file name.", { fields: [{ field: "X-File-Name", message: "not percent-encoded" }] });
  }
};

export const POST = withSession(
  async ({ ctx, request }) => {
    if (!request.body) throw new AppError("invalid_input", "Choose a file to upload.");
    const meta = await saveUpload(ctx.shopId, fileNameOf(request.headers.get("x-file-name")), request.body, {
      quotaBytes: readEnv().UPLOAD_QUOTA_MB * 2 ** 20,
      declaredBytes: declaredLength(request.headers.get("content-length")),
    });
    return Response.json(meta, { status: 201 });
  },
  { role: "owner" },
);
