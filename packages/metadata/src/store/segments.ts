import { MetadataError, RevisionConflictError } from "../errors.js";
import type { Revision, TxnOp } from "../kv/kv-store.js";
import { PartitionStateSchema, SegmentInfoSchema } from "../gen/kafscale/metadata/v1/metadata_pb.js";
import type { PartitionState, SegmentInfo } from "../gen/kafscale/metadata/v1/metadata_pb.js";
import { decodeValue, encodeValue } from "./codec.js";
import type { StoreContext } from "./context.js";
import { validatePartition, validateRevision, validateTopicName } from "./names.js";
import { writePartitionState } from "./partition-state-write.js";
import { chunks, MAX_TXN_OPS } from "./txn-limits.js";

/** A partition's committed segments, oldest first. */
export async function listSegments(ctx: StoreContext, topic: string, partition: number): Promise<SegmentInfo[]> {
  validateTopicName(topic);
  validatePartition(partition);
  const entries = await ctx.kv.range(ctx.keys.segmentsPrefix(topic, partition));
  return entries.map((kv) => decodeValue(SegmentInfoSchema, kv.key, kv.value));
}

/**
 * Writes a partition's new state together with segment additions and removals, conditional on
 * the state's revision (the fence against a second writer; see `writePartitionState` for the
 * revision of a state never written). The state, the additions and as many removals as fit go in
 * one transaction; removals beyond etcd's transaction size follow in transactions of their own
 * (deleting segment keys the new state no longer covers is safe whoever writes next). If one of
 * those fails, its keys stay listed below the new log start offset and a warning is logged.
 * More additions than fit in one transaction are refused (`INVALID_ARGUMENT`).
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
  const { topic, partition } = state;
  const key = ctx.keys.partition(topic, partition);
  const ops: TxnOp[] = [{ type: "put", key, value: encodeValue(PartitionStateSchema, state) }];
  for (const s of changes.add ?? []) ops.push({ type: "put", key: ctx.keys.segment(topic, partition, s.baseOffset), value: encodeValue(SegmentInfoSchema, s) });
  if (ops.length > MAX_TXN_OPS) throw new MetadataError("INVALID_ARGUMENT", `updateSegments can add at most ${MAX_TXN_OPS - 1} segments at once, got ${ops.length - 1}`);
  const removes: TxnOp[] = (changes.remove ?? []).map((base) => ({ type: "delete", key: ctx.keys.segment(topic, partition, base) }));
  const later = removes.splice(MAX_TXN_OPS - ops.length);
  const result = await writePartitionState(ctx, topic, partition, expectedRevision, [], [...ops, ...removes]);
  if (!result.succeeded) throw new RevisionConflictError(key, expectedRevision);
  for (const chunk of later.length > 0 ? chunks(later) : []) {
    await ctx.kv.txn({ success: chunk }).catch((err: unknown) => {
      ctx.logger.warn({ err, topic, partition, segments: chunk.length }, "could not delete the keys of removed segments; they stay listed below the log start offset");
    });
  }
  return result.revision;
}
