// Cross-site request refusal for cookie-authenticated endpoints. A browser says where a request
// comes from (Sec-Fetch-Site, else Origin); a state-changing request from another site rides on
// the owner's cookie without the owner meaning it, so it is refused. A request with neither
// header does not come from a browser page and carries no one else's cookie.
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface RequestOrigin {
  method: string;
  secFetchSite: string | null;
  origin: string | null;
  /** The Host header the request was sent to. */
  host: string | null;
  /** The dashboard's public address (APP_URL), also accepted as an origin. */
  appUrl: string;
}

/** Why the request is refused as cross-site, or null when it may go on. */
export function crossSiteRefusal(request: RequestOrigin): string | null {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return null;
  const site = request.secFetchSite?.trim().toLowerCase();
  if (site) {
    // "none" is the person's own action (a bookmark, the address bar); "same-site" is another
    // subdomain, which is another application as far as this one knows.
    return site === "same-origin" || site === "none" ? null : `Sec-Fetch-Site is ${site}`;
  }
  if (!request.origin) return null;
  if (request.origin === "null") return "the Origin is opaque";
  let origin: URL;
  try {
    origin = new URL(request.origin);
  } catch {
    return "the Origin header is not an address";
  }
  if (origin.origin === new URL(request.appUrl).origin) return null;
  if (request.host && origin.host === request.host.toLowerCase()) return null;
  return `the request comes from ${origin.origin}`;
}
