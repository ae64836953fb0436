import { RevisionConflictError } from "../errors.js";
import type { KeyValue, Revision, TxnCompare } from "../kv/kv-store.js";
import { PartitionStateSchema, TopicConfigSchema } from "../gen/kafscale/metadata/v1/metadata_pb.js";
import type { PartitionState } from "../gen/kafscale/metadata/v1/metadata_pb.js";
import { decodeValue, encodeValue } from "./codec.js";
import type { StoreContext, Versioned } from "./context.js";
import { validatePartition, validateRevision, validateTopicName } from "./names.js";
import { writePartitionState } from "./partition-state-write.js";
import { partitionExistsCompare } from "./topic-guard.js";
import { initialPartitionState } from "./topics.js";

/** Options of `putPartitionState`. */
export interface PutPartitionStateOptions {
  /**
   * Also require the partition's assignment key (`/assignments/{topic}/{p}`) to be at this
   * revision: a broker whose assignment was taken away cannot commit (fencing).
   */
  readonly expectedAssignmentRevision?: Revision;
}

/** A partition's state; one never written is in its initial state at the topic's creation revision (see `writePartitionState`). */
export async function getPartitionState(ctx: StoreContext, topic: string, partition: number): Promise<Versioned<PartitionState> | null> {
  validateTopicName(topic);
  validatePartition(partition);
  const kv = await ctx.kv.get(ctx.keys.partition(topic, partition));
  if (kv !== null) return { value: decodeValue(PartitionStateSchema, kv.key, kv.value), revision: kv.modRevision };
  const config = await ctx.kv.get(ctx.keys.topicConfig(topic));
  return config !== null && partition < partitionCount(config) ? { value: initialPartitionState(topic, partition), revision: config.createRevision } : null;
}

/** Every partition's state, read with the topic's config in one snapshot; partitions never written are in their initial state. */
export async function listPartitionStates(ctx: StoreContext, topic: string): Promise<Array<Versioned<PartitionState>>> {
  validateTopicName(topic);
  const byPartition = new Map<number, Versioned<PartitionState>>();
  let config: KeyValue | undefined;
  for (const kv of await ctx.kv.range(ctx.keys.topicPrefix(topic))) {
    if (kv.key === ctx.keys.topicConfig(topic)) config = kv;
    const parsed = ctx.keys.parsePartitionKey(kv.key);
    if (parsed !== undefined) byPartition.set(parsed.partition, { value: decodeValue(PartitionStateSchema, kv.key, kv.value), revision: kv.modRevision });
  }
  for (let p = 0; config !== undefined && p < partitionCount(config); p++) {
    if (!byPartition.has(p)) byPartition.set(p, { value: initialPartitionState(topic, p), revision: config.createRevision });
  }
  return [...byPartition.entries()].sort(([a], [b]) => a - b).map(([, state]) => state);
}

function partitionCount(config: KeyValue): number {
  return decodeValue(TopicConfigSchema, config.key, config.value).partitions;
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
  const extra: TxnCompare[] = [];
  if (options.expectedAssignmentRevision !== undefined) {
    validateRevision(options.expectedAssignmentRevision);
    extra.push({ key: ctx.keys.assignment(state.topic, state.partition), modRevision: options.expectedAssignmentRevision });
  }
  const put = { type: "put" as const, key, value: encodeValue(PartitionStateSchema, state) };
  const result = await writePartitionState(ctx, state.topic, state.partition, expectedRevision, extra, [put]);
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
