/**
 * The one error type thrown by `@kafscale/protocol/records`.
 *
 * `code` is one of a closed set. Each code, what raises it, and the Kafka
 * protocol error a broker would normally answer with:
 *
 * | code                      | raised when                                                                                      | Kafka error          |
 * |---------------------------|--------------------------------------------------------------------------------------------------|----------------------|
 * | `TRUNCATED`               | the bytes end before the batch (or its 17-byte prefix up to `magic`) does                        | CORRUPT_MESSAGE (2)  |
 * | `INVALID_LENGTH`          | `batchLength` is below the 49-byte minimum of a v2 batch                                          | CORRUPT_MESSAGE (2)  |
 * | `UNSUPPORTED_MAGIC`       | `magic` is not 2 (v0/v1 message sets are not supported, and nothing newer exists)                 | UNSUPPORTED_VERSION (35) |
 * | `CRC_MISMATCH`            | the CRC-32C over attributes..end differs from the stored `crc`                                    | CORRUPT_MESSAGE (2)  |
 * | `UNSUPPORTED_COMPRESSION` | the attributes name a codec id other than 0–4                                                     | UNSUPPORTED_COMPRESSION_TYPE (76) |
 * | `CORRUPT_COMPRESSED_DATA` | the compressed payload is not valid gzip/snappy/lz4/zstd, or its framing is inconsistent          | CORRUPT_MESSAGE (2)  |
 * | `DECOMPRESSED_TOO_LARGE`  | the payload would decompress past `maxDecompressedBytes` (checked before allocating where the codec framing allows) | CORRUPT_MESSAGE (2)  |
 * | `CORRUPT_RECORD`          | a record inside the (decompressed) payload is malformed, or the record count does not match       | CORRUPT_MESSAGE (2)  |
 * | `INVALID_ARGUMENT`        | a caller passed a value out of range (offset outside the bytes, int32/int64 overflow, offsets not increasing) | — (programming error) |
 */
export type RecordBatchErrorCode =
  | "TRUNCATED"
  | "INVALID_LENGTH"
  | "UNSUPPORTED_MAGIC"
  | "CRC_MISMATCH"
  | "UNSUPPORTED_COMPRESSION"
  | "CORRUPT_COMPRESSED_DATA"
  | "DECOMPRESSED_TOO_LARGE"
  | "CORRUPT_RECORD"
  | "INVALID_ARGUMENT";

/** Every {@link RecordBatchErrorCode}, in the order of the table above. */
export const RECORD_BATCH_ERROR_CODES: readonly RecordBatchErrorCode[] = [
  "TRUNCATED",
  "INVALID_LENGTH",
  "UNSUPPORTED_MAGIC",
  "CRC_MISMATCH",
  "UNSUPPORTED_COMPRESSION",
  "CORRUPT_COMPRESSED_DATA",
  "DECOMPRESSED_TOO_LARGE",
  "CORRUPT_RECORD",
  "INVALID_ARGUMENT",
];

export class RecordBatchError extends Error {
  override readonly name = "RecordBatchError";
  readonly code: RecordBatchErrorCode;

  constructor(code: RecordBatchErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
