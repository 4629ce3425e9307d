// POST starts a refresh of the shop's segments and predictions (or answers the one running);
// GET follows it. The page polls GET for progress.
import { requireShop } from "@/app/_server/require-shop";
import { answer } from "@/app/api/problem";
import { getRefreshJob, startRefreshJob } from "@/lib/segments/refresh-jobs";

const noStore = { headers: { "cache-control": "no-store" } };

export async function POST() {
  return answer(async () => {
    const ctx = await requireShop({ role: "owner" });
    return Response.json(startRefreshJob(ctx.shopId, "manual"), { status: 202, ...noStore });
  });
}

export async function GET() {
  return answer(async () => {
    const ctx = await requireShop();
    return Response.json(getRefreshJob(ctx.shopId), noStore);
  });
}
