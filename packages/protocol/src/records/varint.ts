import { RecordBatchError } from "./errors.js";

/*
 * Kafka's record-level integers: zigzag-encoded, then written 7 bits at a time,
 * least significant group first, high bit = "more follows" (ByteUtils.java).
 * varint carries an int32 in at most 5 bytes, varlong an int64 in at most 10.
 */

/** Read position shared by the readers below. */
export interface Cursor {
  pos: number;
}

const TWO_POW_49 = 2 ** 49;

export function readVarint(bytes: Uint8Array, cursor: Cursor, end: number): number {
  let raw = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (cursor.pos >= end) throw corrupt("varint runs past the end of the record data");
    const b = bytes[cursor.pos++]!;
    raw |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) return (raw >>> 1) ^ -(raw & 1);
  }
  throw corrupt("varint is longer than 5 bytes");
}

export function readVarlong(bytes: Uint8Array, cursor: Cursor, end: number): bigint {
  // Up to 7 groups (49 bits) are exact in a double; longer values take the bigint path.
  let raw = 0;
  let scale = 1;
  for (let i = 0; i < 7; i++) {
    if (cursor.pos >= end) throw corrupt("varlong runs past the end of the record data");
    const b = bytes[cursor.pos++]!;
    raw += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) return BigInt(raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2);
    scale *= 128;
  }
  let big = BigInt(raw);
  for (let shift = 49n; shift < 70n; shift += 7n) {
    if (cursor.pos >= end) throw corrupt("varlong runs past the end of the record data");
    const b = bytes[cursor.pos++]!;
    big |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) {
      const u = BigInt.asUintN(64, big);
      return BigInt.asIntN(64, (u >> 1n) ^ -(u & 1n));
    }
  }
  throw corrupt("varlong is longer than 10 bytes");
}

/** Zigzag of an int32, as an unsigned 32-bit number. */
function zigzag32(value: number): number {
  return ((value << 1) ^ (value >> 31)) >>> 0;
}

export function sizeOfVarint(value: number): number {
  const z = zigzag32(value);
  if (z < 0x80) return 1;
  if (z < 0x4000) return 2;
  if (z < 0x20_0000) return 3;
  if (z < 0x1000_0000) return 4;
  return 5;
}

/** Writes `value` (an int32) at `pos`; returns the position after it. */
export function writeVarint(bytes: Uint8Array, pos: number, value: number): number {
  let z = zigzag32(value);
  while (z >= 0x80) {
    bytes[pos++] = (z & 0x7f) | 0x80;
    z >>>= 7;
  }
  bytes[pos++] = z;
  return pos;
}

/** Zigzag of an int64 as a double when it is exact (< 2^49), else null. */
function smallZigzag64(value: bigint): number | null {
  if (value >= -(2n ** 48n) && value < 2n ** 48n) {
    const n = Number(value);
    const z = n >= 0 ? n * 2 : -n * 2 - 1;
    return z < TWO_POW_49 ? z : null;
  }
  return null;
}

function zigzag64(value: bigint): bigint {
  return BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
}

export function sizeOfVarlong(value: bigint): number {
  const small = smallZigzag64(value);
  if (small !== null) {
    let size = 1;
    for (let z = small; z >= 128; z = Math.floor(z / 128)) size++;
    return size;
  }
  let size = 1;
  for (let z = zigzag64(value); z >= 128n; z >>= 7n) size++;
  return size;
}

/** Writes `value` (an int64) at `pos`; returns the position after it. */
export function writeVarlong(bytes: Uint8Array, pos: number, value: bigint): number {
  const small = smallZigzag64(value);
  if (small !== null) {
    let z = small;
    while (z >= 128) {
      bytes[pos++] = (z % 128) | 0x80;
      z = Math.floor(z / 128);
    }
    bytes[pos++] = z;
    return pos;
  }
  let z = zigzag64(value);
  while (z >= 128n) {
    bytes[pos++] = Number(z & 0x7fn) | 0x80;
    z >>= 7n;
  }
  bytes[pos++] = Number(z);
  return pos;
}

function corrupt(message: string): RecordBatchError {
  return new RecordBatchError("CORRUPT_RECORD", message);
}
