// GET the consent log as CSV for an auditor, with the page's filters (owners and viewers).
import { csvResponse, withSession } from "@/app/api/with-session";
import { consentEventsCsv } from "@/lib/consent/list-consent-events";
import { withShop } from "@/lib/db/tenant";
import { getShop } from "@/lib/shops/get-shop";

export const GET = withSession(async ({ ctx, request }) => {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const csv = await withShop(ctx.shopId, async (tx) => consentEventsCsv(tx, params, { timeZone: (await getShop(tx)).timeZone }));
  return csvResponse(`consent-log-${new Date().toISOString().slice(0, 10)}.csv`, csv);
});
