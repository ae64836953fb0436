import type { ApiHandler } from "./handler.js";
import type { HandlerRegistry } from "./handler-registry.js";
import type { BrokerServices } from "../services.js";
import { apiVersionsHandler } from "./api-versions.js";
import { metadataHandler } from "./metadata.js";
import { produceHandler } from "./produce.js";
import { fetchHandler } from "./fetch.js";
import { listOffsetsHandler } from "./list-offsets.js";
import { offsetForLeaderEpochHandler } from "./offset-for-leader-epoch.js";
import { groupHandlers } from "./group-handlers.js";
import { adminHandlers } from "./admin-handlers.js";

/** Every handler the broker serves; ApiVersions advertises exactly these. */
export function allHandlers(services: BrokerServices, registry: HandlerRegistry): ApiHandler[] {
  return [
    apiVersionsHandler(registry),
    metadataHandler(services),
    produceHandler(services),
    fetchHandler(services),
    listOffsetsHandler(services),
    offsetForLeaderEpochHandler(services),
    ...groupHandlers(services),
    ...adminHandlers(services),
  ] as ApiHandler[];
}
