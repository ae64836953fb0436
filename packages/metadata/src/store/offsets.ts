import { RevisionConflictError } from "../errors.js";
import type { Revision, TxnCompare, TxnOp } from "../kv/kv-store.js";
import { CommittedOffsetSchema } from "../gen/kafscale/metadata/v1/metadata_pb.js";
import type { CommittedOffset } from "../gen/kafscale/metadata/v1/metadata_pb.js";
import { decodeValue, encodeValue } from "./codec.js";
import type { StoreContext, Versioned } from "./context.js";
import { validatePartition, validateRevision, validateTopicName } from "./names.js";
import { chunks } from "./txn-limits.js";

/** One offset to commit. */
export interface OffsetCommit {
  readonly topic: string;
  readonly partition: number;
  readonly offset: CommittedOffset;
}

/** One committed offset as fetched. */
export interface OffsetEntry extends Versioned<CommittedOffset> {
  readonly topic: string;
  readonly partition: number;
}

/** Options of `commitOffsets`. */
export interface CommitOffsetsOptions {
  /**
   * Also require the group's metadata key to be at this revision (0: no metadata), so a commit
   * made for a generation that has since changed fails with `RevisionConflictError`.
   */
  readonly expectedGroupRevision?: Revision;
}

export async function commitOffsets(
  ctx: StoreContext,
  groupId: string,
  commits: readonly OffsetCommit[],
  options: CommitOffsetsOptions = {},
): Promise<Revision> {
  const puts = new Map<string, TxnOp>(); // a partition named twice: the last commit wins
  for (const c of commits) {
    validateTopicName(c.topic);
    validatePartition(c.partition);
    const key = ctx.keys.offset(groupId, c.topic, c.partition);
    puts.delete(key);
    puts.set(key, { type: "put", key, value: encodeValue(CommittedOffsetSchema, c.offset) });
  }
  const compare: TxnCompare[] = [];
  const groupRevision = options.expectedGroupRevision;
  if (groupRevision !== undefined) {
    validateRevision(groupRevision);
    compare.push({ key: ctx.keys.groupMetadata(groupId), modRevision: groupRevision });
  }
  let revision = 0;
  for (const chunk of chunks([...puts.values()])) {
    const result = await ctx.kv.txn({ compare, success: chunk });
    if (!result.succeeded) throw new RevisionConflictError(ctx.keys.groupMetadata(groupId), groupRevision ?? 0);
    revision = result.revision;
  }
  return revision;
}

export async function fetchOffset(ctx: StoreContext, groupId: string, topic: string, partition: number): Promise<Versioned<CommittedOffset> | null> {
  validateTopicName(topic);
  validatePartition(partition);
  const kv = await ctx.kv.get(ctx.keys.offset(groupId, topic, partition));
  return kv === null ? null : { value: decodeValue(CommittedOffsetSchema, kv.key, kv.value), revision: kv.modRevision };
}

export async function fetchOffsets(ctx: StoreContext, groupId: string, topic?: string): Promise<OffsetEntry[]> {
  if (topic !== undefined) validateTopicName(topic);
  const out: OffsetEntry[] = [];
  for (const kv of await ctx.kv.range(ctx.keys.offsetsPrefix(groupId, topic))) {
    const parsed = ctx.keys.parseConsumerKey(kv.key);
    if (parsed?.kind !== "offset") continue;
    out.push({ topic: parsed.topic, partition: parsed.partition, value: decodeValue(CommittedOffsetSchema, kv.key, kv.value), revision: kv.modRevision });
  }
  return out.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
}

export async function deleteOffsets(ctx: StoreContext, groupId: string, topic: string, partitions: readonly number[]): Promise<Revision> {
  validateTopicName(topic);
  partitions.forEach(validatePartition);
  let revision = 0;
  for (const chunk of chunks(partitions)) {
    revision = (await ctx.kv.txn({ success: chunk.map((p) => ({ type: "delete", key: ctx.keys.offset(groupId, topic, p) })) })).revision;
  }
  return revision;
}

export async function listCommittedOffsetGroups(ctx: StoreContext): Promise<string[]> {
  const groups = new Set<string>();
  for (const kv of await ctx.kv.range(ctx.keys.consumersPrefix)) {
    const parsed = ctx.keys.parseConsumerKey(kv.key);
    if (parsed?.kind === "offset") groups.add(parsed.groupId);
  }
  return [...groups].sort();
}
