import { ErrorCode } from "@kafscale/protocol";
import type { Clock } from "./clock.js";
import { ClassicGroup } from "./group.js";
import type { GroupStore } from "./group-store.js";
import type { Logger } from "./logger.js";
import type { CoordinatorConfig } from "./options.js";
import { toPersistedGroup } from "./persisted.js";
import { GroupTimers } from "./timers.js";
import type { ExpiryHandlers } from "./timers.js";

/** Whether the coordinator serves requests: not yet (loading), yes, or no more. */
export type CoordinatorStatus = "loading" | "active" | "closed";

/** The state every handler shares: config, groups, timers, store. */
export class CoordinatorRuntime {
  status: CoordinatorStatus = "loading";
  readonly groups = new Map<string, ClassicGroup>();
  readonly timers: GroupTimers;

  constructor(
    readonly config: CoordinatorConfig,
    readonly store: GroupStore,
    readonly clock: Clock,
    readonly log: Logger,
    handlers: ExpiryHandlers,
  ) {
    this.timers = new GroupTimers(clock, log, handlers);
  }

  /**
   * The coordinator-level error for a request about `groupId` (Kafka's `validateGroupStatus`
   * without the group id check): COORDINATOR_NOT_AVAILABLE once closed,
   * COORDINATOR_LOAD_IN_PROGRESS while loading, NOT_COORDINATOR for a group owned elsewhere.
   */
  statusError(groupId: string): number {
    if (this.status === "closed") return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (this.status === "loading") return ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
    if (this.config.isCoordinatorFor !== undefined && !this.config.isCoordinatorFor(groupId)) {
      return ErrorCode.NOT_COORDINATOR;
    }
    return ErrorCode.NONE;
  }

  getOrCreateGroup(groupId: string): ClassicGroup {
    let group = this.groups.get(groupId);
    if (group === undefined) {
      group = new ClassicGroup(groupId);
      this.groups.set(groupId, group);
    }
    return group;
  }

  newMemberId(prefix: string): string {
    return this.config.generateMemberId(prefix);
  }

  /**
   * Writes a snapshot of the group (taken now) after the group's earlier writes; resolves with
   * NONE or the Kafka error code of the failure.
   */
  persist(group: ClassicGroup, assignments?: ReadonlyMap<string, Uint8Array>): Promise<number> {
    const record = toPersistedGroup(group, assignments);
    return this.enqueue(group, () => this.store.saveGroup(record)).then(
      () => {
        group.stored = true;
        return ErrorCode.NONE;
      },
      (err: unknown) => this.storeError(err, group.groupId, "saveGroup"),
    );
  }

  /** Runs a store write of the group after the group's earlier writes have settled. */
  enqueue<T>(group: ClassicGroup, write: () => Promise<T>): Promise<T> {
    group.writesInFlight += 1;
    const result = group.saveChain.then(write).finally(() => {
      group.writesInFlight -= 1;
    });
    group.saveChain = result.catch(() => undefined);
    return result;
  }

  /** Runs async follow-up work nobody awaits; a failure (a coordinator bug) is logged, not left unhandled. */
  background(groupId: string, work: Promise<void>): void {
    work.catch((err: unknown) => this.log.warn({ err, groupId }, "group coordinator background work failed"));
  }

  /** Logs a store failure and maps it to a Kafka error code. */
  storeError(err: unknown, groupId: string, operation: string): number {
    this.log.warn({ err, groupId, operation }, "group store operation failed");
    return this.config.mapStoreError?.(err) ?? ErrorCode.COORDINATOR_NOT_AVAILABLE;
  }
}
