// POST /api/v1/suppressions — a provider's bounce or complaint: never send to that address again on that channel.
import { postJson } from "@/app/api/v1/with-api-key";
import { SuppressionInputSchema } from "@/lib/api/schemas";
import { suppressAddress } from "@/lib/campaigns/suppress-address";

export const POST = postJson("POST /suppressions", SuppressionInputSchema, suppressAddress);
