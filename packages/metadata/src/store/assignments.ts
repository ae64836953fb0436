import { RevisionConflictError } from "../errors.js";
import type { Revision } from "../kv/kv-store.js";
import { PartitionAssignmentSchema } from "../gen/kafscale/metadata/v1/metadata_pb.js";
import type { PartitionAssignment } from "../gen/kafscale/metadata/v1/metadata_pb.js";
import { decodeValue, encodeValue } from "./codec.js";
import type { StoreContext, Versioned } from "./context.js";
import { validatePartition, validateRevision, validateTopicName } from "./names.js";
import { partitionExistsCompare } from "./topic-guard.js";

/** One partition's assignment as listed. */
export interface AssignmentEntry extends Versioned<PartitionAssignment> {
  readonly topic: string;
  readonly partition: number;
}

export async function getAssignment(ctx: StoreContext, topic: string, partition: number): Promise<Versioned<PartitionAssignment> | null> {
  validateTopicName(topic);
  validatePartition(partition);
  const kv = await ctx.kv.get(ctx.keys.assignment(topic, partition));
  return kv === null ? null : { value: decodeValue(PartitionAssignmentSchema, kv.key, kv.value), revision: kv.modRevision };
}

export async function listAssignments(ctx: StoreContext, topic?: string): Promise<AssignmentEntry[]> {
  if (topic !== undefined) validateTopicName(topic);
  const out: AssignmentEntry[] = [];
  for (const kv of await ctx.kv.range(ctx.keys.assignmentsPrefix(topic))) {
    const parsed = ctx.keys.parseAssignmentKey(kv.key);
    if (parsed === undefined) continue;
    out.push({ ...parsed, value: decodeValue(PartitionAssignmentSchema, kv.key, kv.value), revision: kv.modRevision });
  }
  return out.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
}

export async function putAssignment(
  ctx: StoreContext,
  topic: string,
  partition: number,
  assignment: PartitionAssignment,
  expectedRevision: Revision,
): Promise<Revision> {
  validateTopicName(topic);
  validatePartition(partition);
  validateRevision(expectedRevision);
  const key = ctx.keys.assignment(topic, partition);
  const compare = [{ key, modRevision: expectedRevision }];
  if (expectedRevision === 0) compare.push(await partitionExistsCompare(ctx, topic, partition));
  const result = await ctx.kv.txn({
    compare,
    success: [{ type: "put", key, value: encodeValue(PartitionAssignmentSchema, assignment) }],
  });
  if (result.succeeded) return result.revision;
  if (expectedRevision === 0) await partitionExistsCompare(ctx, topic, partition); // TopicNotFoundError if it went away
  throw new RevisionConflictError(key, expectedRevision);
}
