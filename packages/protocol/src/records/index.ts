// Kafka RecordBatch v2 (magic 2): header access without decompression,
// CRC-32C, in-place offset assignment, and full record encode/decode.

export {
  Compression,
  COMPRESSION_NAMES,
  decodeBatchAttributes,
  encodeBatchAttributes,
  TimestampType,
  type BatchAttributes,
  type BatchAttributesInput,
  type CompressionName,
} from "./attributes.js";
export { readBatchHeader, type RecordBatchHeader } from "./batch-header.js";
export { NO_TIMESTAMP, RECORD_BATCH_OVERHEAD } from "./batch-layout.js";
export type { SnappyFraming } from "./compression/snappy.js";
export { assertBatchCrc, computeBatchCrc, crc32c, verifyBatchCrc } from "./crc.js";
export {
  decodeBatch,
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  type DecodeBatchOptions,
  type DecodedBatch,
} from "./decode-batch.js";
export { encodeBatch, type EncodeBatchInput } from "./encode-batch.js";
export { RECORD_BATCH_ERROR_CODES, RecordBatchError, type RecordBatchErrorCode } from "./errors.js";
export { iterateBatches, splitBatches, type PartialBatch, type RecordBatchView } from "./iterate-batches.js";
export { lastOffset, nextOffset, recordOffset, recordTimestamp } from "./offsets.js";
export { setBaseOffset, setPartitionLeaderEpoch } from "./patch-header.js";
export type { KafkaRecord, KafkaRecordHeader, KafkaRecordInput } from "./record.js";
