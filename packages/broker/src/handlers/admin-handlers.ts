import type { ApiHandler } from "./handler.js";
import type { BrokerServices } from "../services.js";

/** The admin APIs (one handler file each). */
export function adminHandlers(_services: BrokerServices): ApiHandler[] {
  return [];
}
