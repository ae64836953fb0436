import type { ApiHandler } from "./handler.js";
import type { BrokerServices } from "../services.js";

/** The consumer-group APIs (one handler file each), served by the group coordinator. */
export function groupHandlers(_services: BrokerServices): ApiHandler[] {
  return [];
}
