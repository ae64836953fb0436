import { readBatchHeader, RecordBatchError, RECORD_BATCH_OVERHEAD, verifyBatchCrc } from "@kafscale/protocol/records";
import { StorageError } from "../errors.js";

/** A produced batch that passed {@link validateProducedRecords}. */
export interface ProducedBatch {
  /** The batch's bytes: a subarray of the produce request (not a copy). */
  bytes: Uint8Array;
  lastOffsetDelta: number;
  recordCount: number;
  maxTimestamp: bigint;
}

const MAGIC_POSITION = 16;
const BATCH_LENGTH_POSITION = 8;
const LOG_OVERHEAD = 12;

/**
 * Splits and checks the `records` field of one produce partition, all or
 * nothing, the way Kafka's `LogValidator` checks batches from clients:
 *
 * - magic 0 or 1 → `UNSUPPORTED_MESSAGE_FORMAT` (only RecordBatch v2 is stored);
 * - any other magic, a length below the v2 minimum, a truncated batch or
 *   trailing bytes, a CRC-32C mismatch → `CORRUPT_MESSAGE`;
 * - an unknown compression codec → `UNSUPPORTED_COMPRESSION`;
 * - no batch at all, a record count that is not positive or does not match
 *   `lastOffsetDelta + 1`, a control batch (only brokers write those), a
 *   producer id without a base sequence → `INVALID_RECORD`.
 *
 * Records inside batches are not decoded (no decompression on the write path).
 */
export function validateProducedRecords(records: Uint8Array): ProducedBatch[] {
  if (records.length === 0) throw new StorageError("INVALID_RECORD", "the produce request holds no record batch for this partition");
  const view = new DataView(records.buffer, records.byteOffset, records.byteLength);
  const batches: ProducedBatch[] = [];
  let position = 0;
  while (position < records.length) {
    const remaining = records.length - position;
    if (remaining <= MAGIC_POSITION) {
      throw corrupt(`record batch at byte ${position} is truncated: ${remaining} bytes do not reach the magic byte`);
    }
    const magic = view.getInt8(position + MAGIC_POSITION);
    if (magic === 0 || magic === 1) {
      throw new StorageError(
        "UNSUPPORTED_MESSAGE_FORMAT",
        `record batch at byte ${position} uses message format v${magic} (magic ${magic}); only RecordBatch v2 is accepted`,
      );
    }
    if (magic !== 2) throw corrupt(`record batch at byte ${position} has unknown magic ${magic}`);
    if (remaining < RECORD_BATCH_OVERHEAD) {
      throw corrupt(`record batch at byte ${position} is truncated: ${remaining} bytes, a v2 header needs ${RECORD_BATCH_OVERHEAD}`);
    }
    const size = LOG_OVERHEAD + view.getInt32(position + BATCH_LENGTH_POSITION);
    if (size < RECORD_BATCH_OVERHEAD) throw corrupt(`record batch at byte ${position} declares ${size} bytes, less than a v2 header`);
    if (size > remaining) throw corrupt(`record batch at byte ${position} declares ${size} bytes but only ${remaining} remain`);
    const bytes = records.subarray(position, position + size);
    batches.push(checkBatch(bytes, position));
    position += size;
  }
  return batches;
}

function checkBatch(bytes: Uint8Array, position: number): ProducedBatch {
  let header;
  try {
    header = readBatchHeader(bytes, 0);
  } catch (err) {
    if (err instanceof RecordBatchError && err.code === "UNSUPPORTED_COMPRESSION") {
      throw new StorageError("UNSUPPORTED_COMPRESSION", `record batch at byte ${position}: ${err.message}`, { cause: err });
    }
    throw corrupt(`record batch at byte ${position}: ${(err as Error).message}`, err);
  }
  if (!verifyBatchCrc(bytes)) throw corrupt(`record batch at byte ${position} fails its CRC-32C check`);
  const invalid = (why: string): StorageError => new StorageError("INVALID_RECORD", `record batch at byte ${position}: ${why}`);
  if (header.recordCount <= 0) throw invalid(`record count ${header.recordCount} is not positive`);
  if (header.lastOffsetDelta < 0 || header.lastOffsetDelta + 1 !== header.recordCount) {
    throw invalid(`lastOffsetDelta ${header.lastOffsetDelta} does not match record count ${header.recordCount}`);
  }
  if (header.attributes.isControl) throw invalid("clients may not write control batches");
  if (header.producerId >= 0n && header.baseSequence < 0) {
    throw invalid(`producer id ${header.producerId} comes with an invalid base sequence ${header.baseSequence}`);
  }
  return { bytes, lastOffsetDelta: header.lastOffsetDelta, recordCount: header.recordCount, maxTimestamp: header.maxTimestamp };
}

function corrupt(message: string, cause?: unknown): StorageError {
  return new StorageError("CORRUPT_MESSAGE", message, cause === undefined ? undefined : { cause });
}
