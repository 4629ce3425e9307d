// GET a segment's members as CSV: who, why, and when it was computed.
import { requireShop } from "@/app/_server/require-shop";
import { answer } from "@/app/api/problem";
import { withShop } from "@/lib/db/tenant";
import { getSegment, segmentMembersCsv } from "@/lib/segments/read-segments";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  return answer(async () => {
    const ctx = await requireShop();
    const { id } = await params;
    const { name, csv } = await withShop(ctx.shopId, async (tx) => ({ name: (await getSegment(tx, id)).name, csv: await segmentMembersCsv(tx, id) }));
    const fileName = `${name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "segment"}-members.csv`;
    return new Response(`\uFEFF${csv}`, {
      headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${fileName}"`, "cache-control": "no-store" },
    });
  });
}
