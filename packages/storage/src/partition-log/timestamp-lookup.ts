import { decodeBatch, recordOffset, recordTimestamp } from "@kafscale/protocol/records";
import type { CommittedSegment } from "./segment-reader.js";
import type { StoredBatch } from "./segment-cache.js";

/** An offset and the timestamp of the record there (ListOffsets' answer). */
export interface TimestampOffset {
  offset: bigint;
  timestamp: bigint;
}

type LoadBatches = (segment: CommittedSegment) => Promise<StoredBatch[]>;

/**
 * The first offset ≥ `logStartOffset` whose record timestamp is ≥ `target`
 * (ListOffsets with a timestamp), as Kafka finds it: the first batch whose
 * `maxTimestamp` is ≥ `target`, then the first such record inside it. Whole
 * segments are skipped by their `maxTimestampMs` when the metadata has it;
 * other batches are skipped by their header; only the batch that matters is
 * decoded (decompressed if need be).
 */
export async function findOffsetForTimestamp(
  segments: readonly CommittedSegment[],
  load: LoadBatches,
  target: bigint,
  logStartOffset: bigint,
): Promise<TimestampOffset | null> {
  for (const segment of segments) {
    if (segment.info.lastOffset < logStartOffset) continue;
    if (segment.info.maxTimestampMs !== undefined && BigInt(segment.info.maxTimestampMs) < target) continue;
    for (const batch of await load(segment)) {
      if (batch.lastOffset < logStartOffset || batch.maxTimestamp < target) continue;
      const found = firstRecord(batch, logStartOffset, (timestamp) => timestamp >= target);
      if (found !== null) return found;
    }
  }
  return null;
}

/**
 * The record with the largest timestamp at or after `logStartOffset`, the
 * first one on ties (ListOffsets' MAX_TIMESTAMP, -3): the first batch with the
 * largest `maxTimestamp`, then the first record inside it that carries it.
 */
export async function findMaxTimestampOffset(
  segments: readonly CommittedSegment[],
  load: LoadBatches,
  logStartOffset: bigint,
): Promise<TimestampOffset | null> {
  let best: { timestamp: bigint; batch: StoredBatch } | null = null;
  for (const segment of segments) {
    if (segment.info.lastOffset < logStartOffset) continue;
    const whole = segment.info.baseOffset >= logStartOffset;
    if (best !== null && whole && segment.info.maxTimestampMs !== undefined && BigInt(segment.info.maxTimestampMs) <= best.timestamp) continue;
    for (const batch of await load(segment)) {
      if (batch.lastOffset < logStartOffset) continue;
      // A batch straddling the log start: only its records from the log start on count.
      const timestamp = batch.baseOffset < logStartOffset ? maxRecordTimestamp(batch, logStartOffset) : batch.maxTimestamp;
      if (best === null || timestamp > best.timestamp) best = { timestamp, batch };
    }
  }
  if (best === null) return null;
  const { timestamp, batch } = best;
  return firstRecord(batch, logStartOffset, (t) => t === timestamp) ?? { offset: batch.lastOffset, timestamp };
}

function maxRecordTimestamp(batch: StoredBatch, minOffset: bigint): bigint {
  const { header, records } = decodeBatch(batch.bytes, { verifyCrc: false });
  let max: bigint | null = null;
  for (const record of records) {
    if (recordOffset(header, record) < minOffset) continue;
    const timestamp = recordTimestamp(header, record);
    if (max === null || timestamp > max) max = timestamp;
  }
  return max ?? batch.maxTimestamp;
}

/** Decodes `batch` and returns the first record at or after `minOffset` whose timestamp passes `accept`. */
function firstRecord(batch: StoredBatch, minOffset: bigint, accept: (timestamp: bigint) => boolean): TimestampOffset | null {
  const { header, records } = decodeBatch(batch.bytes, { verifyCrc: false });
  for (const record of records) {
    const offset = recordOffset(header, record);
    if (offset < minOffset) continue;
    const timestamp = recordTimestamp(header, record);
    if (accept(timestamp)) return { offset, timestamp };
  }
  return null;
}
