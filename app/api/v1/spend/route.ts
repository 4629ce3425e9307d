// POST /api/v1/spend — set a channel's marketing spend for a month.
import { postJson } from "@/app/api/v1/with-api-key";
import { SpendInputSchema } from "@/lib/api/schemas";
import { upsertSpend } from "@/lib/api/upsert-spend";

export const POST = postJson("POST /spend", SpendInputSchema, upsertSpend);
