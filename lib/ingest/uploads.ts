// Files an owner uploaded for import, kept on disk until their import ends. Each belongs to one
// shop; an id from another shop, or a made-up one, is simply not found. A file is limited while it
// streams in (never held whole in memory, never kept in part), and a shop may keep only so many
// bytes waiting at once, so one shop cannot fill the server's disk.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { z } from "zod";
import { AppError, notFound } from "../errors";

export const MAX_UPLOAD_BYTES = 512 * 2 ** 20;
/** An upload that was previewed but never imported is removed after this long. */
export const UPLOAD_TTL_MS = 24 * 3600_000;

export interface UploadMeta {
  uploadId: string;
  fileName: string;
  bytes: number;
  uploadedAt: string;
}

const MB = 2 ** 20;
const root = () => path.resolve(process.env.REGULARS_ROOT ?? process.cwd(), ".data/uploads");
const dirOf = (shopId: string) => path.join(root(), z.uuid().parse(shopId));
const megabytes = (bytes: number) => `${(bytes / MB).toLocaleString("en-GB", { maximumFractionDigits: bytes < 10 * MB ? 1 : 0 })} MB`;

export function uploadPath(shopId: string, uploadId: string): string {
  if (!z.uuid().safeParse(uploadId).success) throw notFound("Upload");
  const file = path.join(dirOf(shopId), `${uploadId}.csv`);
  if (!fs.existsSync(file)) throw notFound("Upload");
  return file;
}

export function readUploadMeta(shopId: string, uploadId: string): UploadMeta {
  const file = uploadPath(shopId, uploadId);
  return JSON.parse(fs.readFileSync(file.replace(/\.csv$/, ".json"), "utf8")) as UploadMeta;
}

/**
 * The bytes of the shop's uploads on disk (files being written included), after removing those
 * left unimported for longer than UPLOAD_TTL_MS. Files named in `skip` (uploads this process is
 * still writing, counted from memory instead) are left out.
 */
export function storedUploadBytes(shopId: string, now = Date.now(), skip?: ReadonlyMap<string, unknown>): number {
  const dir = dirOf(shopId);
  if (!fs.existsSync(dir)) return 0;
  let total = 0;
  for (const name of fs.readdirSync(dir)) {
    if (skip?.has(name.replace(/\.(csv|json)$/, ""))) continue;
    const file = path.join(dir, name);
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile()) continue;
    if (now - stat.mtimeMs > UPLOAD_TTL_MS) fs.rmSync(file, { force: true });
    else total += stat.size;
  }
  return total;
}

/**
 * Uploads this process is streaming in, per shop: what each one holds (or declared it will), and a
 * count that moves whenever one ends or a file is removed. Two uploads of one shop at once each
 * see the other's bytes as they arrive, so together they cannot pass the quota that each alone
 * would have fitted in.
 */
const streaming = new Map<string, { live: Map<string, number>; generation: number }>();

function shopStreams(shopId: string) {
  let state = streaming.get(shopId);
  if (!state) streaming.set(shopId, (state = { live: new Map(), generation: 0 }));
  return state;
}

/** The shop's bytes right now: its finished files (read again only after one changed) and the uploads in flight. */
function usageMeter(shopId: string) {
  const state = shopStreams(shopId);
  let seen = -1;
  let settled = 0;
  return () => {
    if (seen !== state.generation) {
      settled = storedUploadBytes(shopId, Date.now(), state.live);
      seen = state.generation;
    }
    let live = 0;
    for (const bytes of state.live.values()) live += bytes;
    return settled + live;
  };
}

function endStream(shopId: string, uploadId: string) {
  const state = streaming.get(shopId);
  if (!state) return;
  state.live.delete(uploadId);
  state.generation += 1;
  if (state.live.size === 0) streaming.delete(shopId);
}

export interface UploadLimits {
  /** Bytes a shop may keep waiting for import at once (UPLOAD_QUOTA_MB). */
  quotaBytes: number;
  /** The size the request declared (Content-Length), when it did: refused early when too large. */
  declaredBytes?: number | null;
  /** The largest single file; MAX_UPLOAD_BYTES unless a test says otherwise. */
  maxBytes?: number;
}

/**
 * Streams a request body to disk, refusing a file larger than MAX_UPLOAD_BYTES or one that would
 * take the shop's stored uploads over its quota, without keeping a part of it.
 */
export async function saveUpload(
  shopId: string,
  fileName: string,
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  limits: UploadLimits,
): Promise<UploadMeta> {
  const maxBytes = limits.maxBytes ?? MAX_UPLOAD_BYTES;
  const tooLarge = () => new AppError("payload_too_large", `The file is larger than ${megabytes(maxBytes)}; split it into smaller files and upload them one at a time.`);
  const overQuota = (used: number) =>
    new AppError(
      "insufficient_storage",
      `This shop already keeps ${megabytes(used)} of uploaded files waiting for import, and may keep ${megabytes(limits.quotaBytes)}. ` +
        "Import or discard the files you uploaded (unimported files are removed after a day), or ask whoever runs Regulars to raise UPLOAD_QUOTA_MB.",
    );
  if (limits.declaredBytes != null && limits.declaredBytes > maxBytes) throw tooLarge();
  const usage = usageMeter(shopId);
  const used = usage();
  if (used >= limits.quotaBytes || (limits.declaredBytes != null && used + limits.declaredBytes > limits.quotaBytes)) throw overQuota(used);

  // Counted from here on, with no wait between the check above and this: a second upload's check sees this one.
  const uploadId = randomUUID();
  const declared = limits.declaredBytes ?? 0;
  const state = shopStreams(shopId);
  state.live.set(uploadId, declared);
  const dir = dirOf(shopId);
  const file = path.join(dir, `${uploadId}.csv`);
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      state.live.set(uploadId, Math.max(declared, bytes));
      const total = usage();
      if (bytes > maxBytes) done(tooLarge());
      else if (total > limits.quotaBytes) done(overQuota(total - Math.max(declared, bytes)));
      else done(null, chunk);
    },
  });
  try {
    const source = body instanceof ReadableStream ? Readable.fromWeb(body as import("node:stream/web").ReadableStream) : Readable.from(body);
    fs.mkdirSync(dir, { recursive: true });
    await pipeline(source, limit, fs.createWriteStream(file));
  } catch (e) {
    fs.rmSync(file, { force: true });
    endStream(shopId, uploadId);
    throw e;
  }
  const meta: UploadMeta = { uploadId, fileName: path.basename(fileName).slice(0, 255) || "upload.csv", bytes, uploadedAt: new Date().toISOString() };
  fs.writeFileSync(path.join(dir, `${uploadId}.json`), JSON.stringify(meta));
  endStream(shopId, uploadId);
  return meta;
}

export function deleteUpload(shopId: string, uploadId: string): void {
  const dir = dirOf(shopId);
  fs.rmSync(path.join(dir, `${uploadId}.csv`), { force: true });
  fs.rmSync(path.join(dir, `${uploadId}.json`), { force: true });
  const state = streaming.get(shopId);
  if (state) state.generation += 1;
}
