// An owner downloads everything held about one customer (the same JSON the customer can download).
import { withSession } from "@/app/api/with-session";
import { withShop } from "@/lib/db/tenant";
import { exportCustomer } from "@/lib/privacy/export-customer";

export const GET = withSession<{ id: string }>(
  async ({ ctx, params }) => {
    const data = await withShop(ctx.shopId, (tx) => exportCustomer(tx, params.id));
    return new Response(`${JSON.stringify(data, null, 2)}\n`, {
      headers: { "content-type": "application/json; charset=utf-8", "content-disposition": `attachment; filename="customer-${data.customer.id}.json"`, "cache-control": "no-store" },
    });
  },
  { role: "owner" },
);
