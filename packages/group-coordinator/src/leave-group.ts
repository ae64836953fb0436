import { ErrorCode } from "@kafscale/protocol";
import type { LeaveGroupRequest, LeaveGroupResponse, LeaveGroupResponseMemberResponse } from "@kafscale/protocol";
import type { RequestContext } from "./context.js";
import type { ClassicGroup } from "./group.js";
import { removeMemberAndUpdateGroup, removePendingMember, validateCurrentMember } from "./membership.js";
import type { CoordinatorRuntime } from "./runtime.js";

interface Leaving {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly reason: string | null;
}

/**
 * LeaveGroup (Kafka's handleLeaveGroup): removes members, which makes the group rebalance.
 * v0-2 name one member and carry its error at the top level; v3+ name several, each with its
 * own error, and may name a static member by group instance id alone (member id "").
 */
export function handleLeaveGroup(rt: CoordinatorRuntime, req: LeaveGroupRequest, ctx: RequestContext): LeaveGroupResponse {
  const v = ctx.apiVersion;
  const leaving: Leaving[] =
    v >= 3
      ? (req.members ?? []).map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, reason: m.reason ?? null }))
      : [{ memberId: req.memberId ?? "", groupInstanceId: null, reason: null }];
  const { errorCode, members } = leave(rt, req.groupId, leaving);
  if (v >= 3) return { throttleTimeMs: 0, errorCode, members };
  const memberError = members.find((m) => m.errorCode !== ErrorCode.NONE)?.errorCode ?? ErrorCode.NONE;
  return { throttleTimeMs: 0, errorCode: errorCode !== ErrorCode.NONE ? errorCode : memberError };
}

function leave(
  rt: CoordinatorRuntime,
  groupId: string,
  leaving: readonly Leaving[],
): { errorCode: number; members: LeaveGroupResponseMemberResponse[] } {
  const result = (m: Leaving, errorCode: number): LeaveGroupResponseMemberResponse => ({
    memberId: m.memberId,
    groupInstanceId: m.groupInstanceId,
    errorCode,
  });
  if (groupId === "") return { errorCode: ErrorCode.INVALID_GROUP_ID, members: [] };
  const status = rt.statusError(groupId);
  if (status !== ErrorCode.NONE) return { errorCode: status, members: [] };
  const group = rt.groups.get(groupId);
  if (group === undefined) {
    return { errorCode: ErrorCode.NONE, members: leaving.map((m) => result(m, ErrorCode.UNKNOWN_MEMBER_ID)) };
  }
  if (group.is("Dead")) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] };
  return { errorCode: ErrorCode.NONE, members: leaving.map((m) => result(m, leaveOne(rt, group, m))) };
}

function leaveOne(rt: CoordinatorRuntime, group: ClassicGroup, m: Leaving): number {
  const why = `LeaveGroup${m.reason === null ? "" : `: ${m.reason}`}`;
  if (m.memberId === "") {
    // Administrative removal of a static member by its instance id.
    const currentId = m.groupInstanceId === null ? undefined : group.currentStaticMemberId(m.groupInstanceId);
    const member = currentId === undefined ? undefined : group.members.get(currentId);
    if (member === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    removeMemberAndUpdateGroup(rt, group, member, why);
    return ErrorCode.NONE;
  }
  if (group.pendingMembers.has(m.memberId)) {
    removePendingMember(rt, group, m.memberId);
    return ErrorCode.NONE;
  }
  const error = validateCurrentMember(group, m.memberId, m.groupInstanceId);
  if (error !== ErrorCode.NONE) return error;
  const member = group.members.get(m.memberId);
  if (member === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
  removeMemberAndUpdateGroup(rt, group, member, why);
  return ErrorCode.NONE;
}
