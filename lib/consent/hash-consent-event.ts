// The hash that chains the consent ledger: SHA-256 over a canonical serialisation of every field
// that matters plus the previous row's hash, so changing, removing or reordering a row breaks the
// chain from that row on. One function, used by the writer, the seeders and the verifier.
import { createHash } from "node:crypto";

export interface HashableConsentEvent {
  shopId: string;
  seq: number;
  customerId: string;
  channel: string;
  purpose: string;
  action: string;
  method: string;
  policyVersionId: string | null;
  policySha256: string | null;
  gpc: boolean;
  actorType: string;
  actorId: string | null;
  requestId: string | null;
  page: string | null;
  evidence: unknown;
  occurredAt: Date;
  recordedAt: Date;
  prevHash: string | null;
}

/** JSON with object keys sorted at every depth (jsonb does not keep key order). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object" && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value instanceof Date ? value.toISOString() : value);
}

export function hashConsentEvent(e: HashableConsentEvent): string {
  const fields = [
    e.shopId, e.seq, e.customerId, e.channel, e.purpose, e.action, e.method, e.policyVersionId,
    e.policySha256, e.gpc, e.actorType, e.actorId, e.requestId, e.page, e.evidence,
    e.occurredAt.toISOString(), e.recordedAt.toISOString(), e.prevHash,
  ];
  return createHash("sha256").update(canonicalJson(fields)).digest("hex");
}
