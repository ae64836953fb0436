import { ApiKey, type ListGroupsResponse } from "@kafscale/protocol";
import type { BrokerServices } from "../services.js";
import { defineHandler } from "./handler.js";

/** ListGroups v0-5 (state filter from v4, type filter from v5): every group, this broker coordinates them all. */
export function listGroupsHandler(services: BrokerServices) {
  return defineHandler({
    apiKey: ApiKey.ListGroups,
    minVersion: 0,
    maxVersion: 5,
    handle: (request, ctx): Promise<ListGroupsResponse> => services.groups.listGroups(request, ctx),
  });
}
