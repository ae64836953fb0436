import type { GroupState } from "./group-state.js";

/** A topic partition. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** One member of a stored group (protobuf `GroupMember`, keyed there by `memberId`). */
export interface PersistedMember {
  readonly memberId: string;
  /** `group.instance.id` of a static member; null for dynamic members. */
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  /** The member's metadata for the group's selected protocol (ConsumerProtocolSubscription bytes for consumers). */
  readonly subscription: Uint8Array;
  /** The member's assignment from the leader (ConsumerProtocolAssignment bytes for consumers). */
  readonly assignment: Uint8Array;
}

/**
 * A stored group (protobuf `ConsumerGroup`). The coordinator writes one when a generation's
 * assignment is accepted (SyncGroup from the leader), when a group becomes empty, when a static
 * member is replaced, and when a group is first created by an offset commit.
 */
export interface PersistedGroup {
  readonly groupId: string;
  /** "Stable" with members, "Empty" without: the state a restart restores. */
  readonly state: GroupState;
  /** "" before the group had a member. */
  readonly protocolType: string;
  /** The selected protocol; "" when there is none. */
  readonly protocolName: string;
  /** "" when there is no leader. */
  readonly leaderId: string;
  readonly generationId: number;
  readonly members: readonly PersistedMember[];
}

/** A committed offset (protobuf `CommittedOffset` plus its key). */
export interface StoredOffset {
  readonly topic: string;
  readonly partition: number;
  /** The next offset the group will consume. */
  readonly offset: bigint;
  /** Leader epoch the client gave with the commit; -1 for none. */
  readonly leaderEpoch: number;
  /** The client's metadata string ("" for none). */
  readonly metadata: string;
  /** When the coordinator accepted the commit, in epoch milliseconds. */
  readonly committedAtMs: number;
}

/**
 * Where the coordinator keeps groups and committed offsets. Every method's promise resolves once
 * the write is durable; the coordinator answers only then. A rejection is answered with
 * COORDINATOR_NOT_AVAILABLE (or the code `mapStoreError` gives).
 *
 * The coordinator issues one group's writes one after another, never concurrently.
 */
export interface GroupStore {
  /** Every stored group; called by `start()`. */
  loadGroups(): Promise<PersistedGroup[]>;
  /** Creates or replaces a group's record. */
  saveGroup(group: PersistedGroup): Promise<void>;
  /** Deletes a group's record and all its committed offsets. */
  deleteGroup(groupId: string): Promise<void>;
  /** Stores offsets, replacing earlier ones of the same partitions; all or nothing. */
  commitOffsets(groupId: string, offsets: readonly StoredOffset[]): Promise<void>;
  /** The group's committed offsets for `topics`, or for every topic when null; partitions without a commit are left out. */
  fetchOffsets(groupId: string, topics: readonly string[] | null): Promise<StoredOffset[]>;
  /** Deletes the offsets of these partitions; partitions without a commit are ignored. */
  deleteOffsets(groupId: string, partitions: readonly TopicPartition[]): Promise<void>;
}
