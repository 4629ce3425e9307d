// Files an owner uploaded for import, kept on disk until their import ends. Each belongs to one
// shop; an id from another shop, or a made-up one, is simply not found.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { z } from "zod";
import { AppError, notFound } from "../errors";

export const MAX_UPLOAD_BYTES = 512 * 2 ** 20;

export interface UploadMeta {
  uploadId: string;
  fileName: string;
  bytes: number;
  uploadedAt: string;
}

const root = () => path.resolve(process.env.REGULARS_ROOT ?? process.cwd(), ".data/uploads");
const dirOf = (shopId: string) => path.join(root(), z.uuid().parse(shopId));

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

/** Streams a request body to disk, refusing more than MAX_UPLOAD_BYTES without keeping a part. */
export async function saveUpload(shopId: string, fileName: string, body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>): Promise<UploadMeta> {
  const uploadId = randomUUID();
  const dir = dirOf(shopId);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${uploadId}.csv`);
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > MAX_UPLOAD_BYTES) done(new AppError("payload_too_large", `The file is larger than ${MAX_UPLOAD_BYTES / 2 ** 20} MB; split it into smaller files.`));
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
