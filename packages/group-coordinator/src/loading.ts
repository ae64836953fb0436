import { prepareRebalance } from "./rebalance.js";
import { restoreGroup } from "./persisted.js";
import type { CoordinatorRuntime } from "./runtime.js";

/**
 * Loads the stored groups (those this coordinator owns): each comes back Stable with its members
 * and their session timers running, or Empty. Members that do not heartbeat within their session
 * timeout are then removed as usual. A group above the maximum size rebalances to shrink.
 */
export async function loadGroups(rt: CoordinatorRuntime): Promise<void> {
  const records = await rt.store.loadGroups();
  if (rt.status !== "loading") return;
  const owns = rt.config.isCoordinatorFor;
  for (const record of records) {
    if (owns !== undefined && !owns(record.groupId)) continue;
    const group = restoreGroup(record);
    rt.groups.set(group.groupId, group);
    for (const member of group.members.values()) rt.timers.resetSession(group, member);
  }
  rt.status = "active";
  rt.log.info({ groups: rt.groups.size }, "group coordinator loaded");
  for (const group of rt.groups.values()) {
    if (group.size > rt.config.maxGroupSize) prepareRebalance(rt, group, "group is above its maximum size");
  }
}
