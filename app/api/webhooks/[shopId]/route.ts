// POST /api/webhooks/{shopId} — a signed event from the shop's other systems (Standard Webhooks).
import { answer } from "@/app/api/problem";
import { readEnv } from "@/lib/env";
import { readWebhookRequest } from "@/lib/webhooks/read-webhook-request";
import { receiveWebhook } from "@/lib/webhooks/receive-event";

export function POST(request: Request, route: { params: Promise<{ shopId: string }> }) {
  return answer(async () => {
    const { shopId } = await route.params;
    const { headers, body } = await readWebhookRequest(request);
    const result = await receiveWebhook(undefined, { shopId, headers, body, perMinute: readEnv().WEBHOOKS_PER_MINUTE });
    return Response.json(result.body, { status: result.status });
  });
}
