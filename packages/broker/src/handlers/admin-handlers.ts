import type { ApiHandler } from "./handler.js";
import type { BrokerServices } from "../services.js";
import { alterConfigsHandler } from "./alter-configs.js";
import { createPartitionsHandler } from "./create-partitions.js";
import { createTopicsHandler } from "./create-topics.js";
import { deleteRecordsHandler } from "./delete-records.js";
import { deleteTopicsHandler } from "./delete-topics.js";
import { describeClusterHandler } from "./describe-cluster.js";
import { describeConfigsHandler } from "./describe-configs.js";
import { incrementalAlterConfigsHandler } from "./incremental-alter-configs.js";

/** The admin APIs (one handler file each). */
export function adminHandlers(services: BrokerServices): ApiHandler[] {
  return [
    createTopicsHandler(services),
    deleteTopicsHandler(services),
    deleteRecordsHandler(services),
    describeConfigsHandler(services),
    alterConfigsHandler(services),
    createPartitionsHandler(services),
    incrementalAlterConfigsHandler(services),
    describeClusterHandler(services),
  ] as ApiHandler[];
}
