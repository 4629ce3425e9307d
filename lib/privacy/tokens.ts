// Signed links for the customer's public pages: /p (preferences), /u (one-click unsubscribe, with
// its channel and the send it came in), /s (surveys). A token names one shop and one customer and
// carries its expiry; it is signed with HMAC-SHA256 under a key of that shop, derived from the
// server's AUTH_SECRET (docs/decisions/009-privacy-pages.md), so nothing is stored per link and a
// token for one shop can never be read as another's. Every way a token can be wrong — malformed,
// forged, expired, another shop's, another kind — gives the same answer (null), after the same work.
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { ChannelSchema, type Channel } from "../consent/schemas";

export type TokenKind = "preferences" | "unsubscribe" | "survey";

export type PrivacyToken =
  | { kind: "preferences"; shopId: string; customerId: string; expiresAt: Date }
  | { kind: "unsubscribe"; shopId: string; customerId: string; expiresAt: Date; channel: Channel; sendId: string | null }
  | { kind: "survey"; shopId: string; customerId: string; expiresAt: Date; sendId: string | null };

const DAY_MS = 86_400_000;
/** How long a link stays valid: long enough for a message read weeks later, short enough to age out. */
export const TOKEN_LIFETIME_MS: Record<TokenKind, number> = {
  preferences: 60 * DAY_MS,
  // Mailbox providers may post the one-click unsubscribe long after delivery; links must still work.
  unsubscribe: 180 * DAY_MS,
  survey: 30 * DAY_MS,
};

const VERSION = 1;
const KIND_BYTE: Record<TokenKind, number> = { preferences: 1, unsubscribe: 2, survey: 3 };
const KINDS: TokenKind[] = ["preferences", "unsubscribe", "survey"];
const CHANNELS = ChannelSchema.options;
/** 128 bits of HMAC-SHA256: as hard to forge as the "unguessable" floor, and half the URL. */
const MAC_BYTES = 16;
const HEADER = 2 + 16 + 16 + 4; // version, kind, shop, customer, expiry (seconds)
const MAX_BYTES = HEADER + 2 + 16 + MAC_BYTES;
const BASE64URL = /^[A-Za-z0-9_-]{40,120}$/;
const Uuid = z.uuid();

function secretOf(secret?: string): string {
  const value = secret ?? process.env.AUTH_SECRET;
  if (!value || value.length < 32) throw new Error("AUTH_SECRET (at least 32 characters) is needed to sign customer links");
  return value;
}

/** The shop's signing key: HMAC of the server secret over a label and the shop id. */
function shopKey(shopId: string, secret?: string): Buffer {
  return createHmac("sha256", secretOf(secret)).update(`regulars/privacy-links/v${VERSION}/${shopId}`).digest();
}

const uuidBytes = (id: string) => Buffer.from(id.replace(/-/g, ""), "hex");
const bytesUuid = (b: Buffer) => {
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

const mac = (key: Buffer, payload: Buffer) => createHmac("sha256", key).update(payload).digest().subarray(0, MAC_BYTES);

export interface SignOptions {
  now?: Date;
  /** Overrides the kind's lifetime. */
  lifetimeMs?: number;
  /** The server secret; AUTH_SECRET by default. */
  secret?: string;
}

type TokenInput =
  | { kind: "preferences"; shopId: string; customerId: string }
  | { kind: "unsubscribe"; shopId: string; customerId: string; channel: Channel; sendId?: string | null }
  | { kind: "survey"; shopId: string; customerId: string; sendId?: string | null };

export function signPrivacyToken(input: TokenInput, options: SignOptions = {}): string {
  if (!Uuid.safeParse(input.shopId).success || !Uuid.safeParse(input.customerId).success) throw new Error("A link needs a shop id and a customer id");
  const now = options.now ?? new Date();
  const expires = Math.floor((now.getTime() + (options.lifetimeMs ?? TOKEN_LIFETIME_MS[input.kind])) / 1000);
  const head = Buffer.alloc(HEADER);
  head[0] = VERSION;
  head[1] = KIND_BYTE[input.kind];
  uuidBytes(input.shopId).copy(head, 2);
  uuidBytes(input.customerId).copy(head, 18);
  head.writeUInt32BE(expires, 34);
  const parts = [head];
  if (input.kind === "unsubscribe") parts.push(Buffer.from([CHANNELS.indexOf(input.channel)]));
  if (input.kind !== "preferences") {
    const sendId = input.sendId ?? null;
    if (sendId !== null && !Uuid.safeParse(sendId).success) throw new Error("sendId must be a uuid");
    parts.push(sendId === null ? Buffer.from([0]) : Buffer.concat([Buffer.from([1]), uuidBytes(sendId)]));
  }
  const payload = Buffer.concat(parts);
  return Buffer.concat([payload, mac(shopKey(input.shopId, options.secret), payload)]).toString("base64url");
}

export interface VerifyOptions {
  now?: Date;
  secret?: string;
}

/**
 * The token's contents when it is well formed, signed by the shop it names, unexpired and of the
 * wanted kind; otherwise null, whatever the reason. The MAC is always computed and compared in
 * constant time, also for malformed input, so the answer's timing does not say what was wrong.
 */
export function verifyPrivacyToken<K extends TokenKind>(token: string, kind: K, options: VerifyOptions = {}): Extract<PrivacyToken, { kind: K }> | null {
  return verifyAnyToken(token, kind, options) as Extract<PrivacyToken, { kind: K }> | null;
}

function verifyAnyToken(token: string, kind: TokenKind, options: VerifyOptions): PrivacyToken | null {
  const wellFormed = typeof token === "string" && BASE64URL.test(token);
  const raw = wellFormed ? Buffer.from(token, "base64url") : Buffer.alloc(0);
  const bytesOk = raw.length >= HEADER + MAC_BYTES && raw.length <= MAX_BYTES && raw.toString("base64url") === token;
  const body = bytesOk ? raw : Buffer.alloc(HEADER + MAC_BYTES);
  const payload = body.subarray(0, body.length - MAC_BYTES);
  const given = body.subarray(body.length - MAC_BYTES);
  const shopId = bytesUuid(payload.subarray(2, 18));
  const expected = mac(shopKey(shopId, options.secret), payload);
  const macOk = timingSafeEqual(expected, given);
  if (!(bytesOk && macOk)) return null;

  if (payload[0] !== VERSION) return null;
  const tokenKind = KINDS[(payload[1] ?? 0) - 1];
  if (tokenKind !== kind) return null;
  const customerId = bytesUuid(payload.subarray(18, 34));
  const expiresAt = new Date(payload.readUInt32BE(34) * 1000);
  if (expiresAt.getTime() <= (options.now ?? new Date()).getTime()) return null;

  let at = HEADER;
  let channel: Channel | undefined;
  if (kind === "unsubscribe") {
    channel = CHANNELS[payload[at] ?? 255];
    at += 1;
    if (!channel) return null;
  }
  let sendId: string | null = null;
  if (kind !== "preferences") {
    const flag = payload[at];
    at += 1;
    if (flag === 1) {
      if (payload.length < at + 16) return null;
      sendId = bytesUuid(payload.subarray(at, at + 16));
      at += 16;
    } else if (flag !== 0) return null;
  }
  if (at !== payload.length) return null;

  if (kind === "preferences") return { kind, shopId, customerId, expiresAt };
  if (kind === "unsubscribe") return { kind, shopId, customerId, expiresAt, channel: channel!, sendId };
  return { kind, shopId, customerId, expiresAt, sendId };
}

/**
 * The CSRF token of the preference page's forms: an HMAC of the page's token under its shop's key,
 * so a form posted from elsewhere (which cannot read the page) cannot carry it, and a form token
 * never works with another customer's link.
 */
export function formTokenFor(pageToken: string, shopId: string, options: { secret?: string } = {}): string {
  return createHmac("sha256", shopKey(shopId, options.secret)).update(`form:${pageToken}`).digest().subarray(0, 16).toString("base64url");
}

export function verifyFormToken(formToken: unknown, pageToken: string, shopId: string, options: { secret?: string } = {}): boolean {
  const expected = Buffer.from(formTokenFor(pageToken, shopId, options));
  const given = Buffer.from(typeof formToken === "string" ? formToken : "");
  const same = given.length === expected.length ? timingSafeEqual(given, expected) : (timingSafeEqual(expected, expected), false);
  return same;
}
