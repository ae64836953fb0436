/**
 * @kafscale/storage: where Kafscale keeps records.
 *
 * - Object stores chosen by URL (`openObjectStore("file:///var/lib/kafscale")`,
 *   `memory://`, `s3://bucket/prefix`), all with S3's semantics: conditional
 *   create, ranged get, ordered list. The S3 store retries, bounds its
 *   requests in time and number, and reports its health.
 * - The `.kfs` segment and `.index` formats of the reference design, byte for byte.
 * - `PartitionLog`: offsets, group-commit flushes to segments, reads through a
 *   shared segment cache, timestamp lookups, DeleteRecords and retention.
 * - One error type, `StorageError`, with `kafkaErrorCode()` for the broker.
 */

export {
  isStorageError,
  ObjectExistsError,
  ObjectNotFoundError,
  STORAGE_ERROR_CODES,
  StorageError,
  type StorageErrorCode,
} from "./errors.js";
export { KafkaErrorCodes, kafkaErrorCode, kafkaErrorCodeFor } from "./kafka-error-code.js";
export { silentLogger, type StorageLogger } from "./logger.js";

export type { ByteRange, ListOptions, ObjectHead, ObjectListEntry, ObjectStore } from "./object-store/object-store.js";
export { compareKeys, MAX_KEY_BYTES, validateObjectKey } from "./object-store/keys.js";
export { createMemoryObjectStore, dropMemoryObjectStore } from "./object-store/memory-object-store.js";
export { createFileObjectStore, FILE_STORE_TEMP_DIR, type FileObjectStoreOptions } from "./object-store/file-object-store.js";
export { openObjectStore, type OpenObjectStoreOptions } from "./object-store/open-object-store.js";
export { checkObjectStoreWritable } from "./object-store/check-writable.js";
export { objectStoreHealth, type ObjectStoreHealth } from "./object-store/store-health.js";
export { createS3ObjectStore, type S3ObjectStore } from "./object-store/s3/s3-object-store.js";
export {
  S3_DEFAULTS,
  type HealthChangeListener,
  type S3ConnectionOptions,
  type S3Credentials,
  type S3ObjectStoreOptions,
} from "./object-store/s3/s3-options.js";

export {
  decodeSegmentFooter,
  decodeSegmentHeader,
  encodeSegment,
  SEGMENT_FOOTER_MAGIC,
  SEGMENT_FOOTER_SIZE,
  SEGMENT_HEADER_SIZE,
  SEGMENT_MAGIC,
  SEGMENT_VERSION,
  verifySegment,
  type EncodeSegmentInput,
  type SegmentFooter,
  type SegmentHeader,
  type VerifiedSegment,
} from "./segment/segment-format.js";
export {
  decodeIndex,
  encodeIndex,
  INDEX_ENTRY_SIZE,
  INDEX_HEADER_SIZE,
  INDEX_MAGIC,
  INDEX_VERSION,
  lookupIndex,
  type IndexEntry,
  type SegmentIndex,
} from "./segment/index-format.js";
export { buildIndexEntries, type IndexedBatch } from "./segment/index-builder.js";
export {
  DEFAULT_NAMESPACE,
  indexObjectKey,
  parseSegmentObjectKey,
  partitionKeyPrefix,
  segmentObjectKey,
  type PartitionLocation,
} from "./segment/object-keys.js";

export { PartitionLog } from "./partition-log/partition-log.js";
export {
  DEFAULT_FLUSH_AGE_MS,
  DEFAULT_FLUSH_BYTES,
  DEFAULT_INDEX_INTERVAL,
  type PartitionLogOptions,
} from "./partition-log/options.js";
export type {
  AppendResult,
  LogCommitter,
  LogStartCommit,
  LogTruncation,
  OpenPartitionLogConfig,
  OrphanCheck,
  SegmentCommit,
  SegmentInfo,
} from "./partition-log/types.js";
export {
  createSegmentCache,
  type CachedIndex,
  type CachedSegment,
  type SegmentCache,
  type SegmentCacheEntry,
  type SegmentCacheOptions,
  type StoredBatch,
} from "./partition-log/segment-cache.js";
export { createAlignedFlushTimer, independentFlushTimer, type FlushTimer } from "./partition-log/flush-timer.js";
export { countRetentionDeletions, countSegmentsBelow, type RetentionPolicy } from "./partition-log/retention.js";
export type { TimestampOffset } from "./partition-log/timestamp-lookup.js";
export { validateProducedRecords, type ProducedBatch } from "./partition-log/validate-batches.js";
