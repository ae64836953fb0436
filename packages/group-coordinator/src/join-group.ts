import { ErrorCode } from "@kafscale/protocol";
import type { JoinGroupRequest, JoinGroupResponse } from "@kafscale/protocol";
import type { RequestContext } from "./context.js";
import type { ClassicGroup } from "./group.js";
import { answer, park } from "./join-params.js";
import type { JoinParams } from "./join-params.js";
import { GroupMember } from "./member.js";
import { forgetIfUnused, removeMemberAndUpdateGroup, validateCurrentMember } from "./membership.js";
import { maybePrepareRebalance, tryCompleteJoin } from "./rebalance.js";
import { joinError, joinSuccess, resolveJoin } from "./responses.js";
import type { CoordinatorRuntime } from "./runtime.js";
import { updateStaticMemberAndRebalance } from "./static-join.js";

/**
 * JoinGroup (Kafka's handleJoinGroup). The answer waits until the join phase ends, except for
 * errors, MEMBER_ID_REQUIRED (v4+ dynamic members first get an id and must join again with it)
 * and a follower rejoining a Stable or CompletingRebalance group with unchanged metadata.
 */
export function handleJoinGroup(rt: CoordinatorRuntime, req: JoinGroupRequest, ctx: RequestContext): Promise<JoinGroupResponse> {
  const v = ctx.apiVersion;
  if (req.groupId === "") return answer(joinError(v, req.memberId, ErrorCode.INVALID_GROUP_ID));
  const status = rt.statusError(req.groupId);
  if (status !== ErrorCode.NONE) return answer(joinError(v, req.memberId, status));
  const sessionTimeoutMs = req.sessionTimeoutMs;
  if (sessionTimeoutMs < rt.config.minSessionTimeoutMs || sessionTimeoutMs > rt.config.maxSessionTimeoutMs) {
    return answer(joinError(v, req.memberId, ErrorCode.INVALID_SESSION_TIMEOUT));
  }
  const requested = req.rebalanceTimeoutMs;
  const p: JoinParams = {
    apiVersion: v,
    memberId: req.memberId,
    groupInstanceId: v >= 5 ? (req.groupInstanceId ?? null) : null,
    clientId: ctx.clientId ?? "",
    clientHost: ctx.clientHost,
    sessionTimeoutMs,
    // v0 has no rebalance timeout: the session timeout serves as one.
    rebalanceTimeoutMs: v >= 1 && requested !== undefined && requested > 0 ? requested : sessionTimeoutMs,
    protocolType: req.protocolType,
    // Copies: decoded byte fields are views of the request frame, which must not be retained.
    protocols: req.protocols.map((proto) => ({ name: proto.name, metadata: proto.metadata.slice() })),
  };
  const isUnknownMember = p.memberId === "";
  let group = rt.groups.get(req.groupId);
  if (group === undefined) {
    if (!isUnknownMember) return answer(joinError(v, p.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    group = rt.getOrCreateGroup(req.groupId);
  }
  if (!acceptJoiningMember(rt, group, p.memberId)) {
    const existing = group.members.get(p.memberId);
    if (existing !== undefined) removeMemberAndUpdateGroup(rt, group, existing, "group is at its maximum size");
    return answer(joinError(v, "", ErrorCode.GROUP_MAX_SIZE_REACHED));
  }
  const response = isUnknownMember ? joinNewMember(rt, group, p) : joinCurrentMember(rt, group, p);
  if (group.is("PreparingRebalance")) tryCompleteJoin(rt, group);
  forgetIfUnused(rt, group);
  return response;
}

/** Kafka's acceptJoiningMember: the max group size applies to members (re)joining a rebalance. */
function acceptJoiningMember(rt: CoordinatorRuntime, group: ClassicGroup, memberId: string): boolean {
  const max = rt.config.maxGroupSize;
  switch (group.state) {
    case "Empty":
    case "Dead":
      return true;
    case "PreparingRebalance":
      return group.members.get(memberId)?.isAwaitingJoin === true || group.numAwaitingJoin() < max;
    case "CompletingRebalance":
    case "Stable":
      return group.has(memberId) || group.size < max;
  }
}

function joinNewMember(rt: CoordinatorRuntime, group: ClassicGroup, p: JoinParams): Promise<JoinGroupResponse> {
  const v = p.apiVersion;
  if (group.is("Dead")) return answer(joinError(v, "", ErrorCode.COORDINATOR_NOT_AVAILABLE));
  if (!group.supportsProtocols(p.protocolType, p.protocols.map((proto) => proto.name))) {
    return answer(joinError(v, "", ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
  }
  const newMemberId = rt.newMemberId(p.groupInstanceId ?? p.clientId);
  if (p.groupInstanceId !== null) {
    const oldMemberId = group.currentStaticMemberId(p.groupInstanceId);
    if (oldMemberId !== undefined) {
      return updateStaticMemberAndRebalance(rt, group, p.groupInstanceId, oldMemberId, newMemberId, p);
    }
    return addMemberAndRebalance(rt, group, newMemberId, p);
  }
  if (v >= 4) {
    group.pendingMembers.add(newMemberId);
    rt.timers.startPending(group, newMemberId, p.sessionTimeoutMs);
    return answer(joinError(v, newMemberId, ErrorCode.MEMBER_ID_REQUIRED));
  }
  return addMemberAndRebalance(rt, group, newMemberId, p);
}

function joinCurrentMember(rt: CoordinatorRuntime, group: ClassicGroup, p: JoinParams): Promise<JoinGroupResponse> {
  const v = p.apiVersion;
  if (group.is("Dead")) return answer(joinError(v, p.memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE));
  if (!group.supportsProtocols(p.protocolType, p.protocols.map((proto) => proto.name))) {
    return answer(joinError(v, p.memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
  }
  if (group.pendingMembers.has(p.memberId)) {
    // Pending ids are handed to dynamic members only; a static one must join as new.
    if (p.groupInstanceId !== null) return answer(joinError(v, "", ErrorCode.UNKNOWN_MEMBER_ID));
    return addMemberAndRebalance(rt, group, p.memberId, p);
  }
  const error = validateCurrentMember(group, p.memberId, p.groupInstanceId);
  const member = group.members.get(p.memberId);
  if (error !== ErrorCode.NONE || member === undefined) {
    return answer(joinError(v, p.memberId, error === ErrorCode.NONE ? ErrorCode.UNKNOWN_MEMBER_ID : error));
  }
  switch (group.state) {
    case "PreparingRebalance":
      return updateMemberAndRebalance(rt, group, member, p, `member ${member.memberId} rejoined during a rebalance`);
    case "CompletingRebalance":
      if (member.matches(p.protocols)) {
        // Probably a retry of a JoinGroup whose answer was lost: answer with the current generation.
        return answer(joinSuccess(v, group, member, { withMembers: group.isLeader(member.memberId) }));
      }
      return updateMemberAndRebalance(rt, group, member, p, `member ${member.memberId} changed its metadata`);
    case "Stable":
      if (group.isLeader(member.memberId)) {
        // A rejoining leader asks for a rebalance (e.g. topic metadata changed).
        return updateMemberAndRebalance(rt, group, member, p, `leader ${member.memberId} rejoined`);
      }
      if (!member.matches(p.protocols)) {
        return updateMemberAndRebalance(rt, group, member, p, `member ${member.memberId} changed its metadata`);
      }
      return answer(joinSuccess(v, group, member, { withMembers: false }));
    case "Empty":
    case "Dead":
      return answer(joinError(v, p.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
  }
}

function addMemberAndRebalance(
  rt: CoordinatorRuntime,
  group: ClassicGroup,
  memberId: string,
  p: JoinParams,
): Promise<JoinGroupResponse> {
  const member = new GroupMember({ ...p, memberId });
  member.isNew = true;
  if (group.is("PreparingRebalance") && group.generationId === 0) group.newMemberAdded = true;
  const { promise, waiter } = park(p.apiVersion);
  member.joinWaiter = waiter;
  group.add(member);
  rt.timers.cancelPending(group, memberId);
  // A new member cannot heartbeat while its JoinGroup waits: it gets a longer deadline instead.
  rt.timers.resetSession(group, member, rt.config.newMemberJoinTimeoutMs);
  maybePrepareRebalance(rt, group, `new member ${memberId} joined`);
  return promise;
}

function updateMemberAndRebalance(
  rt: CoordinatorRuntime,
  group: ClassicGroup,
  member: GroupMember,
  p: JoinParams,
  reason: string,
): Promise<JoinGroupResponse> {
  const { promise, waiter } = park(p.apiVersion);
  // A JoinGroup the member sent before (on a connection it gave up) is answered, not leaked.
  resolveJoin(member, (v) => joinError(v, member.memberId, ErrorCode.REBALANCE_IN_PROGRESS));
  group.updateMember(member, p.protocols, p.rebalanceTimeoutMs, p.sessionTimeoutMs);
  member.joinWaiter = waiter;
  maybePrepareRebalance(rt, group, reason);
  return promise;
}
