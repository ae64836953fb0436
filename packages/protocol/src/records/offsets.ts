import { TimestampType } from "./attributes.js";
import type { RecordBatchHeader } from "./batch-header.js";
import type { KafkaRecord } from "./record.js";

/*
 * Absolute values from a header and its records' deltas, with Kafka's rules
 * (DefaultRecordBatch / DefaultRecord).
 */

/** baseOffset + offsetDelta. */
export function recordOffset(header: RecordBatchHeader, record: KafkaRecord): bigint {
  return header.baseOffset + BigInt(record.offsetDelta);
}

/** baseTimestamp + timestampDelta; with LogAppendTime every record carries the batch's maxTimestamp. */
export function recordTimestamp(header: RecordBatchHeader, record: KafkaRecord): bigint {
  if (header.attributes.timestampType === TimestampType.LogAppendTime) return header.maxTimestamp;
  return header.baseTimestamp + record.timestampDelta;
}

/** Offset of the batch's last record (even if compaction removed it). */
export function lastOffset(header: RecordBatchHeader): bigint {
  return header.baseOffset + BigInt(header.lastOffsetDelta);
}

/** The offset after this batch: where the next batch starts. */
export function nextOffset(header: RecordBatchHeader): bigint {
  return lastOffset(header) + 1n;
}
