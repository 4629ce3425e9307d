// POST a segment being edited; answers its size and a few members with their reasons, or the
// validation errors naming the rule. Nothing is saved.
import { readJson } from "@/app/api/problem";
import { withSession } from "@/app/api/with-session";
import { withShop } from "@/lib/db/tenant";
import { previewSegment } from "@/lib/segments/custom-segments";

export const POST = withSession(async ({ ctx, request }) => {
  const body = await readJson(request);
  return Response.json(await withShop(ctx.shopId, (tx) => previewSegment(tx, body)));
});
