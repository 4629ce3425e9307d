// POST /api/v1/orders — create or update an order by its external id.
import { postJson } from "@/app/api/v1/with-api-key";
import { OrderInputSchema } from "@/lib/api/schemas";
import { upsertOrder } from "@/lib/api/upsert-order";

export const POST = postJson("POST /orders", OrderInputSchema, (tx, body) => upsertOrder(tx, body));
