import { ApiKey, type OffsetFetchResponse } from "@kafscale/protocol";
import type { BrokerServices } from "../services.js";
import { defineHandler } from "./handler.js";

/**
 * OffsetFetch v0-9 (several groups per request from v8), answered by the group coordinator. A
 * partition without a commit is answered offset -1 and no error, whether or not the group or the
 * partition exists, as Kafka 3.9 does: the Java consumer fails on UNKNOWN_TOPIC_OR_PARTITION here
 * and librdkafka stops the partition, so a consumer assigned to a topic that is still being
 * auto-created would never start.
 */
export function offsetFetchHandler(services: BrokerServices) {
  return defineHandler({
    apiKey: ApiKey.OffsetFetch,
    minVersion: 0,
    maxVersion: 9,
    handle: (request, ctx): Promise<OffsetFetchResponse> => services.groups.fetchOffsets(request, ctx),
  });
}
