import type { Clock, TimerHandle } from "./clock.js";
import type { ClassicGroup } from "./group.js";
import type { Logger } from "./logger.js";
import type { GroupMember } from "./member.js";

/** What happens when each kind of group timer fires (wired in coordinator.ts). */
export interface ExpiryHandlers {
  /** The join phase's delay or rebalance timeout elapsed. */
  joinExpired(group: ClassicGroup): void;
  /** The rebalance timeout for SyncGroup of `generationId` elapsed. */
  syncExpired(group: ClassicGroup, generationId: number): void;
  /** A member's session (or new-member join) timeout elapsed without a heartbeat. */
  sessionExpired(group: ClassicGroup, member: GroupMember): void;
  /** A member id handed out with MEMBER_ID_REQUIRED was not used within the session timeout. */
  pendingMemberExpired(group: ClassicGroup, memberId: string): void;
}

/** Arms and cancels the timers of groups and members; each kind has one slot per owner. */
export class GroupTimers {
  constructor(
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly handlers: ExpiryHandlers,
  ) {}

  startJoin(group: ClassicGroup, ms: number): void {
    this.cancelJoin(group);
    group.joinTimer = this.arm(ms, () => {
      group.joinTimer = undefined;
      this.handlers.joinExpired(group);
    });
  }

  cancelJoin(group: ClassicGroup): void {
    this.disarm(group.joinTimer);
    group.joinTimer = undefined;
  }

  startSync(group: ClassicGroup, ms: number): void {
    this.cancelSync(group);
    const generationId = group.generationId;
    group.syncTimer = this.arm(ms, () => {
      group.syncTimer = undefined;
      this.handlers.syncExpired(group, generationId);
    });
  }

  cancelSync(group: ClassicGroup): void {
    this.disarm(group.syncTimer);
    group.syncTimer = undefined;
  }

  /** (Re)starts a member's session timer: `ms` defaults to its session timeout. */
  resetSession(group: ClassicGroup, member: GroupMember, ms: number = member.sessionTimeoutMs): void {
    this.cancelSession(member);
    member.sessionTimer = this.arm(ms, () => {
      member.sessionTimer = undefined;
      this.handlers.sessionExpired(group, member);
    });
  }

  cancelSession(member: GroupMember): void {
    this.disarm(member.sessionTimer);
    member.sessionTimer = undefined;
  }

  startPending(group: ClassicGroup, memberId: string, ms: number): void {
    this.cancelPending(group, memberId);
    group.pendingMemberTimers.set(
      memberId,
      this.arm(ms, () => {
        group.pendingMemberTimers.delete(memberId);
        this.handlers.pendingMemberExpired(group, memberId);
      }),
    );
  }

  cancelPending(group: ClassicGroup, memberId: string): void {
    this.disarm(group.pendingMemberTimers.get(memberId));
    group.pendingMemberTimers.delete(memberId);
  }

  /** Cancels every timer of the group and of its members. */
  cancelAll(group: ClassicGroup): void {
    this.cancelJoin(group);
    this.cancelSync(group);
    for (const memberId of [...group.pendingMemberTimers.keys()]) this.cancelPending(group, memberId);
    for (const member of group.members.values()) this.cancelSession(member);
  }

  private arm(ms: number, fn: () => void): TimerHandle {
    return this.clock.setTimeout(() => {
      try {
        fn();
      } catch (err) {
        this.log.warn({ err }, "group coordinator timer failed");
      }
    }, Math.max(0, ms));
  }

  private disarm(handle: TimerHandle | undefined): void {
    if (handle !== undefined) this.clock.clearTimeout(handle);
  }
}
