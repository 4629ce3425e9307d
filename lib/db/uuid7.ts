// Time-ordered ids (UUID version 7, RFC 9562) for rows written in bulk. A random UUID lands
// anywhere in its primary-key index, so a million inserted lines touch pages all over a large
// index; ids that grow with time are appended at its right edge. Each id carries the Unix time in
// milliseconds, then a 12-bit counter that keeps ids made within one millisecond in order, then 62
// random bits. Ids from one process are strictly increasing, also when the clock steps back.
import { randomFillSync } from "node:crypto";

const HEX = Buffer.from("0123456789abcdef", "latin1");
const POOL_IDS = 512;
const pool = Buffer.alloc(POOL_IDS * 8);
let poolAt = POOL_IDS;
// The id is written into this buffer and read out as one string: no intermediate strings.
const text = Buffer.from("00000000-0000-7000-8000-000000000000", "latin1");
const BYTE_AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

let lastMs = -1;
let counter = 0;

function put(byte: number, value: number) {
  const at = BYTE_AT[byte]!;
  text[at] = HEX[value >>> 4]!;
  text[at + 1] = HEX[value & 0xf]!;
}

/** A new UUIDv7, greater than every id this process made before. */
export function uuid7(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
  } else if (++counter > 0xfff) {
    // 4,096 ids in one millisecond: borrow the next millisecond rather than repeat or go back.
    lastMs += 1;
    counter = 0;
  }
  if (poolAt === POOL_IDS) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const r = poolAt++ * 8;
  const high = Math.floor(lastMs / 2 ** 16);
  const low = lastMs % 2 ** 16;
  put(0, (high >>> 24) & 0xff);
  put(1, (high >>> 16) & 0xff);
  put(2, (high >>> 8) & 0xff);
  put(3, high & 0xff);
  put(4, low >>> 8);
  put(5, low & 0xff);
  put(6, 0x70 | (counter >>> 8));
  put(7, counter & 0xff);
  put(8, 0x80 | (pool[r]! & 0x3f));
  for (let i = 1; i < 8; i++) put(8 + i, pool[r + i]!);
  return text.toString("latin1");
}

/** The millisecond a UUIDv7 was made in. */
export function uuid7Time(id: string): Date {
  return new Date(parseInt(id.slice(0, 8) + id.slice(9, 13), 16));
}
