// A worker takes queued messages whose time has come — and messages another worker took but did
// not finish within its lease (it stopped or crashed) — with FOR UPDATE SKIP LOCKED, so two workers
// never take the same message, and marks them as its own (sending, by whom, since when) in a short
// transaction of their own. What happens to each is then decided one message at a time
// (deliver-send.ts).
import { sql } from "drizzle-orm";
import { queryRows } from "../db/client";
import type { ShopTx } from "../db/tenant";

export interface ClaimOptions {
  workerId: string;
  limit: number;
  now: Date;
  /** How long a claim holds before another worker may take the message over. */
  leaseMs: number;
}

export async function claimDueSends(tx: ShopTx, options: ClaimOptions): Promise<string[]> {
  const now = options.now.toISOString();
  const expired = new Date(options.now.getTime() - options.leaseMs).toISOString();
  const claim = (due: ReturnType<typeof sql>, limit: number) =>
    queryRows<{ id: string }>(
      tx,
      sql`update sends s set status = 'sending', claimed_by = ${options.workerId}, claimed_at = ${now}::timestamptz, attempts = s.attempts + 1
           where s.id in (${due} limit ${limit} for update skip locked)
          returning s.id`,
    );
  // A paused campaign's messages wait where they are.
  const live = sql`campaign_id not in (select id from campaigns where status = 'paused')`;
  // Messages whose worker's lease ran out first (they have waited longest), then those now due.
  const stale = await claim(sql`select id from sends where status = 'sending' and claimed_at < ${expired}::timestamptz and ${live} order by claimed_at`, options.limit);
  const fresh = stale.length < options.limit
    ? await claim(sql`select id from sends where status = 'queued' and send_after <= ${now}::timestamptz and ${live} order by send_after`, options.limit - stale.length)
    : [];
  return [...stale, ...fresh].map((r) => r.id);
}
