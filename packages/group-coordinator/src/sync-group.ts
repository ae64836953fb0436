import { ErrorCode } from "@kafscale/protocol";
import type { SyncGroupRequest, SyncGroupRequestAssignment, SyncGroupResponse } from "@kafscale/protocol";
import type { RequestContext } from "./context.js";
import type { ClassicGroup } from "./group.js";
import { validateCurrentMember } from "./membership.js";
import { resetAndPropagateAssignmentError, setAndPropagateAssignment } from "./propagation.js";
import { maybePrepareRebalance } from "./rebalance.js";
import { resolveSync, syncError, syncSuccess } from "./responses.js";
import type { CoordinatorRuntime } from "./runtime.js";

const NO_BYTES = new Uint8Array(0);

/**
 * SyncGroup (Kafka's handleSyncGroup). In CompletingRebalance every member's SyncGroup waits;
 * the leader's carries the assignment, which is stored, then handed out (members it leaves out
 * get empty bytes) and the group becomes Stable. In Stable the member's assignment is answered
 * at once. Assignment bytes are passed through untouched.
 */
export function handleSyncGroup(rt: CoordinatorRuntime, req: SyncGroupRequest, ctx: RequestContext): Promise<SyncGroupResponse> {
  const answer = (code: number): Promise<SyncGroupResponse> => Promise.resolve(syncError(code));
  if (req.groupId === "") return answer(ErrorCode.INVALID_GROUP_ID);
  const status = rt.statusError(req.groupId);
  // While loading, the rebalance's state is lost: REBALANCE_IN_PROGRESS makes the member rejoin
  // (older clients do not know COORDINATOR_LOAD_IN_PROGRESS here).
  if (status === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS) return answer(ErrorCode.REBALANCE_IN_PROGRESS);
  if (status !== ErrorCode.NONE) return answer(status);
  const group = rt.groups.get(req.groupId);
  if (group === undefined) return answer(ErrorCode.UNKNOWN_MEMBER_ID);
  const error = validateSyncGroup(group, req, ctx.apiVersion);
  if (error !== ErrorCode.NONE) return answer(error);
  const member = group.members.get(req.memberId);
  if (member === undefined) return answer(ErrorCode.UNKNOWN_MEMBER_ID);
  switch (group.state) {
    case "Empty":
      return answer(ErrorCode.UNKNOWN_MEMBER_ID);
    case "PreparingRebalance":
      return answer(ErrorCode.REBALANCE_IN_PROGRESS);
    case "Dead":
      return answer(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    case "Stable":
      removePendingSyncMember(rt, group, member.memberId);
      rt.timers.resetSession(group, member);
      return Promise.resolve(syncSuccess(group, member.assignment));
    case "CompletingRebalance": {
      const promise = new Promise<SyncGroupResponse>((resolve) => {
        resolveSync(member, syncError(ErrorCode.REBALANCE_IN_PROGRESS));
        member.syncWaiter = { resolve };
      });
      removePendingSyncMember(rt, group, member.memberId);
      if (group.isLeader(member.memberId)) rt.background(group.groupId, storeAssignment(rt, group, req.assignments));
      return promise;
    }
  }
}

function validateSyncGroup(group: ClassicGroup, req: SyncGroupRequest, apiVersion: number): number {
  if (group.is("Dead")) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  const groupInstanceId = apiVersion >= 3 ? (req.groupInstanceId ?? null) : null;
  const memberError = validateCurrentMember(group, req.memberId, groupInstanceId);
  if (memberError !== ErrorCode.NONE) return memberError;
  if (req.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
  // v5+: the protocol type and name, when given, must be the group's.
  if (req.protocolType != null && req.protocolType !== group.protocolType) return ErrorCode.INCONSISTENT_GROUP_PROTOCOL;
  if (req.protocolName != null && req.protocolName !== group.protocolName) return ErrorCode.INCONSISTENT_GROUP_PROTOCOL;
  return ErrorCode.NONE;
}

function removePendingSyncMember(rt: CoordinatorRuntime, group: ClassicGroup, memberId: string): void {
  group.pendingSyncMembers.delete(memberId);
  if (group.pendingSyncMembers.size === 0) rt.timers.cancelSync(group);
}

/** Stores the leader's assignment, then hands it out; a store failure sends everyone back to JoinGroup. */
async function storeAssignment(
  rt: CoordinatorRuntime,
  group: ClassicGroup,
  given: readonly SyncGroupRequestAssignment[],
): Promise<void> {
  const generationId = group.generationId;
  const byMember = new Map<string, Uint8Array>();
  // Copies: decoded byte fields are views of the request frame, which must not be retained.
  for (const a of given) byMember.set(a.memberId, a.assignment.slice());
  const assignments = new Map<string, Uint8Array>();
  for (const memberId of group.members.keys()) assignments.set(memberId, byMember.get(memberId) ?? NO_BYTES);
  const code = await rt.persist(group, assignments);
  // A rebalance may have begun while the store worked; then there is nothing to hand out.
  if (!group.is("CompletingRebalance") || group.generationId !== generationId) return;
  if (code !== ErrorCode.NONE) {
    resetAndPropagateAssignmentError(rt, group, code);
    maybePrepareRebalance(rt, group, "storing the assignment failed");
    return;
  }
  setAndPropagateAssignment(rt, group, assignments);
  group.transitionTo("Stable");
  rt.log.info({ groupId: group.groupId, generationId }, "group is stable");
}
