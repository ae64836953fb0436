import { ApiKey, type HeartbeatResponse } from "@kafscale/protocol";
import type { BrokerServices } from "../services.js";
import { defineHandler } from "./handler.js";

/** Heartbeat v0-4, answered by the group coordinator. */
export function heartbeatHandler(services: BrokerServices) {
  return defineHandler({
    apiKey: ApiKey.Heartbeat,
    minVersion: 0,
    maxVersion: 4,
    handle: (request, ctx): Promise<HeartbeatResponse> => services.groups.heartbeat(request, ctx),
  });
}
