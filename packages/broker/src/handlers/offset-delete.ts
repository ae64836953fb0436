import { ApiKey, type OffsetDeleteResponse } from "@kafscale/protocol";
import type { BrokerServices } from "../services.js";
import { defineHandler } from "./handler.js";

/**
 * OffsetDelete v0, answered by the group coordinator; partitions that do not exist are answered
 * UNKNOWN_TOPIC_OR_PARTITION through the coordinator's `partitionExists` check.
 */
export function offsetDeleteHandler(services: BrokerServices) {
  return defineHandler({
    apiKey: ApiKey.OffsetDelete,
    minVersion: 0,
    maxVersion: 0,
    handle: (request, ctx): Promise<OffsetDeleteResponse> => services.groups.deleteOffsets(request, ctx),
  });
}
