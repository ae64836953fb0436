import { StorageError } from "../errors.js";
import type { IndexEntry } from "./index-format.js";
import { SEGMENT_HEADER_SIZE } from "./segment-format.js";

/** What the index builder needs to know of each batch of a segment, in order. */
export interface IndexedBatch {
  baseOffset: bigint;
  lastOffset: bigint;
  /** Bytes of the batch in the body. */
  size: number;
}

/**
 * The sparse index of a segment body: an entry for the first batch, then an
 * entry for the first batch that starts once at least `interval` messages
 * (counted by offsets) have gone by since the previous entry. Entries always
 * point at batch starts, so a read never begins inside a batch. Positions
 * count the 32-byte segment header.
 */
export function buildIndexEntries(batches: Iterable<IndexedBatch>, interval: number): IndexEntry[] {
  if (!Number.isInteger(interval) || interval < 1) {
    throw new StorageError("INVALID_ARGUMENT", `index interval ${interval} is not a positive integer`);
  }
  const entries: IndexEntry[] = [];
  let position = SEGMENT_HEADER_SIZE;
  let sinceEntry = 0;
  for (const batch of batches) {
    if (entries.length === 0 || sinceEntry >= interval) {
      entries.push({ offset: batch.baseOffset, position });
      sinceEntry = 0;
    }
    sinceEntry += Number(batch.lastOffset - batch.baseOffset + 1n);
    position += batch.size;
  }
  return entries;
}
