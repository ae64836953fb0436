import { ApiKey, ErrorCode, type DescribeGroupsResponse } from "@kafscale/protocol";
import type { BrokerServices } from "../services.js";
import { defineHandler } from "./handler.js";

/** Kafka's "not requested" value of `AuthorizedOperations` (INT32 min). */
const OPERATIONS_NOT_REQUESTED = -2147483648;

/**
 * The operations a client may perform on a group, as Kafka answers them without an authorizer:
 * all that apply to groups, READ (3), DELETE (6) and DESCRIBE (8), as a bit field.
 */
const GROUP_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8);

/**
 * DescribeGroups v0-5, answered by the group coordinator. There are no ACLs: when a v3+ client asks
 * for the authorized operations it gets every group operation, as Kafka without an authorizer.
 */
export function describeGroupsHandler(services: BrokerServices) {
  return defineHandler({
    apiKey: ApiKey.DescribeGroups,
    minVersion: 0,
    maxVersion: 5,
    async handle(request, ctx): Promise<DescribeGroupsResponse> {
      const response = await services.groups.describeGroups(request, ctx);
      const requested = ctx.apiVersion >= 3 && request.includeAuthorizedOperations === true;
      return {
        ...response,
        groups: response.groups.map((g) => ({
          ...g,
          authorizedOperations: requested && g.errorCode === ErrorCode.NONE ? GROUP_OPERATIONS : OPERATIONS_NOT_REQUESTED,
        })),
      };
    },
  });
}
