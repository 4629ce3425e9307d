// GET the rejected rows of an import as CSV, with an "error" column, to fix and import again.
import { csvResponse, withSession } from "@/app/api/with-session";
import { withShop } from "@/lib/db/tenant";
import { getRejectedRowsCsv } from "@/lib/ingest/list-imports";

export const GET = withSession<{ id: string }>(async ({ ctx, params }) => {
  const { fileName, csv } = await withShop(ctx.shopId, (tx) => getRejectedRowsCsv(tx, params.id));
  return csvResponse(fileName, csv);
});
