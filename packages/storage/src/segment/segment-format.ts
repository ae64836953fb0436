import { crc32c } from "@node-rs/crc32";
import { iterateBatches, lastOffset, RecordBatchError } from "@kafscale/protocol/records";
import { StorageError } from "../errors.js";

/*
 * The `.kfs` segment object (all integers big-endian):
 *
 * ```
 * header, 32 bytes
 *   0  u32  magic "KAFS" (0x4B414653)
 *   4  u16  version (1)
 *   6  u16  flags (0; no flag is defined)
 *   8  i64  base offset
 *  16  i32  message count
 *  20  i64  created, unix milliseconds
 *  28  u32  reserved (0)
 * body
 *      Kafka RecordBatch v2 bytes exactly as the producer sent them, except
 *      for the baseOffset the broker assigned
 * footer, 16 bytes
 *   0  u32  CRC-32C (Castagnoli) of the body
 *   4  i64  last offset
 *  12  u32  magic "END!" (0x454E4421)
 * ```
 */

export const SEGMENT_MAGIC = 0x4b414653;
export const SEGMENT_FOOTER_MAGIC = 0x454e4421;
export const SEGMENT_VERSION = 1;
export const SEGMENT_HEADER_SIZE = 32;
export const SEGMENT_FOOTER_SIZE = 16;

/** The decoded 32-byte header. */
export interface SegmentHeader {
  version: number;
  flags: number;
  baseOffset: bigint;
  messageCount: number;
  createdAtMs: number;
  reserved: number;
}

/** The decoded 16-byte footer. */
export interface SegmentFooter {
  /** Unsigned CRC-32C of the body. */
  bodyCrc: number;
  lastOffset: bigint;
}

export interface EncodeSegmentInput {
  baseOffset: bigint;
  lastOffset: bigint;
  messageCount: number;
  createdAtMs: number;
  /** Complete RecordBatch v2 byte strings, in offset order; written as they are. */
  batches: readonly Uint8Array[];
  /** Default 0 (version 1 defines no flags). */
  flags?: number;
}

/**
 * Builds a `.kfs` segment as chunks `[header, ...batches, footer]` (the
 * batches are not copied), ready for `ObjectStore.putIfAbsent`.
 */
export function encodeSegment(input: EncodeSegmentInput): Uint8Array[] {
  const flags = input.flags ?? 0;
  checkInt64("baseOffset", input.baseOffset);
  checkInt64("lastOffset", input.lastOffset);
  checkInt("messageCount", input.messageCount, 0, 0x7fffffff);
  checkInt("flags", flags, 0, 0xffff);
  if (!Number.isSafeInteger(input.createdAtMs)) throw invalidArgument(`createdAtMs ${input.createdAtMs} is not an integer`);

  const header = new Uint8Array(SEGMENT_HEADER_SIZE);
  const h = new DataView(header.buffer);
  h.setUint32(0, SEGMENT_MAGIC);
  h.setUint16(4, SEGMENT_VERSION);
  h.setUint16(6, flags);
  h.setBigInt64(8, input.baseOffset);
  h.setInt32(16, input.messageCount);
  h.setBigInt64(20, BigInt(input.createdAtMs));
  h.setUint32(28, 0);

  let crc = 0;
  for (const batch of input.batches) crc = crc32c(batch, crc);
  const footer = new Uint8Array(SEGMENT_FOOTER_SIZE);
  const f = new DataView(footer.buffer);
  f.setUint32(0, crc >>> 0);
  f.setBigInt64(4, input.lastOffset);
  f.setUint32(12, SEGMENT_FOOTER_MAGIC);

  return [header, ...input.batches, footer];
}

/** Decodes the header at the start of `bytes` (a whole segment or its first 32+ bytes); `CORRUPT_SEGMENT` if it is not one. */
export function decodeSegmentHeader(bytes: Uint8Array): SegmentHeader {
  if (bytes.length < SEGMENT_HEADER_SIZE) {
    throw corrupt(`segment header needs ${SEGMENT_HEADER_SIZE} bytes, got ${bytes.length}`);
  }
  const v = viewOf(bytes);
  const magic = v.getUint32(0);
  if (magic !== SEGMENT_MAGIC) throw corrupt(`segment header magic is 0x${hex32(magic)}, not 0x${hex32(SEGMENT_MAGIC)} ("KAFS")`);
  const version = v.getUint16(4);
  if (version !== SEGMENT_VERSION) throw corrupt(`segment version ${version} is not supported (only ${SEGMENT_VERSION})`);
  return {
    version,
    flags: v.getUint16(6),
    baseOffset: v.getBigInt64(8),
    messageCount: v.getInt32(16),
    createdAtMs: Number(v.getBigInt64(20)),
    reserved: v.getUint32(28),
  };
}

/** Decodes the footer from the last 16 bytes of `bytes` (a whole segment, or any tail of it); `CORRUPT_SEGMENT` if it is not one. */
export function decodeSegmentFooter(bytes: Uint8Array): SegmentFooter {
  if (bytes.length < SEGMENT_FOOTER_SIZE) {
    throw corrupt(`segment footer needs ${SEGMENT_FOOTER_SIZE} bytes, got ${bytes.length}`);
  }
  const v = viewOf(bytes.subarray(bytes.length - SEGMENT_FOOTER_SIZE));
  const magic = v.getUint32(12);
  if (magic !== SEGMENT_FOOTER_MAGIC) {
    throw corrupt(`segment footer magic is 0x${hex32(magic)}, not 0x${hex32(SEGMENT_FOOTER_MAGIC)} ("END!")`);
  }
  return { bodyCrc: v.getUint32(0), lastOffset: v.getBigInt64(4) };
}

/** A segment that passed {@link verifySegment}. */
export interface VerifiedSegment {
  header: SegmentHeader;
  footer: SegmentFooter;
  /** The batches, as a subarray of the input. */
  body: Uint8Array;
}

/**
 * Checks a whole segment: header and footer magics and version, the body's
 * CRC-32C, and that the body is a sequence of complete v2 batches starting at
 * the header's base offset, ending at the footer's last offset, holding the
 * header's message count. Throws `CORRUPT_SEGMENT` naming the first problem.
 */
export function verifySegment(bytes: Uint8Array): VerifiedSegment {
  if (bytes.length < SEGMENT_HEADER_SIZE + SEGMENT_FOOTER_SIZE) {
    throw corrupt(`segment of ${bytes.length} bytes is shorter than header and footer (${SEGMENT_HEADER_SIZE + SEGMENT_FOOTER_SIZE})`);
  }
  const header = decodeSegmentHeader(bytes);
  const footer = decodeSegmentFooter(bytes);
  const body = bytes.subarray(SEGMENT_HEADER_SIZE, bytes.length - SEGMENT_FOOTER_SIZE);
  const crc = crc32c(body) >>> 0;
  if (crc !== footer.bodyCrc) throw corrupt(`segment body CRC-32C is 0x${hex32(crc)}, the footer says 0x${hex32(footer.bodyCrc)}`);

  let first: bigint | null = null;
  let last: bigint | null = null;
  let messages = 0;
  try {
    const batches = iterateBatches(body);
    for (;;) {
      const step = batches.next();
      if (step.done === true) {
        if (step.value !== null) throw corrupt(`segment body ends with a partial batch at byte ${SEGMENT_HEADER_SIZE + step.value.position}`);
        break;
      }
      first ??= step.value.header.baseOffset;
      if (last !== null && step.value.header.baseOffset <= last) {
        throw corrupt(`batch at byte ${SEGMENT_HEADER_SIZE + step.value.position} starts at offset ${step.value.header.baseOffset}, not after ${last}`);
      }
      last = lastOffset(step.value.header);
      messages += step.value.header.recordCount;
    }
  } catch (err) {
    if (err instanceof RecordBatchError) throw corrupt(`segment body holds a bad batch: ${err.message}`, err);
    throw err;
  }
  if (first !== null && first !== header.baseOffset) throw corrupt(`first batch starts at ${first}, the header says ${header.baseOffset}`);
  if (last !== null && last !== footer.lastOffset) throw corrupt(`last batch ends at ${last}, the footer says ${footer.lastOffset}`);
  if (messages !== header.messageCount) throw corrupt(`body holds ${messages} records, the header says ${header.messageCount}`);
  return { header, footer, body };
}

function corrupt(message: string, cause?: unknown): StorageError {
  return new StorageError("CORRUPT_SEGMENT", message, cause === undefined ? undefined : { cause });
}

function invalidArgument(message: string): StorageError {
  return new StorageError("INVALID_ARGUMENT", message);
}

function checkInt64(name: string, value: bigint): void {
  if (value < -(2n ** 63n) || value >= 2n ** 63n) throw invalidArgument(`${name} ${value} does not fit in an int64`);
}

function checkInt(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) throw invalidArgument(`${name} ${value} is not an integer in [${min}, ${max}]`);
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function hex32(n: number): string {
  return n.toString(16).padStart(8, "0");
}
