import { StorageError } from "../errors.js";
import { SEGMENT_HEADER_SIZE } from "./segment-format.js";

/*
 * The sparse `.index` object next to each `.kfs` (big-endian):
 *
 * ```
 * header, 16 bytes
 *   0  4 bytes  magic "IDX\0" (49 44 58 00)
 *   4  u16      version (1)
 *   6  i32      entry count
 *  10  i32      interval (messages between entries)
 *  14  u16      reserved (0)
 * entries, 12 bytes each, in increasing offset order
 *   0  i64      offset: base offset of a batch
 *   8  i32      position of that batch in the .kfs, counting the 32-byte header
 * ```
 */

export const INDEX_MAGIC = 0x49445800;
export const INDEX_VERSION = 1;
export const INDEX_HEADER_SIZE = 16;
export const INDEX_ENTRY_SIZE = 12;

export interface IndexEntry {
  offset: bigint;
  /** Byte position of the batch in the `.kfs` object (≥ 32). */
  position: number;
}

export interface SegmentIndex {
  /** Messages between entries (the `N` of "one entry every N messages"). */
  interval: number;
  entries: IndexEntry[];
}

/** Builds an `.index` object. Entries must increase strictly in offset and position. */
export function encodeIndex(index: SegmentIndex): Uint8Array {
  checkInterval(index.interval, (m) => new StorageError("INVALID_ARGUMENT", m));
  const out = new Uint8Array(INDEX_HEADER_SIZE + index.entries.length * INDEX_ENTRY_SIZE);
  const v = new DataView(out.buffer);
  v.setUint32(0, INDEX_MAGIC);
  v.setUint16(4, INDEX_VERSION);
  v.setInt32(6, index.entries.length);
  v.setInt32(10, index.interval);
  v.setUint16(14, 0);
  let at = INDEX_HEADER_SIZE;
  let previous: IndexEntry | null = null;
  for (const entry of index.entries) {
    checkEntry(entry, previous, (m) => new StorageError("INVALID_ARGUMENT", m));
    v.setBigInt64(at, entry.offset);
    v.setInt32(at + 8, entry.position);
    at += INDEX_ENTRY_SIZE;
    previous = entry;
  }
  return out;
}

/** Decodes an `.index` object; `CORRUPT_INDEX` for anything that is not a valid one. */
export function decodeIndex(bytes: Uint8Array): SegmentIndex {
  const corrupt = (m: string): StorageError => new StorageError("CORRUPT_INDEX", m);
  if (bytes.length < INDEX_HEADER_SIZE) throw corrupt(`index needs a ${INDEX_HEADER_SIZE}-byte header, got ${bytes.length} bytes`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = v.getUint32(0);
  if (magic !== INDEX_MAGIC) throw corrupt(`index magic is 0x${magic.toString(16).padStart(8, "0")}, not 0x49445800 ("IDX\\0")`);
  const version = v.getUint16(4);
  if (version !== INDEX_VERSION) throw corrupt(`index version ${version} is not supported (only ${INDEX_VERSION})`);
  const count = v.getInt32(6);
  const interval = v.getInt32(10);
  checkInterval(interval, corrupt);
  const expected = INDEX_HEADER_SIZE + count * INDEX_ENTRY_SIZE;
  if (count < 0 || bytes.length !== expected) {
    throw corrupt(`index declares ${count} entries (${expected} bytes) but has ${bytes.length} bytes`);
  }
  const entries: IndexEntry[] = [];
  let previous: IndexEntry | null = null;
  for (let at = INDEX_HEADER_SIZE; at < bytes.length; at += INDEX_ENTRY_SIZE) {
    const entry = { offset: v.getBigInt64(at), position: v.getInt32(at + 8) };
    checkEntry(entry, previous, corrupt);
    entries.push(entry);
    previous = entry;
  }
  return { interval, entries };
}

/**
 * The last entry whose offset is ≤ `offset` (where a read of `offset` starts)
 * and the entry after it (a read can stop looking there), by binary search.
 * `floor` is null when `offset` is before the first entry.
 */
export function lookupIndex(entries: readonly IndexEntry[], offset: bigint): { floor: IndexEntry | null; next: IndexEntry | null } {
  let lo = 0;
  let hi = entries.length; // first entry with entry.offset > offset
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (entries[mid]!.offset <= offset) lo = mid + 1;
    else hi = mid;
  }
  return { floor: lo > 0 ? entries[lo - 1]! : null, next: entries[lo] ?? null };
}

function checkInterval(interval: number, error: (m: string) => StorageError): void {
  if (!Number.isInteger(interval) || interval < 1 || interval > 0x7fffffff) throw error(`index interval ${interval} is not a positive int32`);
}

function checkEntry(entry: IndexEntry, previous: IndexEntry | null, error: (m: string) => StorageError): void {
  if (entry.offset < -(2n ** 63n) || entry.offset >= 2n ** 63n) throw error(`index entry offset ${entry.offset} does not fit in an int64`);
  if (!Number.isInteger(entry.position) || entry.position < SEGMENT_HEADER_SIZE || entry.position > 0x7fffffff) {
    throw error(`index entry position ${entry.position} is not an int32 ≥ ${SEGMENT_HEADER_SIZE} (the segment header size)`);
  }
  if (previous !== null && (entry.offset <= previous.offset || entry.position <= previous.position)) {
    throw error(`index entry (${entry.offset} @ ${entry.position}) does not follow (${previous.offset} @ ${previous.position})`);
  }
}
