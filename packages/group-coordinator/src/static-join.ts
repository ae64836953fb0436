import { ErrorCode } from "@kafscale/protocol";
import type { JoinGroupResponse } from "@kafscale/protocol";
import type { ClassicGroup } from "./group.js";
import { park } from "./join-params.js";
import type { JoinParams } from "./join-params.js";
import type { GroupMember, JoinWaiter } from "./member.js";
import { replaceStaticMember } from "./membership.js";
import { maybePrepareRebalance, prepareRebalance } from "./rebalance.js";
import { joinError, joinSuccess, resolveJoin } from "./responses.js";
import type { CoordinatorRuntime } from "./runtime.js";

/**
 * A static member rejoined with no member id: it takes over the old member's place under a new
 * id, and the old id is fenced. In a Stable group whose selected protocol stays the same there
 * is no rebalance: the group is stored and the member gets the current generation.
 */
export function updateStaticMemberAndRebalance(
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
        const revert = (): void => {
          group.updateMember(member, previous.protocols, previous.rebalanceTimeoutMs, previous.sessionTimeoutMs);
          member.clientId = previous.clientId;
          member.clientHost = previous.clientHost;
          group.replaceStaticMember(groupInstanceId, newMemberId, oldMemberId);
          rt.timers.resetSession(group, member);
        };
        rt.background(group.groupId, storeReplacement(rt, group, member, waiter, currentLeader, revert));
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
