// GET /api/v1/customers — a page of customers (cursor pagination); POST — create or update one.
import { withApiKey, postJson } from "@/app/api/v1/with-api-key";
import { listCustomersPage } from "@/lib/api/list-customers-page";
import { CustomerInputSchema } from "@/lib/api/schemas";
import { upsertCustomer } from "@/lib/api/upsert-customer";
import { withShop } from "@/lib/db/tenant";

export const GET = withApiKey(async ({ caller, request }) => {
  const url = new URL(request.url);
  const page = await withShop(caller.shopId, (tx) => listCustomersPage(tx, { cursor: url.searchParams.get("cursor"), limit: url.searchParams.get("limit") }));
  return Response.json(page);
});

export const POST = postJson("POST /customers", CustomerInputSchema, upsertCustomer);
