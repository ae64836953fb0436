import { clone, create } from "@bufbuild/protobuf";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { randomUUID } from "node:crypto";
import { MetadataError, RevisionConflictError, TopicExistsError, TopicNotFoundError } from "../errors.js";
import type { Revision } from "../kv/kv-store.js";
import { PartitionStateSchema, TopicConfigSchema } from "../gen/kafscale/metadata/v1/metadata_pb.js";
import type { PartitionState, TopicConfig } from "../gen/kafscale/metadata/v1/metadata_pb.js";
import { decodeValue, encodeValue } from "./codec.js";
import type { StoreContext, Versioned } from "./context.js";
import { validatePartitionCount, validateRevision, validateTopicName } from "./names.js";

/** What `createTopic` takes: any TopicConfig fields, with `name` and `partitions` required. */
export type NewTopic = MessageInitShape<typeof TopicConfigSchema> & { readonly name: string; readonly partitions: number };

/** How many times `deleteTopic` without an expected revision re-reads after a concurrent change. */
const DELETE_ATTEMPTS = 5;

/**
 * The state a partition starts with: no leader (-1), epoch 0, empty log. It is not stored when a
 * topic is created or grown: a partition without a state key is in this state.
 */
export function initialPartitionState(topic: string, partition: number): PartitionState {
  return create(PartitionStateSchema, { topic, partition, leaderBroker: -1, leaderEpoch: 0, logStartOffset: 0n, logEndOffset: 0n, highWatermark: 0n });
}

export async function createTopic(ctx: StoreContext, topic: NewTopic): Promise<Versioned<TopicConfig>> {
  validateTopicName(topic.name);
  validatePartitionCount(topic.partitions);
  const config = create(TopicConfigSchema, topic);
  if (config.topicId === "") config.topicId = randomUUID();
  if (config.replicationFactor === 0) config.replicationFactor = 1;
  config.createdAt ??= timestampFromMs(ctx.clock.now());
  const key = ctx.keys.topicConfig(config.name);
  // One key, whatever the partition count: partition states appear when first written (see writePartitionState).
  const result = await ctx.kv.txn({ compare: [{ key, modRevision: 0 }], success: [{ type: "put", key, value: encodeValue(TopicConfigSchema, config) }] });
  if (!result.succeeded) throw new TopicExistsError(config.name);
  return { value: config, revision: result.revision };
}

export async function getTopic(ctx: StoreContext, name: string): Promise<Versioned<TopicConfig> | null> {
  validateTopicName(name);
  const kv = await ctx.kv.get(ctx.keys.topicConfig(name));
  return kv === null ? null : { value: decodeValue(TopicConfigSchema, kv.key, kv.value), revision: kv.modRevision };
}

export async function listTopics(ctx: StoreContext): Promise<Array<Versioned<TopicConfig>>> {
  const out: Array<Versioned<TopicConfig>> = [];
  for (const kv of await ctx.kv.range(ctx.keys.topicsPrefix)) {
    if (ctx.keys.parseTopicConfigKey(kv.key) !== undefined) out.push({ value: decodeValue(TopicConfigSchema, kv.key, kv.value), revision: kv.modRevision });
  }
  // Key order is not name order ("a-b/config" < "a/config"): sort by name.
  return out.sort((a, b) => (a.value.name < b.value.name ? -1 : a.value.name > b.value.name ? 1 : 0));
}

async function requireTopic(ctx: StoreContext, name: string): Promise<Versioned<TopicConfig>> {
  const current = await getTopic(ctx, name);
  if (current === null) throw new TopicNotFoundError(name);
  return current;
}

export async function updateTopicConfig(ctx: StoreContext, config: TopicConfig, expectedRevision: Revision): Promise<Revision> {
  validateTopicName(config.name);
  validateRevision(expectedRevision);
  const key = ctx.keys.topicConfig(config.name);
  const current = await requireTopic(ctx, config.name);
  if (current.revision !== expectedRevision) throw new RevisionConflictError(key, expectedRevision);
  if (config.topicId !== current.value.topicId) {
    throw new MetadataError("INVALID_ARGUMENT", `topic id of "${config.name}" cannot change (${current.value.topicId} → ${config.topicId})`);
  }
  if (config.partitions !== current.value.partitions) {
    throw new MetadataError("INVALID_ARGUMENT", `updateTopicConfig cannot change the partition count of "${config.name}"; use addPartitions`);
  }
  const result = await ctx.kv.txn({ compare: [{ key, modRevision: expectedRevision }], success: [{ type: "put", key, value: encodeValue(TopicConfigSchema, config) }] });
  if (result.succeeded) return result.revision;
  await requireTopic(ctx, config.name);
  throw new RevisionConflictError(key, expectedRevision);
}

export async function deleteTopic(ctx: StoreContext, name: string, expectedRevision?: Revision): Promise<Revision> {
  validateTopicName(name);
  if (expectedRevision !== undefined) validateRevision(expectedRevision);
  const key = ctx.keys.topicConfig(name);
  for (let attempt = 1; ; attempt++) {
    const current = await requireTopic(ctx, name);
    const expected = expectedRevision ?? current.revision;
    const result = await ctx.kv.txn({
      compare: [{ key, modRevision: expected }],
      success: [
        { type: "deletePrefix", prefix: ctx.keys.topicPrefix(name) },
        { type: "deletePrefix", prefix: ctx.keys.assignmentsPrefix(name) },
        { type: "deletePrefix", prefix: ctx.keys.segmentsPrefix(name) },
      ],
    });
    if (result.succeeded) return result.revision;
    if (expectedRevision !== undefined || attempt === DELETE_ATTEMPTS) {
      await requireTopic(ctx, name);
      throw new RevisionConflictError(key, expected);
    }
  }
}

export async function addPartitions(ctx: StoreContext, name: string, partitions: number, expectedRevision?: Revision): Promise<Versioned<TopicConfig>> {
  validateTopicName(name);
  validatePartitionCount(partitions);
  if (expectedRevision !== undefined) validateRevision(expectedRevision);
  const key = ctx.keys.topicConfig(name);
  const current = await requireTopic(ctx, name);
  const expected = expectedRevision ?? current.revision;
  if (current.revision !== expected) throw new RevisionConflictError(key, expected);
  const from = current.value.partitions;
  if (partitions <= from) {
    throw new MetadataError("INVALID_ARGUMENT", `topic "${name}" has ${from} partitions; addPartitions needs more than that, got ${partitions}`);
  }
  const config = clone(TopicConfigSchema, current.value);
  config.partitions = partitions;
  // Only the config: the new partitions start without state keys, like those of a new topic.
  const result = await ctx.kv.txn({ compare: [{ key, modRevision: expected }], success: [{ type: "put", key, value: encodeValue(TopicConfigSchema, config) }] });
  if (!result.succeeded) {
    await requireTopic(ctx, name);
    throw new RevisionConflictError(key, expected);
  }
  return { value: config, revision: result.revision };
}
