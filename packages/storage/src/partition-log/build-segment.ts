import { buildIndexEntries } from "../segment/index-builder.js";
import { encodeIndex } from "../segment/index-format.js";
import { encodeSegment } from "../segment/segment-format.js";
import type { CachedIndex, CachedSegment, StoredBatch } from "./segment-cache.js";
import type { SegmentInfo } from "./types.js";
import type { WriteBuffer } from "./write-buffer.js";

/** The objects of one flush, plus what the cache and metadata need of them. */
export interface BuiltSegment {
  info: SegmentInfo & { maxTimestampMs: number };
  /** The whole `.kfs`: header, the batches as appended (views, not copies), footer. */
  segmentChunks: Uint8Array[];
  indexBytes: Uint8Array;
  cachedSegment: CachedSegment;
  cachedIndex: CachedIndex;
}

/**
 * Encodes a buffer as a segment and its index. The batches are not copied: the
 * object is written from the views the producers' requests arrived in (a
 * vectored write), and the cache keeps those views. Copying each flush into a
 * fresh buffer cost a quarter of the broker's CPU under load, mostly in page
 * faults of the new memory; a cached view may pin the rest of its request
 * frame until the cache evicts it.
 */
export function buildSegment(buffer: WriteBuffer, createdAtMs: number, indexInterval: number): BuiltSegment {
  const lastOffset = buffer.nextOffset - 1n;
  const messageCount = Number(buffer.nextOffset - buffer.baseOffset);
  const segmentChunks = encodeSegment({
    baseOffset: buffer.baseOffset,
    lastOffset,
    messageCount,
    createdAtMs,
    batches: buffer.batches.map((b) => b.bytes),
  });
  const total = segmentChunks.reduce((n, c) => n + c.length, 0);

  const batches: StoredBatch[] = [];
  let maxTimestamp: bigint | null = null;
  for (const batch of buffer.batches) {
    batches.push(batch);
    if (maxTimestamp === null || batch.maxTimestamp > maxTimestamp) maxTimestamp = batch.maxTimestamp;
  }
  const entries = buildIndexEntries(
    buffer.batches.map((b) => ({ baseOffset: b.baseOffset, lastOffset: b.lastOffset, size: b.bytes.length })),
    indexInterval,
  );
  const indexBytes = encodeIndex({ interval: indexInterval, entries });
  return {
    info: {
      baseOffset: buffer.baseOffset,
      lastOffset,
      sizeBytes: total,
      messageCount,
      createdAtMs,
      maxTimestampMs: Number(maxTimestamp ?? -1n),
    },
    segmentChunks,
    indexBytes,
    cachedSegment: { kind: "segment", batches, size: total },
    cachedIndex: { kind: "index", index: { interval: indexInterval, entries }, size: indexBytes.length },
  };
}
