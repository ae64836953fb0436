import { completeBatchSize } from "./batch-header.js";
import { BASE_OFFSET_OFFSET, PARTITION_LEADER_EPOCH_OFFSET, viewOf } from "./batch-layout.js";
import { RecordBatchError } from "./errors.js";
import { INT32_MAX, INT32_MIN, isInt, isInt64 } from "./int-ranges.js";

/*
 * The two header fields a broker assigns. Both sit before `attributes`, so the
 * CRC-32C (which covers attributes..end) stays valid and the batch can be
 * stored exactly as the producer sent it otherwise.
 */

/** Rewrites `baseOffset` of the batch at offset 0 of `batchBytes`, in place. */
export function setBaseOffset(batchBytes: Uint8Array, baseOffset: bigint): void {
  if (!isInt64(baseOffset)) {
    throw new RecordBatchError("INVALID_ARGUMENT", `baseOffset ${baseOffset} does not fit in an int64`);
  }
  completeBatchSize(batchBytes);
  viewOf(batchBytes).setBigInt64(BASE_OFFSET_OFFSET, baseOffset);
}

/** Rewrites `partitionLeaderEpoch` of the batch at offset 0 of `batchBytes`, in place. */
export function setPartitionLeaderEpoch(batchBytes: Uint8Array, epoch: number): void {
  if (!isInt(epoch, INT32_MIN, INT32_MAX)) {
    throw new RecordBatchError("INVALID_ARGUMENT", `partitionLeaderEpoch ${epoch} does not fit in an int32`);
  }
  completeBatchSize(batchBytes);
  viewOf(batchBytes).setInt32(PARTITION_LEADER_EPOCH_OFFSET, epoch);
}
