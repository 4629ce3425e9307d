// Reads a CSV file the way an owner's spreadsheet shows it: one pass to hash the bytes and check
// the encoding, one streamed pass through papaparse that yields records with their row numbers
// (the header is row 1; blank lines are counted but not yielded). Delimiters , ; tab and | are
// detected; quoted fields may hold delimiters and newlines; CRLF and a UTF-8 BOM are fine; a file
// that is not UTF-8 is read as Windows-1252, the encoding spreadsheet programs fall back to.
import { createHash } from "node:crypto";
import fs from "node:fs";
import { Transform, type TransformCallback } from "node:stream";
import Papa from "papaparse";
import { AppError } from "../errors";

export type TextEncoding = "utf-8" | "windows-1252";

export interface FileFacts {
  sha256: string;
  bytes: number;
  encoding: TextEncoding;
}

export interface CsvRecord {
  row: number;
  values: string[];
}

/** SHA-256 of a file, streamed. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of fs.createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Hashes the file and decides its encoding, refusing what is clearly not text. */
export async function inspectFile(path: string): Promise<FileFacts> {
  const hash = createHash("sha256");
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let utf8 = true;
  let bytes = 0;
  let controlBytes = 0;
  for await (const chunk of fs.createReadStream(path)) {
    const buf = chunk as Buffer;
    hash.update(buf);
    bytes += buf.length;
    for (let i = 0; i < buf.length && bytes - buf.length + i < 65_536; i++) {
      const b = buf[i]!;
      if (b === 0 || (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12)) controlBytes += 1;
    }
    if (utf8) {
      try {
        decoder.decode(buf, { stream: true });
      } catch {
        utf8 = false;
      }
    }
  }
  if (utf8) {
    try {
      decoder.decode();
    } catch {
      utf8 = false;
    }
  }
  if (bytes === 0) throw new AppError("invalid_input", "The file is empty (0 bytes). Export the data again and choose that file.");
  if (controlBytes > 0) {
    throw new AppError("invalid_input", "This is not a CSV text file (it contains binary data). Export a CSV from your store or spreadsheet.");
  }
  return { sha256: hash.digest("hex"), bytes, encoding: utf8 ? "utf-8" : "windows-1252" };
}

/** Decodes bytes to text in a stream, dropping a leading byte-order mark. */
class Decode extends Transform {
  private readonly decoder: TextDecoder;
  private first = true;
  constructor(encoding: TextEncoding) {
    super({ decodeStrings: true, encoding: "utf8" });
    this.decoder = new TextDecoder(encoding);
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
    let text = this.decoder.decode(chunk, { stream: true });
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    done(null, text);
  }
  override _flush(done: TransformCallback) {
    done(null, this.decoder.decode());
  }
}

const isBlank = (values: string[]) => values.every((v) => v.trim() === "");

const DELIMITERS = [",", ";", "\t", "|"] as const;

/**
 * Picks the delimiter that splits the first rows into the same number of columns (more than one)
 * most consistently; quoted values are respected, so "1.234,50" in a ;-file does not mislead it.
 */
export async function detectDelimiter(path: string, encoding: TextEncoding): Promise<string> {
  const head: Buffer[] = [];
  let size = 0;
  for await (const chunk of fs.createReadStream(path, { end: 65_535 })) {
    head.push(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  const text = new TextDecoder(encoding).decode(Buffer.concat(head, size)).replace(/^\uFEFF/, "");
  let best = { delimiter: ",", score: -1 };
  for (const delimiter of DELIMITERS) {
    const rows = Papa.parse<string[]>(text, { delimiter, preview: 20, skipEmptyLines: "greedy" }).data;
    const width = rows[0]?.length ?? 0;
    if (width < 2) continue;
    const consistent = rows.filter((r) => r.length === width).length / rows.length;
    const score = consistent * 1000 + width;
    if (score > best.score) best = { delimiter, score };
  }
  return best.delimiter;
}

/** Yields every non-blank record after the header, with its spreadsheet row number. */
export async function* readCsvRecords(
  path: string,
  encoding: TextEncoding,
  progress?: { bytes: number },
): AsyncGenerator<CsvRecord | { header: string[] }, void, undefined> {
  for await (const part of readCsvChunks(path, encoding, progress)) {
    if ("header" in part) yield part;
    else yield* part;
  }
}

/**
 * The same records as readCsvRecords, a few hundred at a time: the header first, then arrays of
 * records as papaparse reads them. Handing records over one by one through a stream costs more
 * than parsing them; an import reads a million rows this way in a fraction of the time. The file
 * and the parser wait while the reader works on a chunk, so memory holds a few chunks whatever the
 * file's size.
 */
export async function* readCsvChunks(
  path: string,
  encoding: TextEncoding,
  progress?: { bytes: number },
): AsyncGenerator<CsvRecord[] | { header: string[] }, void, undefined> {
  const delimiter = await detectDelimiter(path, encoding);
  const source = fs.createReadStream(path);
  if (progress) source.on("data", (chunk) => (progress.bytes += chunk.length));
  const text = source.pipe(new Decode(encoding));
  const parsed: string[][][] = [];
  let finished = false;
  let failure: unknown = null;
  let parser: Papa.Parser | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  Papa.parse(text as unknown as File, {
    delimiter,
    skipEmptyLines: false,
    chunk: (results: Papa.ParseResult<string[]>, handle: Papa.Parser) => {
      parsed.push(results.data);
      parser = handle;
      // Pausing the parser alone would let the file flow on into papaparse's queue.
      handle.pause();
      text.pause();
      notify();
    },
    complete: () => {
      finished = true;
      notify();
    },
    error: (e: Error) => {
      failure = e;
      finished = true;
      notify();
    },
  });
  let row = 0;
  let header: string[] | null = null;
  try {
    for (;;) {
      const data = parsed.shift();
      if (data === undefined) {
        if (failure) throw failure;
        if (finished) break;
        const waiting = new Promise<void>((resolve) => (wake = resolve));
        text.resume();
        (parser as Papa.Parser | null)?.resume();
        await waiting;
        continue;
      }
      const records: CsvRecord[] = [];
      for (const values of data) {
        row += 1;
        if (isBlank(values)) continue;
        if (!header) {
          header = values.map((h) => h.trim());
          yield { header };
          continue;
        }
        records.push({ row, values });
      }
      if (records.length > 0) yield records;
    }
  } finally {
    source.destroy(); // a reader that stops early (say, once it has seen enough) closes the file
  }
  if (!header) throw new AppError("invalid_input", "The file has no header row. The first line must name the columns.");
}
