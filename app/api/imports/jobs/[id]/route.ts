// GET the progress and, once finished, the result of an import started from the dashboard.
import { requireShop } from "@/app/_server/require-shop";
import { answer } from "@/app/api/problem";
import { getImportJob } from "@/lib/ingest/import-jobs";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  return answer(async () => {
    const ctx = await requireShop();
    const job = getImportJob(ctx.shopId, (await params).id);
    return Response.json(job, { headers: { "cache-control": "no-store" } });
  });
}
