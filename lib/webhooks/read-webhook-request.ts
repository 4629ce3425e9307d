// The webhook's door: JSON only (415), at most 256 KiB counted while the body streams in (413),
// then the raw text exactly as signed, with the Standard Webhooks headers.
import { AppError } from "../errors";
import { declaredLength, readLimitedText } from "../http/read-limited-body";
import type { WebhookHeaders } from "./verify-webhook";

export const MAX_WEBHOOK_BODY = 256 * 1024;
const TOO_LARGE = "The webhook body is larger than 256 KiB; send one event per delivery, with fewer items.";

export async function readWebhookRequest(request: Request): Promise<{ headers: WebhookHeaders; body: string }> {
  if (!/^application\/(.+\+)?json\s*(;|$)/i.test(request.headers.get("content-type") ?? "")) {
    throw new AppError("unsupported_media_type", "Send the webhook body as JSON with Content-Type: application/json.");
  }
  const declared = declaredLength(request.headers.get("content-length"));
  if (declared !== null && declared > MAX_WEBHOOK_BODY) throw new AppError("payload_too_large", TOO_LARGE);
  const body = await readLimitedText(request.body, MAX_WEBHOOK_BODY, TOO_LARGE);
  const h = request.headers;
  return { headers: { id: h.get("webhook-id"), timestamp: h.get("webhook-timestamp"), signature: h.get("webhook-signature") }, body };
}
