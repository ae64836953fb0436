import { crc32c as nativeCrc32c } from "@node-rs/crc32";
import { completeBatchSize } from "./batch-header.js";
import { ATTRIBUTES_OFFSET, CRC_OFFSET, viewOf } from "./batch-layout.js";
import { RecordBatchError } from "./errors.js";

/**
 * CRC-32C (Castagnoli), unsigned. Backed by `@node-rs/crc32`, which uses the
 * SSE4.2 / ARMv8 CRC instructions (several GB/s).
 */
export function crc32c(bytes: Uint8Array): number {
  return nativeCrc32c(bytes) >>> 0;
}

/** The CRC the batch at offset 0 of `batchBytes` should store: CRC-32C of bytes 21..end. */
export function computeBatchCrc(batchBytes: Uint8Array): number {
  const size = completeBatchSize(batchBytes);
  return crc32c(batchBytes.subarray(ATTRIBUTES_OFFSET, size));
}

/** The CRC stored in the header of the batch at offset 0. */
export function storedBatchCrc(batchBytes: Uint8Array): number {
  completeBatchSize(batchBytes);
  return viewOf(batchBytes).getUint32(CRC_OFFSET);
}

/** True when the stored CRC matches the bytes. Throws only when `batchBytes` is not a complete v2 batch. */
export function verifyBatchCrc(batchBytes: Uint8Array): boolean {
  return computeBatchCrc(batchBytes) === storedBatchCrc(batchBytes);
}

/** Like {@link verifyBatchCrc} but throws `CRC_MISMATCH`. */
export function assertBatchCrc(batchBytes: Uint8Array): void {
  const computed = computeBatchCrc(batchBytes);
  const stored = storedBatchCrc(batchBytes);
  if (computed !== stored) {
    throw new RecordBatchError(
      "CRC_MISMATCH",
      `record batch CRC mismatch: stored 0x${hex32(stored)}, computed 0x${hex32(computed)}`,
    );
  }
}

/** Computes the CRC of a complete batch and writes it into the header. */
export function writeBatchCrc(batchBytes: Uint8Array): void {
  viewOf(batchBytes).setUint32(CRC_OFFSET, computeBatchCrc(batchBytes));
}

function hex32(n: number): string {
  return n.toString(16).padStart(8, "0");
}
