// GET the progress and, once finished, the result of an import started from the dashboard.
import { withSession } from "@/app/api/with-session";
import { getImportJob } from "@/lib/ingest/import-jobs";

export const GET = withSession<{ id: string }>(async ({ ctx, params }) => Response.json(getImportJob(ctx.shopId, params.id)));
