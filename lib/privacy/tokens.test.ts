import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { formTokenFor, signPrivacyToken, verifyFormToken, verifyPrivacyToken } from "./tokens";

const secret = "s".repeat(40);
const shopId = randomUUID();
const otherShop = randomUUID();
const customerId = randomUUID();
const sendId = randomUUID();
const now = new Date("2026-06-01T12:00:00Z");
const later = (days: number) => new Date(now.getTime() + days * 86_400_000);

const pref = signPrivacyToken({ kind: "preferences", shopId, customerId }, { now, secret });
const unsub = signPrivacyToken({ kind: "unsubscribe", shopId, customerId, channel: "sms", sendId }, { now, secret });

function flip(token: string, at: number): string {
  const raw = Buffer.from(token, "base64url");
  if (at >= raw.length) throw new Error("flip past the end");
  raw[at] = raw[at]! ^ 0x01;
  return raw.toString("base64url");
}

describe("privacy link tokens", () => {
  it("reads back what was signed", () => {
    expect(verifyPrivacyToken(pref, "preferences", { now, secret })).toEqual({ kind: "preferences", shopId, customerId, expiresAt: expect.any(Date) });
    expect(verifyPrivacyToken(unsub, "unsubscribe", { now, secret })).toMatchObject({ shopId, customerId, channel: "sms", sendId });
    const noSend = signPrivacyToken({ kind: "unsubscribe", shopId, customerId, channel: "email" }, { now, secret });
    expect(verifyPrivacyToken(noSend, "unsubscribe", { now, secret })).toMatchObject({ channel: "email", sendId: null });
    expect(verifyPrivacyToken(pref, "preferences", { now: later(59), secret })).not.toBeNull();
  });

  it("is short enough for a text message and URL-safe", () => {
    expect(pref).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(pref.length).toBeLessThanOrEqual(72);
  });

  // One row per way a token can be wrong: each gives null, never an exception.
  const forgedShop = (() => {
    // The same payload claiming another shop, signed with the real shop's key: the MAC no longer fits.
    const raw = Buffer.from(pref, "base64url");
    Buffer.from(otherShop.replace(/-/g, ""), "hex").copy(raw, 2);
    return raw.toString("base64url");
  })();
  const rejections: [string, string, "preferences" | "unsubscribe", { now?: Date; secret?: string }?][] = [
    ["expired", pref, "preferences", { now: later(61) }],
    ["signed by another server secret", signPrivacyToken({ kind: "preferences", shopId, customerId }, { now, secret: "t".repeat(40) }), "preferences"],
    ["claims another shop", forgedShop, "preferences"],
    ["another shop's valid token is not this shop's (customer swapped)", flip(pref, 20), "preferences"],
    ["expiry pushed forward", flip(pref, 37), "preferences"],
    ["MAC altered", flip(pref, 50), "preferences"],
    ["unsubscribe channel altered", flip(unsub, 38), "unsubscribe"],
    ["wrong kind", pref, "unsubscribe"],
    ["unsubscribe token used as a preference link", unsub, "preferences"],
    ["truncated", pref.slice(0, -4), "preferences"],
    ["extra characters", `${pref}AA`, "preferences"],
    ["not base64url", `${pref.slice(0, -1)}!`, "preferences"],
    ["empty", "", "preferences"],
    ["very long", "A".repeat(5000), "preferences"],
  ];
  it.each(rejections)("refuses a token that is %s", (_why, token, kind, opts) => {
    expect(verifyPrivacyToken(token, kind, { now, secret, ...opts })).toBeNull();
  });

  it("binds form tokens to the page token and the shop", () => {
    const form = formTokenFor(pref, shopId, { secret });
    expect(verifyFormToken(form, pref, shopId, { secret })).toBe(true);
    expect(verifyFormToken(form, unsub, shopId, { secret })).toBe(false);
    expect(verifyFormToken(form, pref, otherShop, { secret })).toBe(false);
    expect(verifyFormToken("", pref, shopId, { secret })).toBe(false);
    expect(verifyFormToken(undefined, pref, shopId, { secret })).toBe(false);
    expect(verifyFormToken(`${form}x`, pref, shopId, { secret })).toBe(false);
  });

  it("refuses to sign without a server secret", () => {
    expect(() => signPrivacyToken({ kind: "preferences", shopId, customerId }, { secret: "short" })).toThrow(/AUTH_SECRET/);
  });
});

describe("message links", async () => {
  const { messageLinks } = await import("./message-links");
  it("gives a preference URL, an unsubscribe URL for the channel and send, and the RFC 8058 headers", () => {
    const links = messageLinks({ shopId, customerId, channel: "email", sendId }, { now, secret, appUrl: "https://shop.example/" });
    expect(links.preferencesUrl).toMatch(/^https:\/\/shop\.example\/p\/[A-Za-z0-9_-]+$/);
    expect(links.unsubscribeUrl).toMatch(/^https:\/\/shop\.example\/u\/[A-Za-z0-9_-]+$/);
    expect(links.headers).toEqual({ "List-Unsubscribe": `<${links.unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" });
    const token = links.unsubscribeUrl.split("/u/")[1]!;
    expect(verifyPrivacyToken(token, "unsubscribe", { now, secret })).toMatchObject({ shopId, customerId, channel: "email", sendId });
    expect(verifyPrivacyToken(links.preferencesUrl.split("/p/")[1]!, "preferences", { now, secret })).toMatchObject({ shopId, customerId });
  });
});
