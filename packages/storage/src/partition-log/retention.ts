import type { SegmentInfo } from "./types.js";

/** Kafka's `retention.ms` / `retention.bytes` (a negative value disables that limit). */
export interface RetentionPolicy {
  /** Delete segments whose newest record is older than this; -1 = keep forever. */
  retentionMs: number;
  /** Delete oldest segments while the rest still hold at least this many bytes; -1 = no size limit. */
  retentionBytes: number;
  /** The clock to judge age by, unix ms. */
  nowMs: number;
}

/**
 * How many of the oldest `segments` retention deletes, as Kafka's
 * `UnifiedLog.deleteOldSegments` decides: first by time, a prefix of segments
 * whose newest timestamp (`maxTimestampMs`, else `createdAtMs`) is more than
 * `retentionMs` before `nowMs`; then by size, on what remains, each oldest
 * segment while `totalSize - retentionBytes - segmentSize >= 0`. Every
 * segment here is committed (below the high watermark), so, as in Kafka,
 * the newest one can go too; the log end offset does not move.
 */
export function countRetentionDeletions(segments: readonly SegmentInfo[], policy: RetentionPolicy): number {
  let count = 0;
  if (policy.retentionMs >= 0) {
    while (count < segments.length) {
      const segment = segments[count]!;
      const newest = segment.maxTimestampMs ?? segment.createdAtMs;
      if (policy.nowMs - newest <= policy.retentionMs) break;
      count++;
    }
  }
  if (policy.retentionBytes >= 0) {
    let excess = -policy.retentionBytes;
    for (let i = count; i < segments.length; i++) excess += segments[i]!.sizeBytes;
    while (count < segments.length && excess - segments[count]!.sizeBytes >= 0) {
      excess -= segments[count]!.sizeBytes;
      count++;
    }
  }
  return count;
}

/** How many of the oldest `segments` lie entirely below `logStartOffset` (DeleteRecords). */
export function countSegmentsBelow(segments: readonly SegmentInfo[], logStartOffset: bigint): number {
  let count = 0;
  while (count < segments.length && segments[count]!.lastOffset < logStartOffset) count++;
  return count;
}
