import { ErrorCode } from "@kafscale/protocol";
import type { JoinGroupRequest, JoinGroupResponse } from "@kafscale/protocol";
import type { RequestContext } from "./context.js";
import type { ClassicGroup } from "./group.js";
import { GroupMember } from "./member.js";
import type { JoinWaiter, MemberProtocol } from "./member.js";
import { removeMemberAndUpdateGroup, replaceStaticMember, validateCurrentMember } from "./membership.js";
import { maybePrepareRebalance, prepareRebalance, tryCompleteJoin } from "./rebalance.js";
import { joinError, joinSuccess, resolveJoin } from "./responses.js";
import type { CoordinatorRuntime } from "./runtime.js";

/** A JoinGroup request, normalized across versions. */
interface JoinParams {
  readonly apiVersion: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly protocolType: string;
  readonly protocols: readonly MemberProtocol[];
}

const answer = (response: JoinGroupResponse): Promise<JoinGroupResponse> => Promise.resolve(response);

function park(apiVersion: number): { promise: Promise<JoinGroupResponse>; waiter: JoinWaiter } {
  let resolve: (response: JoinGroupResponse) => void = () => {};
  const promise = new Promise<JoinGroupResponse>((r) => {
    resolve = r;
  });
  return { promise, waiter: { apiVersion, resolve } };
}

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
    clientId: ctx.clientId,
    clientHost: ctx.clientHost,
    sessionTimeoutMs,
    // v0 has no rebalance timeout: the session timeout serves as one.
    rebalanceTimeoutMs: v >= 1 && requested !== undefined && requested > 0 ? requested : sessionTimeoutMs,
    protocolType: req.protocolType,
    protocols: req.protocols.map((proto) => ({ name: proto.name, metadata: proto.metadata })),
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

/**
 * A static member rejoined with no member id: it takes over the old member's place under a new
 * id, and the old id is fenced. In a Stable group whose selected protocol stays the same there
 * is no rebalance: the group is stored and the member gets the current generation.
 */
function updateStaticMemberAndRebalance(
  rt: CoordinatorRuntime,
  group: ClassicGroup,
  groupInstanceId: string,
  oldMemberId: string,
  newMemberId: string,
  p: JoinParams,
): Promise<JoinGroupResponse> {
  const currentLeader = group.leaderId ?? "";
  const member = replaceStaticMember(group, groupInstanceId, oldMemberId, newMemberId);
  rt.timers.resetSession(group, member);
  const previous = {
    protocols: member.protocols,
    rebalanceTimeoutMs: member.rebalanceTimeoutMs,
    sessionTimeoutMs: member.sessionTimeoutMs,
    clientId: member.clientId,
    clientHost: member.clientHost,
  };
  const { promise, waiter } = park(p.apiVersion);
  group.updateMember(member, p.protocols, p.rebalanceTimeoutMs, p.sessionTimeoutMs);
  member.clientId = p.clientId;
  member.clientHost = p.clientHost;
  member.joinWaiter = waiter;
  const reason = `static member ${groupInstanceId} rejoined as ${newMemberId}`;
  switch (group.state) {
    case "Stable":
      if (group.selectProtocol() === group.protocolName) {
        void storeReplacement(rt, group, member, waiter, currentLeader, () => {
          group.updateMember(member, previous.protocols, previous.rebalanceTimeoutMs, previous.sessionTimeoutMs);
          member.clientId = previous.clientId;
          member.clientHost = previous.clientHost;
          group.replaceStaticMember(groupInstanceId, newMemberId, oldMemberId);
          rt.timers.resetSession(group, member);
        });
      } else {
        maybePrepareRebalance(rt, group, `${reason} with a change of protocol`);
      }
      break;
    case "CompletingRebalance":
      // The leader may be assigning to the old member id: start over.
      prepareRebalance(rt, group, reason);
      break;
    case "PreparingRebalance":
      break;
    case "Empty":
    case "Dead":
      resolveJoin(member, (v) => joinError(v, "", ErrorCode.UNKNOWN_MEMBER_ID));
      break;
  }
  return promise;
}

async function storeReplacement(
  rt: CoordinatorRuntime,
  group: ClassicGroup,
  member: GroupMember,
  waiter: JoinWaiter,
  currentLeader: string,
  revert: () => void,
): Promise<void> {
  const code = await rt.persist(group);
  // Answered meanwhile (a rebalance began, or this instance was replaced again).
  if (member.joinWaiter !== waiter) return;
  member.joinWaiter = null;
  const v = waiter.apiVersion;
  if (code !== ErrorCode.NONE) {
    if (group.members.get(member.memberId) === member) revert();
    waiter.resolve({
      ...joinError(v, "", code),
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName ?? (v >= 7 ? null : ""),
      leader: currentLeader,
    });
    return;
  }
  if (v >= 9) {
    // v9+: a static leader learns it leads but keeps the current assignment (SkipAssignment).
    const isLeader = group.isLeader(member.memberId);
    waiter.resolve(joinSuccess(v, group, member, { withMembers: isLeader, skipAssignment: isLeader }));
  } else {
    // Before v9 the old leader id is returned, so the member does not run an assignment that a
    // Stable group would ignore.
    waiter.resolve(joinSuccess(v, group, member, { withMembers: false, leaderId: currentLeader }));
  }
}
