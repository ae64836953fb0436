import { ErrorCode } from "@kafscale/protocol";
import type { JoinGroupResponse, SyncGroupResponse } from "@kafscale/protocol";
import type { ClassicGroup } from "./group.js";
import type { GroupMember } from "./member.js";

const NO_BYTES = new Uint8Array(0);

/** A JoinGroup error answer; `memberId` is the id the client should use next ("" for none). */
export function joinError(apiVersion: number, memberId: string, errorCode: number): JoinGroupResponse {
  return {
    throttleTimeMs: 0,
    errorCode,
    generationId: -1,
    protocolType: null,
    // ProtocolName is nullable from v7 only.
    protocolName: apiVersion >= 7 ? null : "",
    leader: "",
    skipAssignment: false,
    memberId,
    members: [],
  };
}

/** What a successful JoinGroup answer carries beyond the group's generation and protocol. */
export interface JoinAnswer {
  /** The member list (only the leader gets it). */
  readonly withMembers: boolean;
  /** Default: the group's leader. */
  readonly leaderId?: string;
  readonly skipAssignment?: boolean;
}

/** A successful JoinGroup answer for `member` in the group's current generation. */
export function joinSuccess(
  apiVersion: number,
  group: ClassicGroup,
  member: GroupMember,
  answer: JoinAnswer,
): JoinGroupResponse {
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    generationId: group.generationId,
    protocolType: group.protocolType,
    protocolName: group.protocolName ?? (apiVersion >= 7 ? null : ""),
    leader: answer.leaderId ?? group.leaderId ?? "",
    skipAssignment: answer.skipAssignment ?? false,
    memberId: member.memberId,
    members: answer.withMembers ? group.currentMemberMetadata() : [],
  };
}

/** Answers the member's parked JoinGroup, if any; returns whether there was one. */
export function resolveJoin(member: GroupMember, build: (apiVersion: number) => JoinGroupResponse): boolean {
  const waiter = member.joinWaiter;
  if (waiter === null) return false;
  member.joinWaiter = null;
  waiter.resolve(build(waiter.apiVersion));
  return true;
}

/** A SyncGroup error answer. */
export function syncError(errorCode: number): SyncGroupResponse {
  return { throttleTimeMs: 0, errorCode, protocolType: null, protocolName: null, assignment: NO_BYTES };
}

/** A successful SyncGroup answer carrying `assignment`. */
export function syncSuccess(group: ClassicGroup, assignment: Uint8Array): SyncGroupResponse {
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    protocolType: group.protocolType,
    protocolName: group.protocolName,
    assignment,
  };
}

/** Answers the member's parked SyncGroup, if any; returns whether there was one. */
export function resolveSync(member: GroupMember, response: SyncGroupResponse): boolean {
  const waiter = member.syncWaiter;
  if (waiter === null) return false;
  member.syncWaiter = null;
  waiter.resolve(response);
  return true;
}
