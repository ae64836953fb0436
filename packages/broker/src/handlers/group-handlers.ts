import type { ApiHandler } from "./handler.js";
import type { BrokerServices } from "../services.js";
import { findCoordinatorHandler } from "./find-coordinator.js";
import { joinGroupHandler } from "./join-group.js";
import { syncGroupHandler } from "./sync-group.js";
import { heartbeatHandler } from "./heartbeat.js";
import { leaveGroupHandler } from "./leave-group.js";
import { offsetCommitHandler } from "./offset-commit.js";
import { offsetFetchHandler } from "./offset-fetch.js";
import { listGroupsHandler } from "./list-groups.js";
import { describeGroupsHandler } from "./describe-groups.js";
import { deleteGroupsHandler } from "./delete-groups.js";
import { offsetDeleteHandler } from "./offset-delete.js";

/** The consumer-group APIs (one handler file each), served by the group coordinator. */
export function groupHandlers(services: BrokerServices): ApiHandler[] {
  return [
    findCoordinatorHandler(services),
    joinGroupHandler(services),
    syncGroupHandler(services),
    heartbeatHandler(services),
    leaveGroupHandler(services),
    offsetCommitHandler(services),
    offsetFetchHandler(services),
    listGroupsHandler(services),
    describeGroupsHandler(services),
    deleteGroupsHandler(services),
    offsetDeleteHandler(services),
  ] as ApiHandler[];
}
