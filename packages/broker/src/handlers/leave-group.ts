import { ApiKey, type LeaveGroupResponse } from "@kafscale/protocol";
import type { BrokerServices } from "../services.js";
import { defineHandler } from "./handler.js";

/** LeaveGroup v0-5 (one member before v3, a batch of members from v3), answered by the group coordinator. */
export function leaveGroupHandler(services: BrokerServices) {
  return defineHandler({
    apiKey: ApiKey.LeaveGroup,
    minVersion: 0,
    maxVersion: 5,
    handle: (request, ctx): Promise<LeaveGroupResponse> => services.groups.leaveGroup(request, ctx),
  });
}
