import type { Revision, Unsubscribe } from "../kv/kv-store.js";
import { TopicConfigSchema } from "../gen/kafscale/metadata/v1/metadata_pb.js";
import type { TopicConfig } from "../gen/kafscale/metadata/v1/metadata_pb.js";
import { decodeValue } from "./codec.js";
import type { StoreContext } from "./context.js";

/** A change of a topic's config, by anyone. Partition-state writes are not topic events. */
export type TopicEvent =
  | { readonly type: "created" | "changed"; readonly topic: string; readonly config: TopicConfig; readonly revision: Revision }
  | { readonly type: "deleted"; readonly topic: string; readonly revision: Revision };

/** Receives topic events in revision order. */
export type TopicListener = (event: TopicEvent) => void;

export function watchTopics(ctx: StoreContext, listener: TopicListener): Promise<Unsubscribe> {
  return ctx.kv.watch(ctx.keys.topicsPrefix, (event) => {
    const topic = ctx.keys.parseTopicConfigKey(event.key);
    if (topic === undefined) return;
    if (event.type === "delete") {
      listener({ type: "deleted", topic, revision: event.modRevision });
      return;
    }
    let config: TopicConfig;
    try {
      config = decodeValue(TopicConfigSchema, event.key, event.value);
    } catch (err) {
      ctx.logger.warn({ err, key: event.key }, "watchTopics: skipped a topic config that does not decode");
      return;
    }
    listener({ type: event.version === 1 ? "created" : "changed", topic, config, revision: event.modRevision });
  });
}
