// POST a CSV file as the raw body (name in X-File-Name): stores it for a preview and an import.
import { requireShop } from "@/app/_server/require-shop";
import { answer } from "@/app/api/problem";
import { saveUpload } from "@/lib/ingest/uploads";
import { AppError } from "@/lib/errors";

export async function POST(request: Request) {
  return answer(async () => {
    const ctx = await requireShop({ role: "owner" });
    if (!request.body) throw new AppError("invalid_input", "Choose a file to upload.");
    const fileName = decodeURIComponent(request.headers.get("x-file-name") ?? "upload.csv");
    const meta = await saveUpload(ctx.shopId, fileName, request.body);
    return Response.json(meta, { status: 201 });
  });
}
