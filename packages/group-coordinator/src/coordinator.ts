import { ErrorCode } from "@kafscale/protocol";
import type {
  DeleteGroupsRequest,
  DeleteGroupsResponse,
  DescribeGroupsRequest,
  DescribeGroupsResponse,
  HeartbeatRequest,
  HeartbeatResponse,
  JoinGroupRequest,
  JoinGroupResponse,
  LeaveGroupRequest,
  LeaveGroupResponse,
  ListGroupsRequest,
  ListGroupsResponse,
  OffsetCommitRequest,
  OffsetCommitResponse,
  OffsetDeleteRequest,
  OffsetDeleteResponse,
  OffsetFetchRequest,
  OffsetFetchResponse,
  SyncGroupRequest,
  SyncGroupResponse,
} from "@kafscale/protocol";
import type { RequestContext } from "./context.js";
import { handleDeleteGroups } from "./delete-groups.js";
import { handleDescribeGroups } from "./describe-groups.js";
import { handleHeartbeat } from "./heartbeat.js";
import { handleJoinGroup } from "./join-group.js";
import { handleLeaveGroup } from "./leave-group.js";
import { handleListGroups } from "./list-groups.js";
import { loadGroups } from "./loading.js";
import { expireMember, expirePendingMember, expirePendingSync } from "./membership.js";
import { handleOffsetCommit } from "./offset-commit.js";
import { handleOffsetDelete } from "./offset-delete.js";
import { handleOffsetFetch } from "./offset-fetch.js";
import { resolveOptions } from "./options.js";
import type { GroupCoordinatorOptions } from "./options.js";
import { onJoinTimer } from "./rebalance.js";
import { joinError, resolveJoin, resolveSync, syncError } from "./responses.js";
import { CoordinatorRuntime } from "./runtime.js";
import type { CoordinatorStatus } from "./runtime.js";
import { handleSyncGroup } from "./sync-group.js";

/**
 * Kafka's classic group coordinator. Every method takes a decoded request and the request's
 * context and gives the response to encode at the same API version; errors are answered as
 * Kafka answers them, never thrown. JoinGroup and SyncGroup answers may wait for other members.
 */
export interface GroupCoordinator {
  /** "loading" until `start()` has loaded the store, "closed" after `close()`. */
  readonly status: CoordinatorStatus;
  /**
   * Loads the stored groups; until it resolves, requests are answered
   * COORDINATOR_LOAD_IN_PROGRESS (heartbeats NONE, SyncGroup REBALANCE_IN_PROGRESS).
   * Rejects when the store cannot be read; it may be called again.
   */
  start(): Promise<void>;
  /**
   * Stops: parked JoinGroup/SyncGroup requests are answered NOT_COORDINATOR, timers are
   * cancelled, later requests get COORDINATOR_NOT_AVAILABLE. The store keeps the groups.
   */
  close(): void;
  /** JoinGroup (API 11, v0-9). */
  joinGroup(req: JoinGroupRequest, ctx: RequestContext): Promise<JoinGroupResponse>;
  /** SyncGroup (API 14, v0-5). */
  syncGroup(req: SyncGroupRequest, ctx: RequestContext): Promise<SyncGroupResponse>;
  /** Heartbeat (API 12, v0-4). */
  heartbeat(req: HeartbeatRequest, ctx: RequestContext): Promise<HeartbeatResponse>;
  /** LeaveGroup (API 13, v0-5). */
  leaveGroup(req: LeaveGroupRequest, ctx: RequestContext): Promise<LeaveGroupResponse>;
  /** OffsetCommit (API 8, v0-9); answered once the store has the offsets. */
  commitOffsets(req: OffsetCommitRequest, ctx: RequestContext): Promise<OffsetCommitResponse>;
  /** OffsetFetch (API 9, v0-9, several groups from v8). */
  fetchOffsets(req: OffsetFetchRequest, ctx: RequestContext): Promise<OffsetFetchResponse>;
  /** ListGroups (API 16, v0-5). */
  listGroups(req: ListGroupsRequest, ctx: RequestContext): Promise<ListGroupsResponse>;
  /** DescribeGroups (API 15, v0-5). */
  describeGroups(req: DescribeGroupsRequest, ctx: RequestContext): Promise<DescribeGroupsResponse>;
  /** DeleteGroups (API 42, v0-2). */
  deleteGroups(req: DeleteGroupsRequest, ctx: RequestContext): Promise<DeleteGroupsResponse>;
  /** OffsetDelete (API 47, v0). */
  deleteOffsets(req: OffsetDeleteRequest, ctx: RequestContext): Promise<OffsetDeleteResponse>;
}

/** Creates a coordinator; call `start()` before it serves requests. */
export function createGroupCoordinator(options: GroupCoordinatorOptions): GroupCoordinator {
  const { config, store, clock, logger } = resolveOptions(options);
  const rt: CoordinatorRuntime = new CoordinatorRuntime(config, store, clock, logger, {
    joinExpired: (group) => onJoinTimer(rt, group),
    syncExpired: (group, generationId) => expirePendingSync(rt, group, generationId),
    sessionExpired: (group, member) => expireMember(rt, group, member),
    pendingMemberExpired: (group, memberId) => expirePendingMember(rt, group, memberId),
  });
  let loading: Promise<void> | undefined;

  return {
    get status() {
      return rt.status;
    },
    start: () => {
      if (rt.status !== "loading") return Promise.resolve();
      loading ??= loadGroups(rt).finally(() => {
        loading = undefined;
      });
      return loading;
    },
    close: () => {
      if (rt.status === "closed") return;
      rt.status = "closed";
      for (const group of rt.groups.values()) {
        // Dead: store writes still in flight find nothing left to do when they complete.
        group.transitionTo("Dead");
        rt.timers.cancelAll(group);
        for (const member of group.members.values()) {
          resolveJoin(member, (v) => joinError(v, member.memberId, ErrorCode.NOT_COORDINATOR));
          resolveSync(member, syncError(ErrorCode.NOT_COORDINATOR));
        }
      }
      rt.groups.clear();
    },
    joinGroup: (req, ctx) => handleJoinGroup(rt, req, ctx),
    syncGroup: (req, ctx) => handleSyncGroup(rt, req, ctx),
    heartbeat: async (req, ctx) => handleHeartbeat(rt, req, ctx),
    leaveGroup: async (req, ctx) => handleLeaveGroup(rt, req, ctx),
    commitOffsets: (req, ctx) => handleOffsetCommit(rt, req, ctx),
    fetchOffsets: (req, ctx) => handleOffsetFetch(rt, req, ctx),
    listGroups: async (req, ctx) => handleListGroups(rt, req, ctx),
    describeGroups: async (req, ctx) => handleDescribeGroups(rt, req, ctx),
    deleteGroups: (req, ctx) => handleDeleteGroups(rt, req, ctx),
    deleteOffsets: (req, ctx) => handleOffsetDelete(rt, req, ctx),
  };
}
