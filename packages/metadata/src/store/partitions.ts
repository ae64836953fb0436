import { RevisionConflictError } from "../errors.js";
import type { Revision, TxnCompare } from "../kv/kv-store.js";
import { PartitionStateSchema } from "../gen/kafscale/metadata/v1/metadata_pb.js";
import type { PartitionState } from "../gen/kafscale/metadata/v1/metadata_pb.js";
import { decodeValue, encodeValue } from "./codec.js";
import type { StoreContext, Versioned } from "./context.js";
import { validatePartition, validateRevision, validateTopicName } from "./names.js";
import { partitionExistsCompare } from "./topic-guard.js";

/** Options of `putPartitionState`. */
export interface PutPartitionStateOptions {
  /**
   * Also require the partition's assignment key (`/assignments/{topic}/{p}`) to be at this
   * revision: a broker whose assignment was taken away cannot commit (fencing).
   */
  readonly expectedAssignmentRevision?: Revision;
}

export async function getPartitionState(ctx: StoreContext, topic: string, partition: number): Promise<Versioned<PartitionState> | null> {
  validateTopicName(topic);
  validatePartition(partition);
  const kv = await ctx.kv.get(ctx.keys.partition(topic, partition));
  return kv === null ? null : { value: decodeValue(PartitionStateSchema, kv.key, kv.value), revision: kv.modRevision };
}

export async function listPartitionStates(ctx: StoreContext, topic: string): Promise<Array<Versioned<PartitionState>>> {
  validateTopicName(topic);
  const out: Array<Versioned<PartitionState> & { partition: number }> = [];
  for (const kv of await ctx.kv.range(ctx.keys.partitionsPrefix(topic))) {
    const parsed = ctx.keys.parsePartitionKey(kv.key);
    if (parsed === undefined) continue;
    out.push({ partition: parsed.partition, value: decodeValue(PartitionStateSchema, kv.key, kv.value), revision: kv.modRevision });
  }
  return out.sort((a, b) => a.partition - b.partition).map(({ value, revision }) => ({ value, revision }));
}

export async function putPartitionState(
  ctx: StoreContext,
  state: PartitionState,
  expectedRevision: Revision,
  options: PutPartitionStateOptions = {},
): Promise<Revision> {
  validateTopicName(state.topic);
  validatePartition(state.partition);
  validateRevision(expectedRevision);
  const key = ctx.keys.partition(state.topic, state.partition);
  const compare: TxnCompare[] = [{ key, modRevision: expectedRevision }];
  if (options.expectedAssignmentRevision !== undefined) {
    validateRevision(options.expectedAssignmentRevision);
    compare.push({ key: ctx.keys.assignment(state.topic, state.partition), modRevision: options.expectedAssignmentRevision });
  }
  if (expectedRevision === 0) compare.push(await partitionExistsCompare(ctx, state.topic, state.partition));
  const result = await ctx.kv.txn({ compare, success: [{ type: "put", key, value: encodeValue(PartitionStateSchema, state) }] });
  if (result.succeeded) return result.revision;
  if (expectedRevision === 0) await partitionExistsCompare(ctx, state.topic, state.partition); // TopicNotFoundError if it went away
  const assignmentRevision = options.expectedAssignmentRevision;
  if (assignmentRevision !== undefined) {
    const assignmentKey = ctx.keys.assignment(state.topic, state.partition);
    const assignment = await ctx.kv.get(assignmentKey);
    if ((assignment?.modRevision ?? 0) !== assignmentRevision) throw new RevisionConflictError(assignmentKey, assignmentRevision);
  }
  throw new RevisionConflictError(key, expectedRevision);
}
