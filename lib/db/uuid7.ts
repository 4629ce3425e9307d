// Time-ordered ids (UUID version 7, RFC 9562) for rows written in bulk. A random UUID lands
// anywhere in its primary-key index, so a million inserted lines touch pages all over a large
// index; ids that grow with time are appended at its right edge. Each id carries the Unix time in
// milliseconds, then a 12-bit counter that keeps ids made within one millisecond in order, then 62
// random bits. Ids from one process are strictly increasing, also when the clock steps back.
import { randomFillSync } from "node:crypto";

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const POOL_IDS = 512;
const pool = Buffer.alloc(POOL_IDS * 8);
let poolAt = POOL_IDS;

let lastMs = -1;
let counter = 0;

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
  const ms = lastMs;
  const high = Math.floor(ms / 2 ** 16);
  const low = ms % 2 ** 16;
  return (
    HEX[(high >>> 24) & 0xff]! + HEX[(high >>> 16) & 0xff]! + HEX[(high >>> 8) & 0xff]! + HEX[high & 0xff]! + "-" +
    HEX[low >>> 8]! + HEX[low & 0xff]! + "-" +
    HEX[0x70 | (counter >>> 8)]! + HEX[counter & 0xff]! + "-" +
    HEX[0x80 | (pool[r]! & 0x3f)]! + HEX[pool[r + 1]!]! + "-" +
    HEX[pool[r + 2]!]! + HEX[pool[r + 3]!]! + HEX[pool[r + 4]!]! + HEX[pool[r + 5]!]! + HEX[pool[r + 6]!]! + HEX[pool[r + 7]!]!
  );
}

/** The millisecond a UUIDv7 was made in. */
export function uuid7Time(id: string): Date {
  return new Date(parseInt(id.slice(0, 8) + id.slice(9, 13), 16));
}
