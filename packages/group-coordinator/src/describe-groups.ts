import { ErrorCode } from "@kafscale/protocol";
import type {
  DescribeGroupsRequest,
  DescribeGroupsResponse,
  DescribeGroupsResponseDescribedGroup,
} from "@kafscale/protocol";
import type { RequestContext } from "./context.js";
import type { CoordinatorRuntime } from "./runtime.js";

const NO_BYTES = new Uint8Array(0);

/**
 * DescribeGroups (Kafka's handleDescribeGroup). A group that does not exist is described as
 * "Dead" with no error, as Kafka does. Members' metadata (for the selected protocol) and
 * assignments are included only in Stable, where `protocolData` is the selected protocol;
 * in other states they are empty. `authorizedOperations` is left for the broker to fill in.
 */
export function handleDescribeGroups(
  rt: CoordinatorRuntime,
  req: DescribeGroupsRequest,
  _ctx: RequestContext,
): DescribeGroupsResponse {
  return { throttleTimeMs: 0, groups: req.groups.map((groupId) => describe(rt, groupId)) };
}

function describe(rt: CoordinatorRuntime, groupId: string): DescribeGroupsResponseDescribedGroup {
  const summary = (errorCode: number, groupState: string): DescribeGroupsResponseDescribedGroup => ({
    errorCode,
    groupId,
    groupState,
    protocolType: "",
    protocolData: "",
    members: [],
  });
  const status = rt.statusError(groupId);
  if (status !== ErrorCode.NONE) return summary(status, "");
  const group = rt.groups.get(groupId);
  if (group === undefined) return summary(ErrorCode.NONE, "Dead");
  const stable = group.is("Stable");
  const protocol = group.protocolName ?? "";
  return {
    errorCode: ErrorCode.NONE,
    groupId,
    groupState: group.state,
    protocolType: group.protocolType ?? "",
    protocolData: stable ? protocol : "",
    members: [...group.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      memberMetadata: stable ? (m.metadataFor(protocol) ?? NO_BYTES) : NO_BYTES,
      memberAssignment: stable ? m.assignment : NO_BYTES,
    })),
  };
}
