import { ErrorCode } from "@kafscale/protocol";
import type { ClassicGroup } from "./group.js";
import { resetAndPropagateAssignmentError } from "./propagation.js";
import { joinSuccess, resolveJoin } from "./responses.js";
import type { CoordinatorRuntime } from "./runtime.js";

/**
 * The join phase of a rebalance (Kafka's prepareRebalance, DelayedJoin, InitialDelayedJoin and
 * onCompleteJoin).
 *
 * A rebalance of a non-empty group ends when every member has rejoined and no MEMBER_ID_REQUIRED
 * answer is outstanding, or when the rebalance timeout (the members' largest) elapses; members
 * that did not rejoin are then dropped (static members stay until their session expires). The
 * first rebalance of an empty group waits `initialRebalanceDelayMs` instead, and again while new
 * members keep arriving, up to the rebalance timeout.
 */

/** Starts a rebalance if the group's state allows one. */
export function maybePrepareRebalance(rt: CoordinatorRuntime, group: ClassicGroup, reason: string): void {
  if (group.canRebalance()) prepareRebalance(rt, group, reason);
}

/** Starts a rebalance: parked SyncGroups are told REBALANCE_IN_PROGRESS, the join phase begins. */
export function prepareRebalance(rt: CoordinatorRuntime, group: ClassicGroup, reason: string): void {
  if (group.is("CompletingRebalance")) {
    resetAndPropagateAssignmentError(rt, group, ErrorCode.REBALANCE_IN_PROGRESS);
  }
  rt.timers.cancelSync(group);
  const wasEmpty = group.is("Empty");
  group.transitionTo("PreparingRebalance");
  rt.log.info(
    { groupId: group.groupId, generationId: group.generationId, reason },
    "preparing to rebalance group",
  );
  if (wasEmpty) {
    const delay = rt.config.initialRebalanceDelayMs;
    startInitialDelayedJoin(rt, group, delay, Math.max(group.rebalanceTimeoutMs() - delay, 0));
  } else {
    startDelayedJoin(rt, group);
  }
}

/** Ends the join phase now if it is a regular one and every member has rejoined. */
export function tryCompleteJoin(rt: CoordinatorRuntime, group: ClassicGroup): void {
  if (group.is("PreparingRebalance") && group.initialDelay === null && group.hasAllMembersJoined()) {
    completeJoin(rt, group);
  }
}

/** The join phase's timer fired. */
export function onJoinTimer(rt: CoordinatorRuntime, group: ClassicGroup): void {
  if (!group.is("PreparingRebalance")) return;
  const initial = group.initialDelay;
  if (initial !== null && group.newMemberAdded && initial.remainingMs !== 0) {
    const delay = rt.config.initialRebalanceDelayMs;
    group.newMemberAdded = false;
    startInitialDelayedJoin(rt, group, Math.min(delay, initial.remainingMs), Math.max(initial.remainingMs - delay, 0));
    return;
  }
  completeJoin(rt, group);
}

function startInitialDelayedJoin(rt: CoordinatorRuntime, group: ClassicGroup, delayMs: number, remainingMs: number): void {
  group.initialDelay = { remainingMs };
  rt.timers.startJoin(group, delayMs);
}

function startDelayedJoin(rt: CoordinatorRuntime, group: ClassicGroup): void {
  group.initialDelay = null;
  rt.timers.startJoin(group, group.rebalanceTimeoutMs());
  tryCompleteJoin(rt, group);
}

/**
 * Ends the join phase: drops dynamic members that did not rejoin, then starts the next
 * generation and answers every parked JoinGroup (the leader gets the member list), or stores the
 * group as Empty when no member is left.
 */
export function completeJoin(rt: CoordinatorRuntime, group: ClassicGroup): void {
  rt.timers.cancelJoin(group);
  group.initialDelay = null;
  for (const member of group.notYetRejoinedMembers()) {
    if (member.isStatic) continue;
    group.remove(member.memberId);
    rt.timers.cancelSession(member);
    rt.log.info({ groupId: group.groupId, memberId: member.memberId }, "removed member that did not rejoin in time");
  }
  if (group.is("Dead")) return;
  if (!group.maybeElectNewJoinedLeader() && group.size > 0) {
    // Only static members that have not rejoined are left: wait for them (or their sessions) again.
    rt.log.warn({ groupId: group.groupId }, "rebalance cannot complete: no member rejoined");
    startDelayedJoin(rt, group);
    return;
  }
  group.initNextGeneration();
  if (group.is("Empty")) {
    rt.log.info({ groupId: group.groupId, generationId: group.generationId }, "group is now empty");
    // Nobody waits for this write; a failure is logged by persist.
    void rt.persist(group);
    return;
  }
  rt.log.info(
    { groupId: group.groupId, generationId: group.generationId, members: group.size, protocol: group.protocolName },
    "group completed its join phase",
  );
  for (const member of group.members.values()) {
    resolveJoin(member, (v) => joinSuccess(v, group, member, { withMembers: group.isLeader(member.memberId) }));
    rt.timers.resetSession(group, member);
    member.isNew = false;
    group.pendingSyncMembers.add(member.memberId);
  }
  rt.timers.startSync(group, group.rebalanceTimeoutMs());
}
