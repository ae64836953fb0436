import type { JoinGroupResponse, SyncGroupResponse } from "@kafscale/protocol";
import type { TimerHandle } from "./clock.js";

/** One protocol a member supports, in the member's order of preference. */
export interface MemberProtocol {
  readonly name: string;
  readonly metadata: Uint8Array;
}

/** A parked JoinGroup request, answered when the join phase ends. */
export interface JoinWaiter {
  readonly apiVersion: number;
  readonly resolve: (response: JoinGroupResponse) => void;
}

/** A parked SyncGroup request, answered when the leader's assignment is stored. */
export interface SyncWaiter {
  readonly resolve: (response: SyncGroupResponse) => void;
}

/** What a member is created from. */
export interface MemberInit {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly rebalanceTimeoutMs: number;
  readonly sessionTimeoutMs: number;
  readonly protocolType: string;
  readonly protocols: readonly MemberProtocol[];
}

const NO_BYTES = new Uint8Array(0);

/** A member of a classic group (Kafka's `MemberMetadata`). */
export class GroupMember {
  /** Changes only when a static member is replaced by a new instance. */
  memberId: string;
  readonly groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  readonly protocolType: string;
  protocols: readonly MemberProtocol[];
  /** The member's assignment of the current generation, as the leader sent it. */
  assignment: Uint8Array = NO_BYTES;
  joinWaiter: JoinWaiter | null = null;
  syncWaiter: SyncWaiter | null = null;
  /** A member added in the current join phase; it expires after the new-member join timeout. */
  isNew = false;
  /** The session (or new-member) timer; owned by `GroupTimers`. */
  sessionTimer: TimerHandle | undefined = undefined;

  constructor(init: MemberInit) {
    this.memberId = init.memberId;
    this.groupInstanceId = init.groupInstanceId;
    this.clientId = init.clientId;
    this.clientHost = init.clientHost;
    this.rebalanceTimeoutMs = init.rebalanceTimeoutMs;
    this.sessionTimeoutMs = init.sessionTimeoutMs;
    this.protocolType = init.protocolType;
    this.protocols = init.protocols;
  }

  get isStatic(): boolean {
    return this.groupInstanceId !== null;
  }

  get isAwaitingJoin(): boolean {
    return this.joinWaiter !== null;
  }

  get isAwaitingSync(): boolean {
    return this.syncWaiter !== null;
  }

  /** The metadata the member sent for `protocol`, if it supports it. */
  metadataFor(protocol: string): Uint8Array | undefined {
    return this.protocols.find((p) => p.name === protocol)?.metadata;
  }

  /** Whether `protocols` are exactly the member's current ones (names, order and metadata bytes). */
  matches(protocols: readonly MemberProtocol[]): boolean {
    if (protocols.length !== this.protocols.length) return false;
    return protocols.every((p, i) => {
      const mine = this.protocols[i];
      return mine !== undefined && mine.name === p.name && bytesEqual(mine.metadata, p.metadata);
    });
  }

  /** The member's most preferred protocol among `candidates`. */
  vote(candidates: ReadonlySet<string>): string | undefined {
    return this.protocols.find((p) => candidates.has(p.name))?.name;
  }
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
