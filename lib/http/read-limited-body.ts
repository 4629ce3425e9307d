// Reads a request body while it streams in and stops at the limit, whatever Content-Length says
// (it may be absent, with chunked encoding, or wrong): nothing larger than the limit is ever held.
import { AppError } from "../errors";

/** The body's bytes, at most `limit` of them; more is refused with payload_too_large. */
export async function readLimitedBytes(body: ReadableStream<Uint8Array> | null, limit: number, tooLarge: string): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw new AppError("payload_too_large", tooLarge);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/** The body as UTF-8 text, at most `limit` bytes; bytes that are not UTF-8 are a 400. */
export async function readLimitedText(body: ReadableStream<Uint8Array> | null, limit: number, tooLarge: string): Promise<string> {
  const bytes = await readLimitedBytes(body, limit, tooLarge);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("invalid_input", "The body is not UTF-8 text.", { fields: [{ field: "(body)", message: "not UTF-8 text" }] });
  }
}

/** A declared Content-Length that is already over the limit is refused before reading anything. */
export function declaredLength(header: string | null): number | null {
  if (header === null) return null;
  if (!/^\d{1,15}$/.test(header.trim())) throw new AppError("invalid_input", "The Content-Length header is not a number of bytes.");
  return Number(header.trim());
}
