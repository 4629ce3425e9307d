// GET a segment's members as CSV: who, why, and when it was computed.
import { csvResponse, withSession } from "@/app/api/with-session";
import { withShop } from "@/lib/db/tenant";
import { getSegment, segmentMembersCsv } from "@/lib/segments/read-segments";

export const GET = withSession<{ id: string }>(async ({ ctx, params }) => {
  const { name, csv } = await withShop(ctx.shopId, async (tx) => ({ name: (await getSegment(tx, params.id)).name, csv: await segmentMembersCsv(tx, params.id) }));
  const fileName = `${name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "segment"}-members.csv`;
  return csvResponse(fileName, csv);
});
