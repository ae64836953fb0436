import { ErrorCode } from "@kafscale/protocol";
import type { DeleteGroupsRequest, DeleteGroupsResponse, DeleteGroupsResponseDeletableGroupResult } from "@kafscale/protocol";
import type { RequestContext } from "./context.js";
import type { CoordinatorRuntime } from "./runtime.js";

/**
 * DeleteGroups (Kafka's handleDeleteGroups): an empty group is deleted with its committed
 * offsets; a group with members answers NON_EMPTY_GROUP, an unknown one GROUP_ID_NOT_FOUND.
 * While the store deletes, the group is Dead (its requests get COORDINATOR_NOT_AVAILABLE); if the
 * store fails, the group is Empty again and the answer is the store error.
 */
export async function handleDeleteGroups(
  rt: CoordinatorRuntime,
  req: DeleteGroupsRequest,
  _ctx: RequestContext,
): Promise<DeleteGroupsResponse> {
  const results = await Promise.all(req.groupsNames.map((groupId) => deleteGroup(rt, groupId)));
  return { throttleTimeMs: 0, results };
}

async function deleteGroup(rt: CoordinatorRuntime, groupId: string): Promise<DeleteGroupsResponseDeletableGroupResult> {
  const result = (errorCode: number): DeleteGroupsResponseDeletableGroupResult => ({ groupId, errorCode });
  const status = rt.statusError(groupId);
  if (status !== ErrorCode.NONE) return result(status);
  const group = rt.groups.get(groupId);
  if (group === undefined || group.is("Dead")) return result(ErrorCode.GROUP_ID_NOT_FOUND);
  if (!group.is("Empty")) return result(ErrorCode.NON_EMPTY_GROUP);
  group.transitionTo("Dead");
  rt.timers.cancelAll(group);
  group.pendingMembers.clear();
  try {
    await rt.enqueue(group, () => rt.store.deleteGroup(groupId));
  } catch (err) {
    const code = rt.storeError(err, groupId, "deleteGroup");
    group.state = "Empty";
    return result(code);
  }
  if (rt.groups.get(groupId) === group) rt.groups.delete(groupId);
  rt.log.info({ groupId }, "deleted group");
  return result(ErrorCode.NONE);
}
