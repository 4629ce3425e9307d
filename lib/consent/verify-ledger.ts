// Walks a shop's consent ledger in seq order, a batch at a time, recomputing every hash with the
// one formula (hash-consent-event.ts), and names the first event that does not fit: an edited row
// (its hash no longer matches its fields), a removed row (a gap in seq), a row moved to another
// place (its hash matches its fields only at another seq), or a row that does not link to the one
// before it. A checkpoint the owner wrote down earlier (seq + hash) also catches rows removed from
// the end and a chain recomputed from some row on, which no walk of the rows alone can see.
import { and, asc, count, eq, gt } from "drizzle-orm";
import { z } from "zod";
import { consentEvents } from "../db/schema";
import { currentShopId, type ShopTx } from "../db/tenant";
import { AppError } from "../errors";
import { hashConsentEvent } from "./hash-consent-event";
import { ledgerHead } from "./record-consent-events";

export type LedgerProblem = "edited" | "removed" | "reordered" | "unlinked" | "checkpoint";

export interface Checkpoint {
  seq: number;
  hash: string;
}

export interface LedgerVerification {
  ok: boolean;
  /** Events in the ledger. */
  events: number;
  /** The first event that does not fit; null when the ledger fits, or when what is missing has no row left. */
  firstBadEventId: string | null;
  firstBadSeq: number | null;
  problem: LedgerProblem | null;
  /** One sentence an owner can read. */
  reason: string;
  /** The last event: write seq and hash down as a checkpoint to verify against later. */
  headSeq: number;
  headHash: string | null;
  checkpoint: (Checkpoint & { matched: boolean }) | null;
}

export const CheckpointSchema = z
  .string()
  .trim()
  .regex(/^\d{1,15}:[0-9a-fA-F]{64}$/, "Write the checkpoint as SEQ:HASH, e.g. 42:9f86d0…, with the full 64-character hash.")
  .transform((s): Checkpoint => {
    const [seq, hash] = s.split(":");
    return { seq: Number(seq), hash: hash!.toLowerCase() };
  })
  .refine((c) => c.seq >= 1, "The checkpoint's event number starts at 1.");

export const formatCheckpoint = (c: Checkpoint) => `${c.seq}:${c.hash}`;

export function parseCheckpoint(value: string): Checkpoint {
  const parsed = CheckpointSchema.safeParse(value);
  if (!parsed.success) throw new AppError("invalid_input", parsed.error.issues[0]?.message ?? "Invalid checkpoint.", { fields: [{ field: "checkpoint", message: parsed.error.issues[0]?.message ?? "Invalid checkpoint." }] });
  return parsed.data;
}

type Row = typeof consentEvents.$inferSelect;

const BATCH = 1000;
const short = (hash: string | null) => (hash ? hash.slice(0, 12) : "none");

export async function verifyLedger(tx: ShopTx, options: { checkpoint?: Checkpoint | null; batchSize?: number } = {}): Promise<LedgerVerification> {
  const shopId = await currentShopId(tx);
  const batchSize = options.batchSize ?? BATCH;
  const checkpoint = options.checkpoint ?? null;
  let checkpointMatched = false;

  let walked = 0;
  let prev = null as Pick<Row, "seq" | "hash"> | null;

  const fail = async (row: Row | null, problem: LedgerProblem, reason: string): Promise<LedgerVerification> => {
    const [total] = await tx.select({ n: count() }).from(consentEvents).where(eq(consentEvents.shopId, shopId));
    const head = await ledgerHead(tx, shopId);
    return {
      ok: false,
      events: total?.n ?? walked,
      firstBadEventId: row?.id ?? null,
      firstBadSeq: row?.seq ?? null,
      problem,
      reason,
      headSeq: head?.seq ?? 0,
      headHash: head?.hash ?? null,
      checkpoint: checkpoint ? { ...checkpoint, matched: false } : null,
    };
  };

  for (;;) {
    const rows = await tx
      .select()
      .from(consentEvents)
      .where(and(eq(consentEvents.shopId, shopId), gt(consentEvents.seq, prev?.seq ?? 0)))
      .orderBy(asc(consentEvents.seq))
      .limit(batchSize);

    for (const row of rows) {
      const expectedSeq = (prev?.seq ?? 0) + 1;
      if (row.seq !== expectedSeq) {
        const missing = row.seq - expectedSeq === 1 ? `#${expectedSeq} is` : `#${expectedSeq}–#${row.seq - 1} are`;
        return fail(row, "removed", `Event ${missing} missing: the ledger jumps from #${expectedSeq - 1} to #${row.seq}, so a row was removed before event #${row.seq}.`);
      }
      if (hashConsentEvent(row) !== row.hash) {
        const origin = await originalSeq(tx, shopId, row);
        if (origin !== null && origin !== row.seq) {
          return fail(row, "reordered", `Event #${row.seq} was moved: its hash fits its fields only as event #${origin}, so rows were reordered.`);
        }
        return fail(row, "edited", `Event #${row.seq} was changed after it was written: its fields no longer give its hash ${short(row.hash)}.`);
      }
      if ((row.prevHash ?? null) !== (prev?.hash ?? null)) {
        return fail(
          row,
          "unlinked",
          `Event #${row.seq} does not link to the event before it: it names ${short(row.prevHash)} as the previous hash, but event #${row.seq - 1} has ${short(prev?.hash ?? null)}.`,
        );
      }
      if (checkpoint && row.seq === checkpoint.seq) {
        if (row.hash !== checkpoint.hash) {
          return fail(
            row,
            "checkpoint",
            `Event #${row.seq} has hash ${short(row.hash)}, not ${short(checkpoint.hash)} as in the checkpoint: the ledger up to this event was rewritten after the checkpoint was taken.`,
          );
        }
        checkpointMatched = true;
      }
      walked += 1;
      prev = row;
    }
    if (rows.length < batchSize) break;
  }

  if (checkpoint && !checkpointMatched) {
    return fail(
      null,
      "checkpoint",
      `The checkpoint is at event #${checkpoint.seq} but the ledger has only ${walked} event${walked === 1 ? "" : "s"}: events were removed from its end.`,
    );
  }

  return {
    ok: true,
    events: walked,
    firstBadEventId: null,
    firstBadSeq: null,
    problem: null,
    reason:
      walked === 0
        ? "The ledger is empty: no consent has been recorded yet."
        : `All ${walked} event${walked === 1 ? "" : "s"} fit: each hash matches its row and links to the one before${checkpoint ? `, and event #${checkpoint.seq} still has the checkpoint's hash` : ""}.`,
    headSeq: prev?.seq ?? 0,
    headHash: prev?.hash ?? null,
    checkpoint: checkpoint ? { ...checkpoint, matched: true } : null,
  };
}

/**
 * Where a row whose hash does not fit its place came from: its previous hash names the row that
 * stood before it when it was written, so it was written as the one after that row. Only looked
 * up once, for the first bad row.
 */
async function originalSeq(tx: ShopTx, shopId: string, row: Row): Promise<number | null> {
  let candidate: number;
  if (row.prevHash === null) candidate = 1;
  else {
    const [before] = await tx
      .select({ seq: consentEvents.seq })
      .from(consentEvents)
      .where(and(eq(consentEvents.shopId, shopId), eq(consentEvents.hash, row.prevHash)))
      .limit(1);
    if (!before) return null;
    candidate = before.seq + 1;
  }
  return hashConsentEvent({ ...row, seq: candidate }) === row.hash ? candidate : null;
}

/** The ledger's last event, for showing the checkpoint without walking the chain. */
export async function getLedgerHead(tx: ShopTx): Promise<{ seq: number; hash: string | null }> {
  const head = await ledgerHead(tx, await currentShopId(tx));
  return { seq: head?.seq ?? 0, hash: head?.hash ?? null };
}
