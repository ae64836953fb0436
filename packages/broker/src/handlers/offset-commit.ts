import { ApiKey, type OffsetCommitResponse } from "@kafscale/protocol";
import type { BrokerServices } from "../services.js";
import { defineHandler } from "./handler.js";

/**
 * OffsetCommit v0-9, answered by the group coordinator once the metadata store has the offsets.
 * Partitions that do not exist are answered UNKNOWN_TOPIC_OR_PARTITION: the broker gives the
 * coordinator its `partitionExists` check when it creates it.
 */
export function offsetCommitHandler(services: BrokerServices) {
  return defineHandler({
    apiKey: ApiKey.OffsetCommit,
    minVersion: 0,
    maxVersion: 9,
    handle: (request, ctx): Promise<OffsetCommitResponse> => services.groups.commitOffsets(request, ctx),
  });
}
