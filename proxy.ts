// Runs before every request: a fresh nonce per request for a strict Content-Security-Policy, which
// Next.js applies to its own scripts. Authentication is checked where data is read (requireShop),
// not here, because a proxy can be bypassed by server actions and route handlers. The customer's
// public pages (/p, /u, /s) are rate limited here, the one place a page's answer can still be a
// 429, and are never cached, indexed or named in a Referer (their address is the credential).
import { NextResponse, type NextRequest } from "next/server";
import { htmlPage, publicRequest } from "@/app/_server/public-pages";
import { getDatabase } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import { PUBLIC_RATE_LIMITED, takePublicRequest } from "@/lib/privacy/take-public-request";

const PUBLIC_PAGE = /^\/(p|u|s)\/([^/]+)/;
const PUBLIC_HEADERS = { "referrer-policy": "no-referrer", "cache-control": "no-store", "x-robots-tag": "noindex, nofollow" };

export async function proxy(request: NextRequest) {
  const publicPage = PUBLIC_PAGE.exec(request.nextUrl.pathname);
  if (publicPage) {
    try {
      const { db } = await getDatabase();
      await takePublicRequest(db, { ip: publicRequest(request.headers).ip, token: publicPage[2] ?? "" });
    } catch (e) {
      if (!isAppError(e, "rate_limited")) throw e;
      return htmlPage(429, "Please wait a minute", [PUBLIC_RATE_LIMITED], { headers: { ...PUBLIC_HEADERS, "retry-after": String(e.retryAfter ?? 60) } });
    }
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const dev = process.env.NODE_ENV !== "production";
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Charts set inline style attributes; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  if (publicPage) for (const [name, value] of Object.entries(PUBLIC_HEADERS)) response.headers.set(name, value);
  return response;
}

// Static files (Next.js's own and those in public/) need no nonce: they skip the proxy.
export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico|icon.svg|robots.txt).*)" }],
};
