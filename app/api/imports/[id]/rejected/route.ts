// GET the rejected rows of an import as CSV, with an "error" column, to fix and import again.
import { requireShop } from "@/app/_server/require-shop";
import { answer } from "@/app/api/problem";
import { withShop } from "@/lib/db/tenant";
import { getRejectedRowsCsv } from "@/lib/ingest/list-imports";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  return answer(async () => {
    const ctx = await requireShop();
    const { id } = await params;
    const { fileName, csv } = await withShop(ctx.shopId, (tx) => getRejectedRowsCsv(tx, id));
    return new Response(`\uFEFF${csv}`, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${fileName.replace(/["\\\r\n]/g, "_")}"`,
        "cache-control": "no-store",
      },
    });
  });
}
