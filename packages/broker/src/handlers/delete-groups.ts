import { ApiKey, type DeleteGroupsResponse } from "@kafscale/protocol";
import type { BrokerServices } from "../services.js";
import { defineHandler } from "./handler.js";

/** DeleteGroups v0-2: empty groups are deleted with their committed offsets, by the group coordinator. */
export function deleteGroupsHandler(services: BrokerServices) {
  return defineHandler({
    apiKey: ApiKey.DeleteGroups,
    minVersion: 0,
    maxVersion: 2,
    handle: (request, ctx): Promise<DeleteGroupsResponse> => services.groups.deleteGroups(request, ctx),
  });
}
