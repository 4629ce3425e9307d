// POST a segment being edited; answers its size and a few members with their reasons, or the
// validation errors naming the rule. Nothing is saved.
import { requireShop } from "@/app/_server/require-shop";
import { answer, readJson } from "@/app/api/problem";
import { withShop } from "@/lib/db/tenant";
import { previewSegment } from "@/lib/segments/custom-segments";

export async function POST(request: Request) {
  return answer(async () => {
    const ctx = await requireShop();
    const body = await readJson(request);
    return Response.json(await withShop(ctx.shopId, (tx) => previewSegment(tx, body)), { headers: { "cache-control": "no-store" } });
  });
}
