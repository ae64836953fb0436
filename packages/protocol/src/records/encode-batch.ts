import {
  Compression,
  encodeBatchAttributes,
  TimestampType,
  toCompression,
  type CompressionName,
} from "./attributes.js";
import {
  ATTRIBUTES_OFFSET,
  BASE_OFFSET_OFFSET,
  BASE_SEQUENCE_OFFSET,
  BASE_TIMESTAMP_OFFSET,
  BATCH_LENGTH_OFFSET,
  CURRENT_MAGIC,
  LAST_OFFSET_DELTA_OFFSET,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  MAX_TIMESTAMP_OFFSET,
  NO_TIMESTAMP,
  PARTITION_LEADER_EPOCH_OFFSET,
  PRODUCER_EPOCH_OFFSET,
  PRODUCER_ID_OFFSET,
  RECORD_COUNT_OFFSET,
  RECORDS_OFFSET,
  viewOf,
} from "./batch-layout.js";
import { compressRecords } from "./compression/codecs.js";
import type { SnappyFraming } from "./compression/snappy.js";
import { writeBatchCrc } from "./crc.js";
import { encodeRecords } from "./encode-records.js";
import { RecordBatchError } from "./errors.js";
import { INT16_MAX, INT16_MIN, INT32_MAX, INT32_MIN, isInt, isInt64 } from "./int-ranges.js";
import type { KafkaRecordInput } from "./record.js";

export interface EncodeBatchInput {
  baseOffset: bigint;
  /** Timestamp the records' `timestampDelta`s are relative to. */
  baseTimestamp: bigint;
  records: readonly KafkaRecordInput[];
  /** Default none. */
  compression?: Compression | CompressionName;
  /** Snappy layout to write; default "raw". */
  snappyFraming?: SnappyFraming;
  /** Default CreateTime. */
  timestampType?: TimestampType;
  /** Default false. */
  isTransactional?: boolean;
  /** Default false. */
  isControl?: boolean;
  /** Default -1n (no idempotence). */
  producerId?: bigint;
  /** Default -1. */
  producerEpoch?: number;
  /** Default -1. */
  baseSequence?: number;
  /** Default -1 (producers send -1; the broker sets it). */
  partitionLeaderEpoch?: number;
  /** Default baseTimestamp + the largest timestampDelta, or -1n for an empty batch. */
  maxTimestamp?: bigint;
  /** Default the last record's offsetDelta; required for an empty batch (as compaction leaves). */
  lastOffsetDelta?: number;
}

/** Builds a complete RecordBatch v2 with its CRC-32C. */
export function encodeBatch(input: EncodeBatchInput): Uint8Array {
  const compression = toCompression(input.compression ?? Compression.None);
  const producerId = input.producerId ?? -1n;
  const producerEpoch = input.producerEpoch ?? -1;
  const baseSequence = input.baseSequence ?? -1;
  const partitionLeaderEpoch = input.partitionLeaderEpoch ?? -1;
  checkInt64("baseOffset", input.baseOffset);
  checkInt64("baseTimestamp", input.baseTimestamp);
  checkInt64("producerId", producerId);
  checkInt("producerEpoch", producerEpoch, INT16_MIN, INT16_MAX);
  checkInt("baseSequence", baseSequence, INT32_MIN, INT32_MAX);
  checkInt("partitionLeaderEpoch", partitionLeaderEpoch, INT32_MIN, INT32_MAX);

  // Uncompressed records are written straight after a reserved header.
  const reserve = compression === Compression.None ? RECORDS_OFFSET : 0;
  const encoded = encodeRecords(input.records, reserve);
  const lastOffsetDelta = resolveLastOffsetDelta(input.lastOffsetDelta, encoded.lastOffsetDelta, input.records.length);
  const maxTimestamp =
    input.maxTimestamp ??
    (encoded.maxTimestampDelta === null ? NO_TIMESTAMP : input.baseTimestamp + encoded.maxTimestampDelta);
  checkInt64("maxTimestamp", maxTimestamp);

  let batch: Uint8Array;
  if (compression === Compression.None) {
    batch = encoded.bytes;
  } else {
    const compressed = compressRecords(compression, encoded.bytes, input.snappyFraming === undefined ? {} : { snappyFraming: input.snappyFraming });
    batch = new Uint8Array(RECORDS_OFFSET + compressed.length);
    batch.set(compressed, RECORDS_OFFSET);
  }
  if (batch.length - LOG_OVERHEAD > INT32_MAX) {
    throw new RecordBatchError("INVALID_ARGUMENT", `batch of ${batch.length} bytes is too large for an int32 length`);
  }

  const view = viewOf(batch);
  view.setBigInt64(BASE_OFFSET_OFFSET, input.baseOffset);
  view.setInt32(BATCH_LENGTH_OFFSET, batch.length - LOG_OVERHEAD);
  view.setInt32(PARTITION_LEADER_EPOCH_OFFSET, partitionLeaderEpoch);
  view.setInt8(MAGIC_OFFSET, CURRENT_MAGIC);
  view.setInt16(
    ATTRIBUTES_OFFSET,
    encodeBatchAttributes({
      compression,
      timestampType: input.timestampType ?? TimestampType.CreateTime,
      isTransactional: input.isTransactional ?? false,
      isControl: input.isControl ?? false,
    }),
  );
  view.setInt32(LAST_OFFSET_DELTA_OFFSET, lastOffsetDelta);
  view.setBigInt64(BASE_TIMESTAMP_OFFSET, input.baseTimestamp);
  view.setBigInt64(MAX_TIMESTAMP_OFFSET, maxTimestamp);
  view.setBigInt64(PRODUCER_ID_OFFSET, producerId);
  view.setInt16(PRODUCER_EPOCH_OFFSET, producerEpoch);
  view.setInt32(BASE_SEQUENCE_OFFSET, baseSequence);
  view.setInt32(RECORD_COUNT_OFFSET, input.records.length);
  writeBatchCrc(batch);
  return batch;
}

function resolveLastOffsetDelta(given: number | undefined, fromRecords: number, count: number): number {
  if (given === undefined) {
    if (count === 0) throw new RecordBatchError("INVALID_ARGUMENT", "an empty batch needs an explicit lastOffsetDelta");
    return fromRecords;
  }
  if (!isInt(given, 0, INT32_MAX) || given < fromRecords) {
    throw new RecordBatchError(
      "INVALID_ARGUMENT",
      `lastOffsetDelta ${given} must be an int32 no smaller than the last record's offsetDelta (${fromRecords})`,
    );
  }
  return given;
}

function checkInt64(name: string, value: bigint): void {
  if (!isInt64(value)) throw new RecordBatchError("INVALID_ARGUMENT", `${name} ${value} does not fit in an int64`);
}

function checkInt(name: string, value: number, min: number, max: number): void {
  if (!isInt(value, min, max)) throw new RecordBatchError("INVALID_ARGUMENT", `${name} ${value} is not an integer in [${min}, ${max}]`);
}
