import { probeBatch, readBatchHeader, type RecordBatchHeader } from "./batch-header.js";

/** One complete batch inside a larger `records` field. */
export interface RecordBatchView {
  /** Byte position of the batch inside the bytes that were walked. */
  position: number;
  header: RecordBatchHeader;
  /** The batch's bytes: a subarray sharing memory with the input (no copy). */
  bytes: Uint8Array;
}

/**
 * Bytes at the end that do not form a complete batch. A fetch response may
 * legally end like this (the broker cuts at the byte limit); Kafka's consumer
 * ignores such a tail, and a produce request should not contain one.
 */
export interface PartialBatch {
  position: number;
  /** The tail, as a subarray of the input. */
  bytes: Uint8Array;
  /** `batchLength + 12`, when at least 12 bytes are there to say it. */
  declaredSize: number | null;
  /** When at least 8 bytes are there to say it. */
  baseOffset: bigint | null;
}

/**
 * Walks the batches concatenated in a `records` field, yielding each complete
 * batch. A trailing partial batch is not yielded: it is the generator's
 * return value (`null` when there is none); {@link splitBatches} returns both.
 *
 * Throws `RecordBatchError` for bytes that can never be valid
 * (`UNSUPPORTED_MAGIC`, `INVALID_LENGTH`, `UNSUPPORTED_COMPRESSION`).
 */
export function* iterateBatches(bytes: Uint8Array): Generator<RecordBatchView, PartialBatch | null, undefined> {
  let position = 0;
  while (position < bytes.length) {
    const probe = probeBatch(bytes, position);
    if (!probe.complete) {
      return {
        position,
        bytes: bytes.subarray(position),
        declaredSize: probe.declaredSize,
        baseOffset: probe.baseOffset,
      };
    }
    const header = readBatchHeader(bytes, position);
    yield { position, header, bytes: bytes.subarray(position, position + probe.size) };
    position += probe.size;
  }
  return null;
}

/** All complete batches, plus the trailing partial batch if there is one. */
export function splitBatches(bytes: Uint8Array): { batches: RecordBatchView[]; partial: PartialBatch | null } {
  const batches: RecordBatchView[] = [];
  const iterator = iterateBatches(bytes);
  for (;;) {
    const step = iterator.next();
    if (step.done === true) return { batches, partial: step.value };
    batches.push(step.value);
  }
}
