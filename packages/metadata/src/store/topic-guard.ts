import { MetadataError, TopicNotFoundError } from "../errors.js";
import type { TxnCompare } from "../kv/kv-store.js";
import { TopicConfigSchema } from "../gen/kafscale/metadata/v1/metadata_pb.js";
import { decodeValue } from "./codec.js";
import type { StoreContext } from "./context.js";

/**
 * For writes that create a per-partition key: checks that the topic exists and has the partition,
 * and returns a compare that keeps it so until the write commits (a concurrent `deleteTopic` or
 * config change makes the write fail instead of leaving an orphan key).
 */
export async function partitionExistsCompare(ctx: StoreContext, topic: string, partition: number): Promise<TxnCompare> {
  const key = ctx.keys.topicConfig(topic);
  const kv = await ctx.kv.get(key);
  if (kv === null) throw new TopicNotFoundError(topic);
  const partitions = decodeValue(TopicConfigSchema, key, kv.value).partitions;
  if (partition >= partitions) {
    throw new MetadataError("INVALID_ARGUMENT", `topic "${topic}" has ${partitions} partitions; partition ${partition} does not exist`);
  }
  return { key, modRevision: kv.modRevision };
}
