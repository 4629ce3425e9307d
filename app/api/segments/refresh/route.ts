// POST starts a refresh of the shop's segments and predictions (or answers the one running);
// GET follows it. The page polls GET for progress.
import { withSession } from "@/app/api/with-session";
import { getRefreshJob, startRefreshJob } from "@/lib/segments/refresh-jobs";

export const POST = withSession(async ({ ctx }) => Response.json(startRefreshJob(ctx.shopId, "manual"), { status: 202 }), { role: "owner" });

export const GET = withSession(async ({ ctx }) => Response.json(getRefreshJob(ctx.shopId)));
