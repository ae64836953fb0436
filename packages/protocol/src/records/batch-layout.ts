/**
 * Byte layout of a RecordBatch v2 (magic 2), as in Kafka's `DefaultRecordBatch`:
 *
 * ```
 * offset  size  field
 *      0     8  baseOffset            int64
 *      8     4  batchLength           int32  (bytes after this field)
 *     12     4  partitionLeaderEpoch  int32
 *     16     1  magic                 int8   (= 2)
 *     17     4  crc                   uint32 (CRC-32C of bytes 21..end)
 *     21     2  attributes            int16
 *     23     4  lastOffsetDelta       int32
 *     27     8  baseTimestamp         int64
 *     35     8  maxTimestamp          int64
 *     43     8  producerId            int64
 *     51     2  producerEpoch         int16
 *     53     4  baseSequence          int32
 *     57     4  recordCount           int32
 *     61     …  records (compressed as a whole when attributes say so)
 * ```
 */
export const BASE_OFFSET_OFFSET = 0;
export const BATCH_LENGTH_OFFSET = 8;
export const PARTITION_LEADER_EPOCH_OFFSET = 12;
export const MAGIC_OFFSET = 16;
export const CRC_OFFSET = 17;
export const ATTRIBUTES_OFFSET = 21;
export const LAST_OFFSET_DELTA_OFFSET = 23;
export const BASE_TIMESTAMP_OFFSET = 27;
export const MAX_TIMESTAMP_OFFSET = 35;
export const PRODUCER_ID_OFFSET = 43;
export const PRODUCER_EPOCH_OFFSET = 51;
export const BASE_SEQUENCE_OFFSET = 53;
export const RECORD_COUNT_OFFSET = 57;
export const RECORDS_OFFSET = 61;

/** baseOffset + batchLength: the bytes not counted by `batchLength`. */
export const LOG_OVERHEAD = 12;
/** Bytes needed to read `magic`, which sits at the same place in v0, v1 and v2. */
export const HEADER_SIZE_UP_TO_MAGIC = 17;
/** Size of the whole v2 batch header; also the smallest possible batch. */
export const RECORD_BATCH_OVERHEAD = RECORDS_OFFSET;
/** Smallest legal `batchLength`. */
export const MIN_BATCH_LENGTH = RECORD_BATCH_OVERHEAD - LOG_OVERHEAD;

export const CURRENT_MAGIC = 2;
/** `maxTimestamp` / `baseTimestamp` value Kafka uses for "no timestamp". */
export const NO_TIMESTAMP = -1n;

/** A DataView over exactly the bytes of `bytes` (which may be a subarray). */
export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
