// "Download my data": everything the shop holds about the link's customer, as one JSON file.
import { notFoundPage } from "@/app/_server/public-pages";
import { withShop } from "@/lib/db/tenant";
import { isAppError } from "@/lib/errors";
import { exportCustomer } from "@/lib/privacy/export-customer";
import { verifyPrivacyToken } from "@/lib/privacy/tokens";

export async function GET(_request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const link = verifyPrivacyToken(token, "preferences");
  if (!link) return notFoundPage();
  try {
    const data = await withShop(link.shopId, (tx) => exportCustomer(tx, link.customerId));
    const day = data.exportedAt.slice(0, 10);
    return new Response(`${JSON.stringify(data, null, 2)}\n`, {
      headers: { "content-type": "application/json; charset=utf-8", "content-disposition": `attachment; filename="my-data-${day}.json"` },
    });
  } catch (e) {
    if (isAppError(e, "not_found")) return notFoundPage();
    throw e;
  }
}
