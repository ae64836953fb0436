import { LRUCache } from "lru-cache";
import { StorageError } from "../errors.js";
import type { SegmentIndex } from "../segment/index-format.js";

/** A batch of a partition's log, with the header fields the log needs. */
export interface StoredBatch {
  baseOffset: bigint;
  lastOffset: bigint;
  maxTimestamp: bigint;
  bytes: Uint8Array;
}

/** A whole segment's batches (views of the buffers they were appended from). */
export interface CachedSegment {
  kind: "segment";
  batches: StoredBatch[];
  /** Bytes charged to the cache. */
  size: number;
}

/** A decoded `.index` object. */
export interface CachedIndex {
  kind: "index";
  index: SegmentIndex;
  size: number;
}

export type SegmentCacheEntry = CachedSegment | CachedIndex;

/**
 * A byte-bounded LRU cache of segments and indexes, keyed by object key and
 * meant to be shared by all partition logs of a broker (keys include topic
 * and partition, so they never clash).
 */
export type SegmentCache = LRUCache<string, SegmentCacheEntry>;

export interface SegmentCacheOptions {
  /** Total bytes of cached segments and indexes. An entry larger than this is not cached. */
  maxBytes: number;
}

/** Creates a {@link SegmentCache} holding at most `maxBytes` bytes. */
export function createSegmentCache(options: SegmentCacheOptions): SegmentCache {
  if (!Number.isSafeInteger(options.maxBytes) || options.maxBytes < 1) {
    throw new StorageError("INVALID_ARGUMENT", `segment cache maxBytes ${options.maxBytes} is not a positive integer`);
  }
  return new LRUCache<string, SegmentCacheEntry>({
    maxSize: options.maxBytes,
    sizeCalculation: (entry) => Math.max(1, entry.size),
  });
}
