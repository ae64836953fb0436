import { ErrorCode } from "@kafscale/protocol";
import type { ClassicGroup } from "./group.js";
import { resolveSync, syncError, syncSuccess } from "./responses.js";
import type { CoordinatorRuntime } from "./runtime.js";

const NO_BYTES = new Uint8Array(0);

/** Applies the leader's (stored) assignment and answers every parked SyncGroup with its part. */
export function setAndPropagateAssignment(
  rt: CoordinatorRuntime,
  group: ClassicGroup,
  assignments: ReadonlyMap<string, Uint8Array>,
): void {
  for (const member of group.members.values()) member.assignment = assignments.get(member.memberId) ?? NO_BYTES;
  propagate(rt, group, ErrorCode.NONE);
}

/** Clears the assignments and answers every parked SyncGroup with `errorCode`. */
export function resetAndPropagateAssignmentError(rt: CoordinatorRuntime, group: ClassicGroup, errorCode: number): void {
  for (const member of group.members.values()) member.assignment = NO_BYTES;
  propagate(rt, group, errorCode);
}

function propagate(rt: CoordinatorRuntime, group: ClassicGroup, errorCode: number): void {
  for (const member of group.members.values()) {
    const response = errorCode === ErrorCode.NONE ? syncSuccess(group, member.assignment) : syncError(errorCode);
    // A member's session restarts when it gets its answer: its timer may have been ignored
    // while it waited for the leader or the store.
    if (resolveSync(member, response)) rt.timers.resetSession(group, member);
  }
}
