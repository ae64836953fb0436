import { ApiKey, type SyncGroupResponse } from "@kafscale/protocol";
import type { BrokerServices } from "../services.js";
import { defineHandler } from "./handler.js";

/** SyncGroup v0-5, answered by the group coordinator; followers wait for the leader's assignment. */
export function syncGroupHandler(services: BrokerServices) {
  return defineHandler({
    apiKey: ApiKey.SyncGroup,
    minVersion: 0,
    maxVersion: 5,
    handle: (request, ctx): Promise<SyncGroupResponse> => services.groups.syncGroup(request, ctx),
  });
}
