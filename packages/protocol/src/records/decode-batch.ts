import { readBatchHeader, type RecordBatchHeader } from "./batch-header.js";
import { LOG_OVERHEAD, RECORDS_OFFSET } from "./batch-layout.js";
import { decompressRecords } from "./compression/codecs.js";
import { assertBatchCrc } from "./crc.js";
import { decodeRecords } from "./decode-records.js";
import { RecordBatchError } from "./errors.js";
import type { KafkaRecord } from "./record.js";

/** Default cap on a batch's decompressed records section: 64 MiB. */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

export interface DecodeBatchOptions {
  /** Check the CRC-32C first and throw `CRC_MISMATCH`. Default true. */
  verifyCrc?: boolean;
  /**
   * Larger decompressed payloads are `DECOMPRESSED_TOO_LARGE`. Default {@link DEFAULT_MAX_DECOMPRESSED_BYTES}.
   * gzip and snappy check the exact size (snappy before allocating, gzip while
   * inflating). lz4 and zstd check, before decompressing, an upper bound read
   * from the frame: exact for stored/RLE blocks, a compressed block counting
   * as min(block max, 256 × its size) for lz4 and min(window, 128 KiB) for
   * zstd unless the frame states its content size. Leave a few hundred KiB of
   * headroom above the largest real payload.
   */
  maxDecompressedBytes?: number;
}

export interface DecodedBatch {
  header: RecordBatchHeader;
  records: KafkaRecord[];
}

/**
 * Decodes the batch at offset 0 of `batchBytes` (bytes after its declared
 * length are ignored), decompressing as its attributes say. Keys, values and
 * header values are views into `batchBytes` (uncompressed) or into the
 * decompressed buffer.
 */
export function decodeBatch(batchBytes: Uint8Array, options: DecodeBatchOptions = {}): DecodedBatch {
  const maxBytes = options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new RecordBatchError("INVALID_ARGUMENT", `maxDecompressedBytes ${maxBytes} is not a positive integer`);
  }
  const header = readBatchHeader(batchBytes, 0);
  const end = LOG_OVERHEAD + header.batchLength;
  const batch = batchBytes.subarray(0, end);
  if (options.verifyCrc ?? true) assertBatchCrc(batch);
  const payload = batch.subarray(RECORDS_OFFSET);
  const data = decompressRecords(header.attributes.compression, payload, maxBytes);
  return { header, records: decodeRecords(data, header.recordCount) };
}
