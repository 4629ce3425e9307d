// POST /api/v1/orders — create or update an order by its external id; a new first order may welcome its customer.
import { postJson } from "@/app/api/v1/with-api-key";
import { OrderInputSchema } from "@/lib/api/schemas";
import { receiveOrder } from "@/lib/api/receive-order";

export const POST = postJson("POST /orders", OrderInputSchema, (tx, body) => receiveOrder(tx, body));
