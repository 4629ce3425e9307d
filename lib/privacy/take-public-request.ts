// Limits of the customer's public pages (/p, /u, /s), counted per minute in the database: per
// client address (someone trying links) and per link (one link hammered from many addresses).
// A mailbox provider posting one-click unsubscribes for many customers comes from few addresses,
// so the per-address limit is generous; a link is stored only as a hash.
import { createHash } from "node:crypto";
import type { Db } from "../db/client";
import { takeRateLimit } from "../http/take-rate-limit";

export const PUBLIC_REQUESTS_PER_ADDRESS = 300;
export const PUBLIC_REQUESTS_PER_LINK = 30;
export const PUBLIC_RATE_LIMITED = "Too many requests from here in a short time. Wait a minute and try again.";

export async function takePublicRequest(db: Db, who: { ip: string | null; token: string }, now = new Date()): Promise<void> {
  const link = createHash("sha256").update(who.token).digest("hex").slice(0, 32);
  await takeRateLimit(
    db,
    [
      { bucket: `public-ip:${who.ip ?? "unknown"}`, limit: PUBLIC_REQUESTS_PER_ADDRESS },
      { bucket: `public-link:${link}`, limit: PUBLIC_REQUESTS_PER_LINK },
    ],
    now,
    PUBLIC_RATE_LIMITED,
  );
}
