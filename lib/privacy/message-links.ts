// The links every message to a customer carries: a fresh preference page link, a one-click
// unsubscribe link for the message's channel (naming the send, so an opt-out is traced to the
// message that caused it) and, for email, the RFC 8058 headers that let a mailbox provider offer
// its own unsubscribe button. Campaign sending calls this once per message.
import type { Channel } from "../consent/schemas";
import { readEnv } from "../env";
import { signPrivacyToken } from "./tokens";

export interface MessageLinks {
  preferencesUrl: string;
  unsubscribeUrl: string;
  /** Headers for an email (RFC 2369 List-Unsubscribe with an https URL, RFC 8058 one-click). */
  headers: { "List-Unsubscribe": string; "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
}

export interface MessageLinksInput {
  shopId: string;
  customerId: string;
  channel: Channel;
  sendId?: string | null;
}

/** The app's public address without a trailing slash (APP_URL; http://localhost:3000 locally). */
export function publicBaseUrl(appUrl = readEnv().APP_URL): string {
  return appUrl.replace(/\/+$/, "");
}

export function preferencesUrl(input: { shopId: string; customerId: string }, options: { now?: Date; secret?: string; appUrl?: string } = {}): string {
  const token = signPrivacyToken({ kind: "preferences", ...input }, options);
  return `${publicBaseUrl(options.appUrl)}/p/${token}`;
}

export function messageLinks(input: MessageLinksInput, options: { now?: Date; secret?: string; appUrl?: string } = {}): MessageLinks {
  const base = publicBaseUrl(options.appUrl);
  const unsubscribe = signPrivacyToken({ kind: "unsubscribe", shopId: input.shopId, customerId: input.customerId, channel: input.channel, sendId: input.sendId ?? null }, options);
  const unsubscribeUrl = `${base}/u/${unsubscribe}`;
  return {
    preferencesUrl: preferencesUrl(input, options),
    unsubscribeUrl,
    headers: { "List-Unsubscribe": `<${unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  };
}
