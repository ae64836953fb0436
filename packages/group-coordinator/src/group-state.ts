/**
 * The states of a classic group, named as Kafka names them in DescribeGroups and ListGroups.
 *
 * - `Empty`: no members; committed offsets may exist.
 * - `PreparingRebalance`: waiting for members to (re)join.
 * - `CompletingRebalance`: every member joined; waiting for the leader's SyncGroup.
 * - `Stable`: members have their assignments.
 * - `Dead`: being deleted; requests for it are answered COORDINATOR_NOT_AVAILABLE.
 */
export type GroupState = "Empty" | "PreparingRebalance" | "CompletingRebalance" | "Stable" | "Dead";

/** Every state, in Kafka's order. */
export const GROUP_STATES: readonly GroupState[] = [
  "Empty",
  "PreparingRebalance",
  "CompletingRebalance",
  "Stable",
  "Dead",
];

/** The states each state may be entered from (Kafka's `validPreviousStates`). */
const VALID_PREVIOUS: Readonly<Record<GroupState, readonly GroupState[]>> = {
  Empty: ["PreparingRebalance"],
  PreparingRebalance: ["Stable", "CompletingRebalance", "Empty"],
  CompletingRebalance: ["PreparingRebalance"],
  Stable: ["CompletingRebalance"],
  Dead: ["Empty", "PreparingRebalance", "CompletingRebalance", "Stable", "Dead"],
};

/** Whether a group in `from` may move to `to`. */
export function isValidTransition(from: GroupState, to: GroupState): boolean {
  return VALID_PREVIOUS[to].includes(from);
}
