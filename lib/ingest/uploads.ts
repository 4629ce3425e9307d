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
 * left unimported for longer than UPLOAD_TTL_MS.
 */
export function storedUploadBytes(shopId: string, now = Date.now()): number {
  const dir = dirOf(shopId);
  if (!fs.existsSync(dir)) return 0;
  let total = 0;
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile()) continue;
    if (now - stat.mtimeMs > UPLOAD_TTL_MS) fs.rmSync(file, { force: true });
    else total += stat.size;
  }
  return total;
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
  const used = storedUploadBytes(shopId);
  const room = limits.quotaBytes - used;
  if (limits.declaredBytes != null && limits.declaredBytes > maxBytes) throw tooLarge();
  if (room <= 0 || (limits.declaredBytes != null && limits.declaredBytes > room)) throw overQuota(used);

  const uploadId = randomUUID();
  const dir = dirOf(shopId);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${uploadId}.csv`);
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) done(tooLarge());
      else if (bytes > room) done(overQuota(used));
      else done(null, chunk);
    },
  });
  const source = body instanceof ReadableStream ? Readable.fromWeb(body as import("node:stream/web").ReadableStream) : Readable.from(body);
  try {
    await pipeline(source, limit, fs.createWriteStream(file));
  } catch (e) {
    fs.rmSync(file, { force: true });
    throw e;
  }
  const meta: UploadMeta = { uploadId, fileName: path.basename(fileName).slice(0, 255) || "upload.csv", bytes, uploadedAt: new Date().toISOString() };
  fs.writeFileSync(path.join(dir, `${uploadId}.json`), JSON.stringify(meta));
  return meta;
}

export function deleteUpload(shopId: string, uploadId: string): void {
  const dir = dirOf(shopId);
  fs.rmSync(path.join(dir, `${uploadId}.csv`), { force: true });
  fs.rmSync(path.join(dir, `${uploadId}.json`), { force: true });
}
