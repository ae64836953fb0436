import { decodeBatchAttributes, type BatchAttributes } from "./attributes.js";
import {
  ATTRIBUTES_OFFSET,
  BASE_OFFSET_OFFSET,
  BASE_SEQUENCE_OFFSET,
  BASE_TIMESTAMP_OFFSET,
  BATCH_LENGTH_OFFSET,
  CRC_OFFSET,
  CURRENT_MAGIC,
  HEADER_SIZE_UP_TO_MAGIC,
  LAST_OFFSET_DELTA_OFFSET,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  MAX_TIMESTAMP_OFFSET,
  MIN_BATCH_LENGTH,
  PARTITION_LEADER_EPOCH_OFFSET,
  PRODUCER_EPOCH_OFFSET,
  PRODUCER_ID_OFFSET,
  RECORD_COUNT_OFFSET,
  viewOf,
} from "./batch-layout.js";
import { RecordBatchError } from "./errors.js";

/** The 61-byte header of a RecordBatch v2, read without touching the records. */
export interface RecordBatchHeader {
  baseOffset: bigint;
  /** Bytes after the `batchLength` field; the whole batch is `batchLength + 12` bytes. */
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: 2;
  /** Unsigned CRC-32C of bytes 21..end. */
  crc: number;
  attributes: BatchAttributes;
  lastOffsetDelta: number;
  /** Kafka ≤ 2.x calls this `firstTimestamp`; with `hasDeleteHorizon` it is the delete horizon. */
  baseTimestamp: bigint;
  maxTimestamp: bigint;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

/** What {@link probeBatch} found at an offset. */
export type BatchProbe =
  | { complete: true; size: number }
  | { complete: false; available: number; declaredSize: number | null; baseOffset: bigint | null };

/**
 * Checks the batch starting at `offset` far enough to know where it ends.
 * Throws for what can never become valid (`UNSUPPORTED_MAGIC`, `INVALID_LENGTH`);
 * returns `complete: false` when the bytes simply stop early (Kafka's
 * `ByteBufferLogInputStream` treats that as "no more batches").
 */
export function probeBatch(bytes: Uint8Array, offset: number): BatchProbe {
  checkOffset(bytes, offset);
  const available = bytes.length - offset;
  const view = viewOf(bytes);
  const baseOffset = available >= 8 ? view.getBigInt64(offset + BASE_OFFSET_OFFSET) : null;
  const declaredSize = available >= LOG_OVERHEAD ? LOG_OVERHEAD + view.getInt32(offset + BATCH_LENGTH_OFFSET) : null;
  if (available < HEADER_SIZE_UP_TO_MAGIC || declaredSize === null) {
    return { complete: false, available, declaredSize, baseOffset };
  }
  const magic = view.getInt8(offset + MAGIC_OFFSET);
  if (magic !== CURRENT_MAGIC) {
    throw new RecordBatchError(
      "UNSUPPORTED_MAGIC",
      magic === 0 || magic === 1
        ? `message format v${magic} (magic ${magic}) is not supported; only RecordBatch v2`
        : `unknown message format magic ${magic}; only RecordBatch v2 (magic 2) is supported`,
    );
  }
  const batchLength = declaredSize - LOG_OVERHEAD;
  if (batchLength < MIN_BATCH_LENGTH) {
    throw new RecordBatchError(
      "INVALID_LENGTH",
      `record batch at byte ${offset} has batchLength ${batchLength}; a v2 batch needs at least ${MIN_BATCH_LENGTH}`,
    );
  }
  if (declaredSize > available) return { complete: false, available, declaredSize, baseOffset };
  return { complete: true, size: declaredSize };
}

/**
 * Reads the header of the batch at `offset` without decompressing anything.
 * The whole batch (as declared by `batchLength`) must be inside `bytes`.
 */
export function readBatchHeader(bytes: Uint8Array, offset = 0): RecordBatchHeader {
  const probe = probeBatch(bytes, offset);
  if (!probe.complete) throw truncatedError(offset, probe.declaredSize, probe.available);
  const view = viewOf(bytes);
  return {
    baseOffset: view.getBigInt64(offset + BASE_OFFSET_OFFSET),
    batchLength: view.getInt32(offset + BATCH_LENGTH_OFFSET),
    partitionLeaderEpoch: view.getInt32(offset + PARTITION_LEADER_EPOCH_OFFSET),
    magic: CURRENT_MAGIC,
    crc: view.getUint32(offset + CRC_OFFSET),
    attributes: decodeBatchAttributes(view.getInt16(offset + ATTRIBUTES_OFFSET)),
    lastOffsetDelta: view.getInt32(offset + LAST_OFFSET_DELTA_OFFSET),
    baseTimestamp: view.getBigInt64(offset + BASE_TIMESTAMP_OFFSET),
    maxTimestamp: view.getBigInt64(offset + MAX_TIMESTAMP_OFFSET),
    producerId: view.getBigInt64(offset + PRODUCER_ID_OFFSET),
    producerEpoch: view.getInt16(offset + PRODUCER_EPOCH_OFFSET),
    baseSequence: view.getInt32(offset + BASE_SEQUENCE_OFFSET),
    recordCount: view.getInt32(offset + RECORD_COUNT_OFFSET),
  };
}

/** Size in bytes of the complete batch at offset 0 of `batchBytes`; throws when it is not complete. */
export function completeBatchSize(batchBytes: Uint8Array): number {
  const probe = probeBatch(batchBytes, 0);
  if (!probe.complete) throw truncatedError(0, probe.declaredSize, probe.available);
  return probe.size;
}

function truncatedError(offset: number, declaredSize: number | null, available: number): RecordBatchError {
  return new RecordBatchError(
    "TRUNCATED",
    declaredSize === null || available < HEADER_SIZE_UP_TO_MAGIC
      ? `record batch at byte ${offset} is truncated: ${available} bytes, the header alone needs ${HEADER_SIZE_UP_TO_MAGIC} to reach magic`
      : `record batch at byte ${offset} declares ${declaredSize} bytes but only ${available} remain`,
  );
}

function checkOffset(bytes: Uint8Array, offset: number): void {
  if (!Number.isInteger(offset) || offset < 0 || offset > bytes.length) {
    throw new RecordBatchError("INVALID_ARGUMENT", `offset ${offset} is outside the ${bytes.length} bytes given`);
  }
}
