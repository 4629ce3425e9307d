// POST /api/v1/events — a batch of up to 1,000 events, stored all or none.
import { postJson } from "@/app/api/v1/with-api-key";
import { recordApiEvents } from "@/lib/api/record-api-events";
import { EventsBatchSchema } from "@/lib/api/schemas";

export const POST = postJson("POST /events", EventsBatchSchema, recordApiEvents);
