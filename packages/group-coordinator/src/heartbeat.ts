import { ErrorCode } from "@kafscale/protocol";
import type { HeartbeatRequest, HeartbeatResponse } from "@kafscale/protocol";
import type { RequestContext } from "./context.js";
import { validateCurrentMember } from "./membership.js";
import type { CoordinatorRuntime } from "./runtime.js";

/**
 * Heartbeat (Kafka's handleHeartbeat): restarts the member's session timer. Answers NONE in
 * Stable and CompletingRebalance, REBALANCE_IN_PROGRESS while the group rebalances (the member
 * must rejoin), ILLEGAL_GENERATION for another generation, UNKNOWN_MEMBER_ID or
 * FENCED_INSTANCE_ID for members that are not (or no longer) in the group. While the coordinator
 * loads, heartbeats are answered NONE blindly, as Kafka does.
 */
export function handleHeartbeat(rt: CoordinatorRuntime, req: HeartbeatRequest, ctx: RequestContext): HeartbeatResponse {
  return { throttleTimeMs: 0, errorCode: heartbeat(rt, req, ctx.apiVersion) };
}

function heartbeat(rt: CoordinatorRuntime, req: HeartbeatRequest, apiVersion: number): number {
  if (req.groupId === "") return ErrorCode.INVALID_GROUP_ID;
  const status = rt.statusError(req.groupId);
  if (status === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS) return ErrorCode.NONE;
  if (status !== ErrorCode.NONE) return status;
  const group = rt.groups.get(req.groupId);
  if (group === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
  if (group.is("Dead")) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  const groupInstanceId = apiVersion >= 3 ? (req.groupInstanceId ?? null) : null;
  const memberError = validateCurrentMember(group, req.memberId, groupInstanceId);
  if (memberError !== ErrorCode.NONE) return memberError;
  if (req.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
  const member = group.members.get(req.memberId);
  if (member === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
  switch (group.state) {
    case "Empty":
    case "Dead":
      return ErrorCode.UNKNOWN_MEMBER_ID;
    case "PreparingRebalance":
      rt.timers.resetSession(group, member);
      return ErrorCode.REBALANCE_IN_PROGRESS;
    case "CompletingRebalance":
    case "Stable":
      rt.timers.resetSession(group, member);
      return ErrorCode.NONE;
  }
}
