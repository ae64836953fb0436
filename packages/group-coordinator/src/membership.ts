import { ErrorCode } from "@kafscale/protocol";
import type { ClassicGroup } from "./group.js";
import type { GroupMember } from "./member.js";
import { maybePrepareRebalance, prepareRebalance, tryCompleteJoin } from "./rebalance.js";
import { joinError, resolveJoin, resolveSync, syncError } from "./responses.js";
import type { CoordinatorRuntime } from "./runtime.js";

/**
 * Members leaving: explicitly, by session expiry, by missing SyncGroup, or by being replaced
 * (static members); and the member checks every member request goes through.
 */

/**
 * Kafka's validateCurrentMember: with a group instance id, it must map to `memberId`
 * (FENCED_INSTANCE_ID when it maps to another id, UNKNOWN_MEMBER_ID when it maps to none);
 * without one, `memberId` must be a member (UNKNOWN_MEMBER_ID). Returns NONE when valid.
 */
export function validateCurrentMember(group: ClassicGroup, memberId: string, groupInstanceId: string | null): number {
  if (groupInstanceId !== null) {
    const current = group.currentStaticMemberId(groupInstanceId);
    if (current === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (current !== memberId) return ErrorCode.FENCED_INSTANCE_ID;
    return ErrorCode.NONE;
  }
  return group.has(memberId) ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
}

/** Removes a member; its parked requests get UNKNOWN_MEMBER_ID and the group rebalances. */
export function removeMemberAndUpdateGroup(
  rt: CoordinatorRuntime,
  group: ClassicGroup,
  member: GroupMember,
  reason: string,
): void {
  resolveJoin(member, (v) => joinError(v, "", ErrorCode.UNKNOWN_MEMBER_ID));
  resolveSync(member, syncError(ErrorCode.UNKNOWN_MEMBER_ID));
  group.remove(member.memberId);
  rt.timers.cancelSession(member);
  rt.log.info({ groupId: group.groupId, memberId: member.memberId, reason }, "removed member from group");
  switch (group.state) {
    case "Stable":
    case "CompletingRebalance":
      maybePrepareRebalance(rt, group, reason);
      break;
    case "PreparingRebalance":
      tryCompleteJoin(rt, group);
      break;
    case "Empty":
    case "Dead":
      break;
  }
}

/** Forgets a member id handed out with MEMBER_ID_REQUIRED. */
export function removePendingMember(rt: CoordinatorRuntime, group: ClassicGroup, memberId: string): void {
  group.remove(memberId);
  rt.timers.cancelPending(group, memberId);
  if (group.is("PreparingRebalance")) tryCompleteJoin(rt, group);
  forgetIfUnused(rt, group);
}

/**
 * Drops a group that exists only in memory and holds nothing: created by a JoinGroup that was
 * refused or whose MEMBER_ID_REQUIRED id was never used. Stored groups stay until deleted.
 */
export function forgetIfUnused(rt: CoordinatorRuntime, group: ClassicGroup): void {
  const unused = group.size === 0 && group.pendingMembers.size === 0 && group.writesInFlight === 0;
  if (group.is("Empty") && !group.stored && unused) {
    if (rt.groups.get(group.groupId) === group) rt.groups.delete(group.groupId);
  }
}

/**
 * A member's session timer fired. A new member whose JoinGroup waited too long is dropped; a
 * member with a parked JoinGroup or SyncGroup is alive by definition and its timer restarts;
 * any other member missed its heartbeats and is dropped.
 */
export function expireMember(rt: CoordinatorRuntime, group: ClassicGroup, member: GroupMember): void {
  if (group.is("Dead") || group.members.get(member.memberId) !== member) return;
  if (!member.isNew && (member.isAwaitingJoin || member.isAwaitingSync)) {
    rt.timers.resetSession(group, member);
    return;
  }
  removeMemberAndUpdateGroup(rt, group, member, member.isNew ? "join timeout of new member" : "session timeout");
}

/** A MEMBER_ID_REQUIRED member id was not used in time. */
export function expirePendingMember(rt: CoordinatorRuntime, group: ClassicGroup, memberId: string): void {
  if (group.is("Dead") || !group.pendingMembers.has(memberId)) return;
  rt.log.info({ groupId: group.groupId, memberId }, "pending member expired");
  removePendingMember(rt, group, memberId);
}

/** The rebalance timeout for SyncGroup elapsed: members that did not send it are dropped. */
export function expirePendingSync(rt: CoordinatorRuntime, group: ClassicGroup, generationId: number): void {
  if (generationId !== group.generationId) return;
  if (!group.is("CompletingRebalance") && !group.is("Stable")) return;
  if (group.pendingSyncMembers.size === 0) return;
  const missing = [...group.pendingSyncMembers];
  for (const memberId of missing) {
    const member = group.remove(memberId);
    if (member === undefined) continue;
    resolveJoin(member, (v) => joinError(v, "", ErrorCode.UNKNOWN_MEMBER_ID));
    resolveSync(member, syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    rt.timers.cancelSession(member);
  }
  rt.log.info({ groupId: group.groupId, members: missing }, "removed members that did not send SyncGroup in time");
  prepareRebalance(rt, group, "members did not send SyncGroup in time");
}

/** Gives a static member a new member id; the old id's parked requests get FENCED_INSTANCE_ID. */
export function replaceStaticMember(
  group: ClassicGroup,
  groupInstanceId: string,
  oldMemberId: string,
  newMemberId: string,
): GroupMember {
  const member = group.replaceStaticMember(groupInstanceId, oldMemberId, newMemberId);
  resolveJoin(member, (v) => joinError(v, oldMemberId, ErrorCode.FENCED_INSTANCE_ID));
  resolveSync(member, syncError(ErrorCode.FENCED_INSTANCE_ID));
  return member;
}
