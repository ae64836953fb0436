/**
 * The one error family of `@kafscale/storage`: {@link StorageError} with a
 * `code` from a closed set. The table (also in README.md, and a test checks
 * that the two agree) says what raises each code and the Kafka error a broker
 * answers with ({@link kafkaErrorCode}):
 *
 * | code                         | raised when                                                                                         | Kafka error                         |
 * |------------------------------|-----------------------------------------------------------------------------------------------------|-------------------------------------|
 * | `NOT_FOUND`                  | an object does not exist (get of a missing key; a committed segment is gone)                        | KAFKA_STORAGE_ERROR (56)            |
 * | `EXISTS`                     | `putIfAbsent` found the key already there                                                          | KAFKA_STORAGE_ERROR (56)            |
 * | `INVALID_KEY`                | an object key is empty, absolute, has empty/`.`/`..` segments, or clashes with a directory (file://) | UNKNOWN_SERVER_ERROR (-1)           |
 * | `INVALID_RANGE`              | a ranged get starts at or past the end of the object, or the range itself is malformed              | KAFKA_STORAGE_ERROR (56)            |
 * | `INVALID_URL`                | `openObjectStore` got a URL it cannot open                                                          | UNKNOWN_SERVER_ERROR (-1)           |
 * | `IO`                         | the backend failed (disk, network, permissions)                                                     | KAFKA_STORAGE_ERROR (56)            |
 * | `TIMEOUT`                    | a backend request timed out (network backends)                                                      | REQUEST_TIMED_OUT (7)               |
 * | `CLOSED`                     | an object store or partition log was used after `close()`                                           | NOT_LEADER_OR_FOLLOWER (6)          |
 * | `CORRUPT_SEGMENT`            | a `.kfs` object has a bad magic, version, length or CRC, or does not match its metadata             | KAFKA_STORAGE_ERROR (56)            |
 * | `CORRUPT_INDEX`              | an `.index` object has a bad magic, version or length                                               | KAFKA_STORAGE_ERROR (56)            |
 * | `CORRUPT_MESSAGE`            | a produced batch is truncated, has a bad length or its CRC-32C does not match                       | CORRUPT_MESSAGE (2)                 |
 * | `INVALID_RECORD`             | a produced batch is well-formed but not acceptable (no batch, count ≠ offsets, control batch, …)    | INVALID_RECORD (87)                 |
 * | `UNSUPPORTED_MESSAGE_FORMAT` | a produced batch uses message format v0/v1 (magic 0 or 1)                                           | UNSUPPORTED_FOR_MESSAGE_FORMAT (43) |
 * | `UNSUPPORTED_COMPRESSION`    | a produced batch names a compression codec id other than 0–4                                        | UNSUPPORTED_COMPRESSION_TYPE (76)   |
 * | `OFFSET_OUT_OF_RANGE`        | a read or DeleteRecords names an offset outside [log start offset, log end offset]                  | OFFSET_OUT_OF_RANGE (1)             |
 * | `FLUSH_FAILED`               | the flush holding appended batches failed; they were not stored and their offsets were rolled back  | KAFKA_STORAGE_ERROR (56)            |
 * | `FENCED`                     | another writer owns the partition (commit refused by epoch, or a segment key taken twice)           | NOT_LEADER_OR_FOLLOWER (6)          |
 * | `INVALID_ARGUMENT`           | a caller passed a value out of range (a programming error)                                          | UNKNOWN_SERVER_ERROR (-1)           |
 */
export type StorageErrorCode =
  | "NOT_FOUND"
  | "EXISTS"
  | "INVALID_KEY"
  | "INVALID_RANGE"
  | "INVALID_URL"
  | "IO"
  | "TIMEOUT"
  | "CLOSED"
  | "CORRUPT_SEGMENT"
  | "CORRUPT_INDEX"
  | "CORRUPT_MESSAGE"
  | "INVALID_RECORD"
  | "UNSUPPORTED_MESSAGE_FORMAT"
  | "UNSUPPORTED_COMPRESSION"
  | "OFFSET_OUT_OF_RANGE"
  | "FLUSH_FAILED"
  | "FENCED"
  | "INVALID_ARGUMENT";

/** Every {@link StorageErrorCode}, in the order of the table above. */
export const STORAGE_ERROR_CODES: readonly StorageErrorCode[] = [
  "NOT_FOUND",
  "EXISTS",
  "INVALID_KEY",
  "INVALID_RANGE",
  "INVALID_URL",
  "IO",
  "TIMEOUT",
  "CLOSED",
  "CORRUPT_SEGMENT",
  "CORRUPT_INDEX",
  "CORRUPT_MESSAGE",
  "INVALID_RECORD",
  "UNSUPPORTED_MESSAGE_FORMAT",
  "UNSUPPORTED_COMPRESSION",
  "OFFSET_OUT_OF_RANGE",
  "FLUSH_FAILED",
  "FENCED",
  "INVALID_ARGUMENT",
];

/** The error every `@kafscale/storage` API throws or rejects with. */
export class StorageError extends Error {
  override readonly name: string = "StorageError";
  readonly code: StorageErrorCode;

  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** `putIfAbsent` refused: the key exists (S3's 412 on `If-None-Match: *`). Code `EXISTS`. */
export class ObjectExistsError extends StorageError {
  override readonly name = "ObjectExistsError";
  readonly key: string;

  constructor(key: string, options?: { cause?: unknown }) {
    super("EXISTS", `object ${JSON.stringify(key)} already exists`, options);
    this.key = key;
  }
}

/** The object does not exist (S3's NoSuchKey). Code `NOT_FOUND`. */
export class ObjectNotFoundError extends StorageError {
  override readonly name = "ObjectNotFoundError";
  readonly key: string;

  constructor(key: string, options?: { cause?: unknown }) {
    super("NOT_FOUND", `object ${JSON.stringify(key)} does not exist`, options);
    this.key = key;
  }
}

/** True for a {@link StorageError}, optionally of one of `codes`. */
export function isStorageError(err: unknown, ...codes: StorageErrorCode[]): err is StorageError {
  return err instanceof StorageError && (codes.length === 0 || codes.includes(err.code));
}
