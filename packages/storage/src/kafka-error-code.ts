import { RecordBatchError, type RecordBatchErrorCode } from "@kafscale/protocol/records";
import { StorageError, type StorageErrorCode } from "./errors.js";

/**
 * The Kafka error codes this package's errors map to (numbers from Kafka's
 * `Errors.java`; a test checks them against `ErrorCode` of `@kafscale/protocol`).
 */
export const KafkaErrorCodes = {
  UNKNOWN_SERVER_ERROR: -1,
  OFFSET_OUT_OF_RANGE: 1,
  CORRUPT_MESSAGE: 2,
  NOT_LEADER_OR_FOLLOWER: 6,
  REQUEST_TIMED_OUT: 7,
  UNSUPPORTED_FOR_MESSAGE_FORMAT: 43,
  KAFKA_STORAGE_ERROR: 56,
  UNSUPPORTED_COMPRESSION_TYPE: 76,
  INVALID_RECORD: 87,
} as const;

const K = KafkaErrorCodes;

/** The Kafka error for each {@link StorageErrorCode}; the table in `errors.ts` explains each. */
const STORAGE_TO_KAFKA: Readonly<Record<StorageErrorCode, number>> = {
  NOT_FOUND: K.KAFKA_STORAGE_ERROR,
  EXISTS: K.KAFKA_STORAGE_ERROR,
  INVALID_KEY: K.UNKNOWN_SERVER_ERROR,
  INVALID_RANGE: K.KAFKA_STORAGE_ERROR,
  INVALID_URL: K.UNKNOWN_SERVER_ERROR,
  IO: K.KAFKA_STORAGE_ERROR,
  TIMEOUT: K.REQUEST_TIMED_OUT,
  CLOSED: K.NOT_LEADER_OR_FOLLOWER,
  CORRUPT_SEGMENT: K.KAFKA_STORAGE_ERROR,
  CORRUPT_INDEX: K.KAFKA_STORAGE_ERROR,
  CORRUPT_MESSAGE: K.CORRUPT_MESSAGE,
  INVALID_RECORD: K.INVALID_RECORD,
  UNSUPPORTED_MESSAGE_FORMAT: K.UNSUPPORTED_FOR_MESSAGE_FORMAT,
  UNSUPPORTED_COMPRESSION: K.UNSUPPORTED_COMPRESSION_TYPE,
  OFFSET_OUT_OF_RANGE: K.OFFSET_OUT_OF_RANGE,
  FLUSH_FAILED: K.KAFKA_STORAGE_ERROR,
  FENCED: K.NOT_LEADER_OR_FOLLOWER,
  INVALID_ARGUMENT: K.UNKNOWN_SERVER_ERROR,
};

/**
 * For `RecordBatchError`s that escape from `@kafscale/protocol/records`
 * (the log converts them itself; this covers callers that use the records
 * module directly). Magic 0/1 is UNSUPPORTED_FOR_MESSAGE_FORMAT here, as for
 * {@link StorageErrorCode} `UNSUPPORTED_MESSAGE_FORMAT`.
 */
const RECORD_BATCH_TO_KAFKA: Readonly<Record<RecordBatchErrorCode, number>> = {
  TRUNCATED: K.CORRUPT_MESSAGE,
  INVALID_LENGTH: K.CORRUPT_MESSAGE,
  UNSUPPORTED_MAGIC: K.UNSUPPORTED_FOR_MESSAGE_FORMAT,
  CRC_MISMATCH: K.CORRUPT_MESSAGE,
  UNSUPPORTED_COMPRESSION: K.UNSUPPORTED_COMPRESSION_TYPE,
  CORRUPT_COMPRESSED_DATA: K.CORRUPT_MESSAGE,
  DECOMPRESSED_TOO_LARGE: K.CORRUPT_MESSAGE,
  CORRUPT_RECORD: K.CORRUPT_MESSAGE,
  INVALID_ARGUMENT: K.UNKNOWN_SERVER_ERROR,
};

/** The Kafka error code number a broker answers with for a {@link StorageErrorCode}. */
export function kafkaErrorCode(code: StorageErrorCode): number {
  return STORAGE_TO_KAFKA[code];
}

/**
 * The Kafka error code number for anything thrown by this package (or by
 * `@kafscale/protocol/records`); UNKNOWN_SERVER_ERROR (-1) for anything else.
 */
export function kafkaErrorCodeFor(err: unknown): number {
  if (err instanceof StorageError) return STORAGE_TO_KAFKA[err.code];
  if (err instanceof RecordBatchError) return RECORD_BATCH_TO_KAFKA[err.code];
  return K.UNKNOWN_SERVER_ERROR;
}
