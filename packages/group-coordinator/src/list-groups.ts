import { ErrorCode } from "@kafscale/protocol";
import type { ListGroupsRequest, ListGroupsResponse } from "@kafscale/protocol";
import type { RequestContext } from "./context.js";
import type { CoordinatorRuntime } from "./runtime.js";

/** The group type of every group this coordinator runs (ListGroups v5 `GroupType`). */
export const CLASSIC_GROUP_TYPE = "classic";

/**
 * ListGroups (Kafka's handleListGroups): the groups this coordinator runs, sorted by id.
 * v4+ filter by state and v5+ by type, both case-insensitively; an empty filter keeps all.
 * Dead groups (being deleted) are listed only when asked for by state.
 */
export function handleListGroups(rt: CoordinatorRuntime, req: ListGroupsRequest, ctx: RequestContext): ListGroupsResponse {
  const v = ctx.apiVersion;
  if (rt.status === "closed") return { throttleTimeMs: 0, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, groups: [] };
  if (rt.status === "loading") return { throttleTimeMs: 0, errorCode: ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, groups: [] };
  const states = new Set((v >= 4 ? (req.statesFilter ?? []) : []).map((s) => s.toLowerCase()));
  const types = (v >= 5 ? (req.typesFilter ?? []) : []).map((t) => t.toLowerCase());
  if (types.length > 0 && !types.includes(CLASSIC_GROUP_TYPE)) return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, groups: [] };
  const groups = [...rt.groups.values()]
    .filter((g) => (states.size === 0 ? !g.is("Dead") : states.has(g.state.toLowerCase())))
    .sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0))
    .map((g) => ({
      groupId: g.groupId,
      protocolType: g.protocolType ?? "",
      groupState: g.state,
      groupType: CLASSIC_GROUP_TYPE,
    }));
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, groups };
}
