// GET /api/v1/customers/{id} — one customer of the key's shop; any other id is a 404.
import { withApiKey } from "@/app/api/v1/with-api-key";
import { getApiCustomer } from "@/lib/api/list-customers-page";
import { withShop } from "@/lib/db/tenant";

export const GET = withApiKey<{ id: string }>(async ({ caller, params }) =>
  Response.json(await withShop(caller.shopId, (tx) => getApiCustomer(tx, params.id))),
);
