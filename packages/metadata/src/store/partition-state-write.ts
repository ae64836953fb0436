import type { KeyValue, Revision, TxnCompare, TxnOp, TxnResult } from "../kv/kv-store.js";
import { TopicConfigSchema } from "../gen/kafscale/metadata/v1/metadata_pb.js";
import { decodeValue } from "./codec.js";
import type { StoreContext } from "./context.js";
import { partitionExistsCompare } from "./topic-guard.js";

/** How often a write of a never-written state re-reads after a concurrent change of the topic's config. */
const ATTEMPTS = 3;

/**
 * Partition states are not written when a topic is created or grown (a topic of 1000 partitions
 * would not fit in one etcd transaction): a partition without a state key is in its initial state
 * (`initialPartitionState`), and its revision is the **creation revision of the topic's config**.
 * That revision identifies the incarnation of the topic, so a writer holding it from before the
 * topic was deleted and created again is refused like any stale writer.
 *
 * Runs `ops` in one transaction if the partition's state is still at `expectedRevision`, together
 * with `extra` compares:
 * - 0: the state key must not exist, and the topic must have the partition (`TopicNotFoundError`,
 *   `INVALID_ARGUMENT` otherwise);
 * - the state key's modRevision, when the state was written;
 * - the topic's creation revision, when it never was (then the config must stay as read until the write).
 * Resolves with the transaction's result: `succeeded` false means a conflict.
 */
export async function writePartitionState(
  ctx: StoreContext,
  topic: string,
  partition: number,
  expectedRevision: Revision,
  extra: readonly TxnCompare[],
  ops: readonly TxnOp[],
): Promise<TxnResult> {
  const key = ctx.keys.partition(topic, partition);
  if (expectedRevision === 0) {
    return ctx.kv.txn({ compare: [{ key, modRevision: 0 }, await partitionExistsCompare(ctx, topic, partition), ...extra], success: ops });
  }
  let result = await ctx.kv.txn({ compare: [{ key, modRevision: expectedRevision }, ...extra], success: ops });
  for (let attempt = 1; !result.succeeded && attempt <= ATTEMPTS; attempt++) {
    const configKey = ctx.keys.topicConfig(topic);
    const [state, config] = await Promise.all([ctx.kv.get(key), ctx.kv.get(configKey)]);
    if (state !== null || !isUnwrittenAt(config, partition, expectedRevision)) return result;
    result = await ctx.kv.txn({ compare: [{ key, modRevision: 0 }, { key: configKey, modRevision: config.modRevision }, ...extra], success: ops });
  }
  return result;
}

/** True when `config` is the config of the topic incarnation created at `revision`, and it has `partition`. */
function isUnwrittenAt(config: KeyValue | null, partition: number, revision: Revision): config is KeyValue {
  return config !== null && config.createRevision === revision && partition < decodeValue(TopicConfigSchema, config.key, config.value).partitions;
}
