// The link a survey message carries: a signed /s token naming the shop, the customer and the message
// (send) it came in, so an answer is tied to exactly one survey invitation
// (docs/decisions/009-privacy-pages.md: signed, not stored; 30 days).
import { publicBaseUrl } from "../privacy/message-links";
import { signPrivacyToken } from "../privacy/tokens";

export function surveyUrl(input: { shopId: string; customerId: string; sendId: string }, options: { now?: Date; secret?: string; appUrl?: string } = {}): string {
  const token = signPrivacyToken({ kind: "survey", shopId: input.shopId, customerId: input.customerId, sendId: input.sendId }, options);
  return `${publicBaseUrl(options.appUrl)}/s/${token}`;
}
