import { RevisionConflictError } from "../errors.js";
import type { Revision, TxnOp } from "../kv/kv-store.js";
import { PartitionStateSchema, SegmentInfoSchema } from "../gen/kafscale/metadata/v1/metadata_pb.js";
import type { PartitionState, SegmentInfo } from "../gen/kafscale/metadata/v1/metadata_pb.js";
import { decodeValue, encodeValue } from "./codec.js";
import type { StoreContext } from "./context.js";
import { validatePartition, validateRevision, validateTopicName } from "./names.js";

/** A partition's committed segments, oldest first. */
export async function listSegments(ctx: StoreContext, topic: string, partition: number): Promise<SegmentInfo[]> {
  validateTopicName(topic);
  validatePartition(partition);
  const entries = await ctx.kv.range(ctx.keys.segmentsPrefix(topic, partition));
  return entries.map((kv) => decodeValue(SegmentInfoSchema, kv.key, kv.value));
}

/**
 * Writes a partition's new state together with segment additions and removals, in one
 * transaction conditional on the state's revision (the fence against a second writer).
 */
export async function updateSegments(
  ctx: StoreContext,
  state: PartitionState,
  expectedRevision: Revision,
  changes: { add?: readonly SegmentInfo[]; remove?: readonly bigint[] },
): Promise<Revision> {
  validateTopicName(state.topic);
  validatePartition(state.partition);
  validateRevision(expectedRevision);
  const key = ctx.keys.partition(state.topic, state.partition);
  const ops: TxnOp[] = [{ type: "put", key, value: encodeValue(PartitionStateSchema, state) }];
  for (const base of changes.remove ?? []) ops.push({ type: "delete", key: ctx.keys.segment(state.topic, state.partition, base) });
  for (const s of changes.add ?? []) {
    ops.push({ type: "put", key: ctx.keys.segment(state.topic, state.partition, s.baseOffset), value: encodeValue(SegmentInfoSchema, s) });
  }
  const result = await ctx.kv.txn({ compare: [{ key, modRevision: expectedRevision }], success: ops });
  if (!result.succeeded) throw new RevisionConflictError(key, expectedRevision);
  return result.revision;
}
