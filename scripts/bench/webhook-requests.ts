// The webhook benchmark's sender: autocannon requests that each carry a new webhook-id, a body
// naming that id, and a signature made as the request is sent (a signature made up front would go
// stale after five minutes, and a repeated id would only measure the replay path). It keeps which
// ids were sent and which were accepted, so the stored rows can be checked against the answers.
import type autocannon from "autocannon";
import { signWebhook } from "../../lib/webhooks/verify-webhook";

export interface DeliveryLedger {
  sent: Set<string>;
  /** Ids answered 2xx. */
  accepted: Set<string>;
  /** Ids that got any answer. */
  answered: Set<string>;
  statuses: Map<number, number>;
}

/**
 * One autocannon request template for product.viewed deliveries to `path`. The delivery's id is
 * also the event's productExternalId, so the stored event can be traced back to it. Run it with
 * pipelining 1: the id is kept in autocannon's per-connection context between the request and its
 * answer, which holds only while a connection has one request in flight.
 */
export function signedWebhookRequests(options: { path: string; secret: string; prefix: string; customers: number; now?: () => number }): {
  requests: autocannon.Request[];
  ledger: DeliveryLedger;
} {
  const now = options.now ?? Date.now;
  const ledger: DeliveryLedger = { sent: new Set(), accepted: new Set(), answered: new Set(), statuses: new Map() };
  let seq = 0;
  const request: autocannon.Request = {
    method: "POST",
    path: options.path,
    setupRequest: (base, context) => {
      const n = seq++;
      const id = `${options.prefix}${n}`;
      const at = now();
      const timestamp = Math.floor(at / 1000);
      const body = JSON.stringify({
        type: "product.viewed",
        timestamp: new Date(at).toISOString(),
        data: { customerExternalId: `c-${n % options.customers}`, productExternalId: id },
      });
      context.id = id;
      ledger.sent.add(id);
      return {
        ...base,
        method: "POST",
        path: options.path,
        body,
        headers: {
          "content-type": "application/json",
          "webhook-id": id,
          "webhook-timestamp": String(timestamp),
          "webhook-signature": signWebhook(options.secret, id, timestamp, body),
        },
      };
    },
    onResponse: (status, _body, context) => {
      const id = String(context.id);
      ledger.statuses.set(status, (ledger.statuses.get(status) ?? 0) + 1);
      ledger.answered.add(id);
      if (status >= 200 && status < 300) ledger.accepted.add(id);
    },
  };
  return { requests: [request], ledger };
}

export interface StoredOnceCheck {
  /** Every accepted id stored once, no id stored twice, nothing stored that was not sent or was refused. */
  ok: boolean;
  accepted: number;
  stored: number;
  /** Accepted ids with no stored row. */
  missing: number;
  /** Ids stored more than once. */
  duplicates: number;
  /**
   * Stored ids whose answer never arrived: requests in flight when the load stopped, which the
   * server finished after the sender hung up. Not an error, but at most one per connection.
   */
  stored_unanswered: number;
  /** Stored ids that were answered with a refusal, or never sent. */
  unexpected: number;
}

/** Compares the ids found in storage (one entry per stored row) with what the sender saw. */
export function checkStoredOnce(ledger: DeliveryLedger, storedIds: readonly string[], connections: number): StoredOnceCheck {
  const seen = new Set<string>();
  let duplicates = 0;
  let storedUnanswered = 0;
  let unexpected = 0;
  for (const id of storedIds) {
    if (seen.has(id)) {
      duplicates++;
      continue;
    }
    seen.add(id);
    if (ledger.accepted.has(id)) continue;
    if (ledger.sent.has(id) && !ledger.answered.has(id)) storedUnanswered++;
    else unexpected++;
  }
  let missing = 0;
  for (const id of ledger.accepted) if (!seen.has(id)) missing++;
  return {
    ok: missing === 0 && duplicates === 0 && unexpected === 0 && storedUnanswered <= connections,
    accepted: ledger.accepted.size,
    stored: storedIds.length,
    missing,
    duplicates,
    stored_unanswered: storedUnanswered,
    unexpected,
  };
}
