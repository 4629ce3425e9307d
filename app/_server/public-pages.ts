// Shared by the customer's public pages (/p, /u): who is asking (address, GPC, request id), the
// one plain 404 every bad link gets, and small HTML answers for the route handlers.
import { randomUUID } from "node:crypto";
import { readEnv } from "@/lib/env";
import { clientIp } from "@/lib/http/client-ip";
import { crossSiteRefusal } from "@/lib/http/same-origin";

interface HeaderSource {
  get(name: string): string | null;
}

export function publicRequest(headers: HeaderSource) {
  const given = headers.get("x-request-id");
  return {
    ip: clientIp(headers, readEnv().TRUST_PROXY),
    gpc: headers.get("sec-gpc")?.trim() === "1",
    requestId: given && /^[\x21-\x7e]{1,100}$/.test(given) ? given : randomUUID(),
  };
}

/** Why a form post is refused as cross-site (an Origin or Sec-Fetch-Site of another site), or null. */
export function crossSite(request: Request): string | null {
  return crossSiteRefusal({
    method: request.method,
    secFetchSite: request.headers.get("sec-fetch-site"),
    origin: request.headers.get("origin"),
    host: request.headers.get("host"),
    appUrl: readEnv().APP_URL,
  });
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A paragraph of text, or text around one link; everything is escaped. */
export type Paragraph = string | { before: string; link: { label: string; href: string }; after: string };

export function htmlPage(status: number, title: string, paragraphs: Paragraph[], options: { form?: string; headers?: Record<string, string> } = {}): Response {
  const body = paragraphs
    .map((p) =>
      typeof p === "string"
        ? `<p>${escapeHtml(p)}</p>`
        : `<p>${escapeHtml(p.before)}<a href="${escapeHtml(p.link.href)}">${escapeHtml(p.link.label)}</a>${escapeHtml(p.after)}</p>`,
    )
    .join("\n");
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow"><meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f8fafc;color:#0f172a;line-height:1.5}
main{max-width:32rem;margin:0 auto;padding:2.5rem 1.25rem}
h1{font-size:1.5rem;margin:0 0 1rem}
p{margin:0 0 1rem;color:#334155}
a{color:#17704f}
button{font:inherit;font-weight:600;background:#17704f;color:#fff;border:0;border-radius:.5rem;padding:.75rem 1.25rem;min-height:44px;cursor:pointer;width:100%}
button:hover{background:#125a40}
button:focus-visible,a:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
</style></head>
<body><main><h1>${escapeHtml(title)}</h1>
${body}
${options.form ?? ""}
</main></body></html>`;
  return new Response(html, { status, headers: { "content-type": "text/html; charset=utf-8", ...options.headers } });
}

/** The same answer for every link that does not work: malformed, forged, expired or another shop's. */
export const notFoundPage = () => htmlPage(404, "Not found", ["There is nothing at this address."]);

export { escapeHtml };
