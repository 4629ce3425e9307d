// The address a request came from, for sign-in limits. X-Forwarded-For and X-Real-IP are written
// by whoever sends the request, so they are believed only when TRUST_PROXY says how many proxies
// of the operator's own stand in front of the app; otherwise the connection's address counts,
// which the server records itself (peer-address.ts) and no client can set.
import { isIP } from "node:net";
import { PEER_HEADER } from "./peer-address";

interface HeaderSource {
  get(name: string): string | null;
}

const normalize = (value: string | undefined | null): string | null => {
  const v = value?.trim().replace(/^\[(.*)\]$/, "$1").replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, "$1");
  return v && isIP(v) ? v : null;
};

/**
 * The client's address. With `trustProxies` = n > 0, the n-th address from the right of
 * X-Forwarded-For (each of the operator's proxies appends the address it was reached from; what
 * the client wrote is further left and ignored), else X-Real-IP; with 0, the connection's address.
 */
export function clientIp(headers: HeaderSource, trustProxies: number): string | null {
  if (trustProxies > 0) {
    const forwarded = (headers.get("x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    if (forwarded.length > 0) return normalize(forwarded[Math.max(0, forwarded.length - trustProxies)]);
    const real = normalize(headers.get("x-real-ip"));
    if (real) return real;
  }
  return normalize(headers.get(PEER_HEADER));
}
