import type { Clock } from "../clock.js";
import { systemClock } from "../clock.js";
import type { MetadataLogger } from "../logger.js";
import { silentLogger } from "../logger.js";
import type { KvStore, Revision, Unsubscribe } from "../kv/kv-store.js";
import type {
  BrokerRegistration,
  CommittedOffset,
  ConsumerGroup,
  PartitionAssignment,
  PartitionState,
  SegmentInfo,
  TopicConfig,
} from "../gen/kafscale/metadata/v1/metadata_pb.js";
import { getAssignment, listAssignments, putAssignment } from "./assignments.js";
import type { AssignmentEntry } from "./assignments.js";
import { listBrokers, registerBroker } from "./brokers.js";
import type { BrokerRegistrationHandle, RegisterBrokerOptions } from "./brokers.js";
import type { StoreContext, Versioned } from "./context.js";
import { deleteGroup, getGroup, listGroups, putGroup } from "./groups.js";
import { MetadataKeys } from "./keys.js";
import { commitOffsets, deleteOffsets, fetchOffset, fetchOffsets, listCommittedOffsetGroups } from "./offsets.js";
import type { CommitOffsetsOptions, OffsetCommit, OffsetEntry } from "./offsets.js";
import { getPartitionState, listPartitionStates, putPartitionState } from "./partitions.js";
import { listSegments, updateSegments } from "./segments.js";
import type { PutPartitionStateOptions } from "./partitions.js";
import { addPartitions, createTopic, deleteTopic, getTopic, listTopics, updateTopicConfig } from "./topics.js";
import type { NewTopic } from "./topics.js";
import { watchTopics } from "./watch-topics.js";
import type { TopicListener } from "./watch-topics.js";

/**
 * Kafscale's metadata, typed, over any {@link KvStore}: values are the protobuf messages of
 * `kafscale.metadata.v1` at the keys of {@link MetadataKeys}.
 *
 * Reads return {@link Versioned} values: the message and the revision it was read at. Writes that
 * can race take that revision as `expectedRevision` (0: the key must not exist yet) and throw
 * `RevisionConflictError` when someone else wrote first. Invalid topic names throw
 * `INVALID_TOPIC_NAME`; a value that does not decode throws `CORRUPT_DATA`.
 */
export interface MetadataStore {
  /** The key layout in use. */
  readonly keys: MetadataKeys;

  /**
   * Creates a topic: one write of its config, whatever the partition count (so any topic fits in
   * one etcd transaction). Its partitions start in the initial state (`initialPartitionState`: no
   * leader, empty log) without keys of their own; reads report them at the topic's creation
   * revision, and their first write creates the key. Assigns a random UUID `topicId` if none is given, `created_at` = now
   * if unset, and replication factor 1 if unset; other fields are stored as given (the caller
   * fills Kafka's defaults). Throws `TopicExistsError` if the topic exists.
   */
  createTopic(topic: NewTopic): Promise<Versioned<TopicConfig>>;
  /** A topic's config, or null. */
  getTopic(name: string): Promise<Versioned<TopicConfig> | null>;
  /** Every topic's config, by name. Reads the whole `/topics/` prefix (partition states included). */
  listTopics(): Promise<Array<Versioned<TopicConfig>>>;
  /**
   * Replaces a topic's config (e.g. after AlterConfigs). Its `topicId` and `partitions` must stay
   * as they are (`INVALID_ARGUMENT`; use {@link MetadataStore.addPartitions}). Throws
   * `TopicNotFoundError` or `RevisionConflictError`.
   */
  updateTopicConfig(config: TopicConfig, expectedRevision: Revision): Promise<Revision>;
  /**
   * Deletes a topic's config, partition states and assignments in one transaction; committed
   * offsets of the topic in groups stay. Without `expectedRevision`, deletes whatever config is
   * current. Throws `TopicNotFoundError`, or `RevisionConflictError` when `expectedRevision` is stale.
   */
  deleteTopic(name: string, expectedRevision?: Revision): Promise<Revision>;
  /**
   * Grows a topic to `partitions` partitions: one write of the new config (the new partitions start
   * in the initial state, as a new topic's do), conditional on the config's revision
   * (`expectedRevision`, or the one read now). Throws `INVALID_ARGUMENT` unless the count grows, `TopicNotFoundError`, `RevisionConflictError`.
   */
  addPartitions(name: string, partitions: number, expectedRevision?: Revision): Promise<Versioned<TopicConfig>>;

  /**
   * One partition's state, or null when the topic or partition does not exist. A partition never
   * written is in the initial state at the revision of the topic's creation; pass that revision
   * back to write it (a writer holding it from before the topic was deleted and created again is
   * refused with `RevisionConflictError`).
   */
  getPartitionState(topic: string, partition: number): Promise<Versioned<PartitionState> | null>;
  /** All partition states of a topic (those never written in the initial state, as above), by partition number. */
  listPartitionStates(topic: string): Promise<Array<Versioned<PartitionState>>>;
  /**
   * Writes a partition state (key from `state.topic` and `state.partition`) if it is still at
   * `expectedRevision` (its key's revision, or the topic's creation revision while it was never
   * written). With 0 (its key must not exist yet) the partition must exist in the topic's config (`TopicNotFoundError`,
   * `INVALID_ARGUMENT`). Throws `RevisionConflictError`.
   */
  putPartitionState(state: PartitionState, expectedRevision: Revision, options?: PutPartitionStateOptions): Promise<Revision>;

  /** A partition's committed segments (`/segments/{topic}/{p}/{base}`), oldest first. */
  listSegments(topic: string, partition: number): Promise<SegmentInfo[]>;
  /**
   * Writes a partition's state with segments added (a flush) or removed (retention,
   * DeleteRecords) in one transaction, conditional on the state's revision:
   * `RevisionConflictError` when another writer got there first. At most 127 additions; removals
   * beyond what fits in the transaction are deleted right after it (see `updateSegments`).
   */
  updateSegments(state: PartitionState, expectedRevision: Revision, changes: { add?: readonly SegmentInfo[]; remove?: readonly bigint[] }): Promise<Revision>;

  /** A partition's assignment, or null. */
  getAssignment(topic: string, partition: number): Promise<Versioned<PartitionAssignment> | null>;
  /** All assignments, or one topic's, by topic and partition. */
  listAssignments(topic?: string): Promise<AssignmentEntry[]>;
  /** Writes a partition's assignment if its key is at `expectedRevision` (0: new; the partition must exist). */
  putAssignment(topic: string, partition: number, assignment: PartitionAssignment, expectedRevision: Revision): Promise<Revision>;

  /**
   * Commits offsets of a group (last write wins per partition): in one transaction for up to 128
   * partitions; more are split into transactions of 128 (etcd's default `--max-txn-ops`), each
   * conditional on `expectedGroupRevision` if given, so a conflict can leave earlier ones committed.
   */
  commitOffsets(groupId: string, commits: readonly OffsetCommit[], options?: CommitOffsetsOptions): Promise<Revision>;
  /** A group's committed offset for one partition, or null if it never committed one. */
  fetchOffset(groupId: string, topic: string, partition: number): Promise<Versioned<CommittedOffset> | null>;
  /** A group's committed offsets, all or of one topic, by topic and partition. */
  fetchOffsets(groupId: string, topic?: string): Promise<OffsetEntry[]>;
  /** Deletes a group's offsets for some partitions of a topic, in transactions of up to 128 partitions. */
  deleteOffsets(groupId: string, topic: string, partitions: readonly number[]): Promise<Revision>;
  /** Ids of the groups that have at least one committed offset (with or without group metadata). */
  listCommittedOffsetGroups(): Promise<string[]>;

  /** A group's metadata, or null. */
  getGroup(groupId: string): Promise<Versioned<ConsumerGroup> | null>;
  /** Writes a group's metadata (key from `group.groupId`) if its key is at `expectedRevision` (0: new). */
  putGroup(group: ConsumerGroup, expectedRevision: Revision): Promise<Revision>;
  /**
   * Deletes a group's metadata and all its offsets in one transaction; with `expectedRevision`,
   * only if the metadata is at that revision. Deleting a group that does not exist is not an error.
   */
  deleteGroup(groupId: string, expectedRevision?: Revision): Promise<Revision>;
  /** Every group that has metadata, by group id. */
  listGroups(): Promise<Array<Versioned<ConsumerGroup>>>;

  /**
   * Registers a live broker under a lease of `leaseTtlMs` and keeps the lease alive until the
   * returned handle is closed. Throws `BROKER_ID_IN_USE` while another registration of that id lives.
   */
  registerBroker(registration: BrokerRegistration, leaseTtlMs: number, options?: RegisterBrokerOptions): Promise<BrokerRegistrationHandle>;
  /** Live brokers, by id. */
  listBrokers(): Promise<Array<Versioned<BrokerRegistration>>>;

  /**
   * Calls `listener` whenever any topic's config is created, changed or deleted (by anyone) after
   * the returned promise resolves. Resolves with a function that stops it.
   */
  watchTopics(listener: TopicListener): Promise<Unsubscribe>;
}

/** Options of {@link createMetadataStore}. */
export interface MetadataStoreOptions {
  /** Root of every key (default `/kafscale`), e.g. to keep several clusters in one etcd. */
  readonly keyPrefix?: string;
  /** Time for `created_at` stamps and keepalive timers (default: system clock). */
  readonly clock?: Clock;
  /** Receives warnings (default: none). */
  readonly logger?: MetadataLogger;
}

/** Creates the typed store over `kv`. The caller keeps owning `kv` (and closes it). */
export function createMetadataStore(kv: KvStore, options: MetadataStoreOptions = {}): MetadataStore {
  const keys = new MetadataKeys(options.keyPrefix);
  const ctx: StoreContext = { kv, keys, clock: options.clock ?? systemClock, logger: options.logger ?? silentLogger };
  return {
    keys,
    createTopic: (topic) => createTopic(ctx, topic),
    getTopic: (name) => getTopic(ctx, name),
    listTopics: () => listTopics(ctx),
    updateTopicConfig: (config, expectedRevision) => updateTopicConfig(ctx, config, expectedRevision),
    deleteTopic: (name, expectedRevision) => deleteTopic(ctx, name, expectedRevision),
    addPartitions: (name, partitions, expectedRevision) => addPartitions(ctx, name, partitions, expectedRevision),
    getPartitionState: (topic, partition) => getPartitionState(ctx, topic, partition),
    listPartitionStates: (topic) => listPartitionStates(ctx, topic),
    putPartitionState: (state, expectedRevision, opts) => putPartitionState(ctx, state, expectedRevision, opts),
    listSegments: (topic, partition) => listSegments(ctx, topic, partition),
    updateSegments: (state, expectedRevision, changes) => updateSegments(ctx, state, expectedRevision, changes),
    getAssignment: (topic, partition) => getAssignment(ctx, topic, partition),
    listAssignments: (topic) => listAssignments(ctx, topic),
    putAssignment: (topic, partition, assignment, expectedRevision) => putAssignment(ctx, topic, partition, assignment, expectedRevision),
    commitOffsets: (groupId, commits, opts) => commitOffsets(ctx, groupId, commits, opts),
    fetchOffset: (groupId, topic, partition) => fetchOffset(ctx, groupId, topic, partition),
    fetchOffsets: (groupId, topic) => fetchOffsets(ctx, groupId, topic),
    deleteOffsets: (groupId, topic, partitions) => deleteOffsets(ctx, groupId, topic, partitions),
    listCommittedOffsetGroups: () => listCommittedOffsetGroups(ctx),
    getGroup: (groupId) => getGroup(ctx, groupId),
    putGroup: (group, expectedRevision) => putGroup(ctx, group, expectedRevision),
    deleteGroup: (groupId, expectedRevision) => deleteGroup(ctx, groupId, expectedRevision),
    listGroups: () => listGroups(ctx),
    registerBroker: (registration, leaseTtlMs, opts) => registerBroker(ctx, registration, leaseTtlMs, opts),
    listBrokers: () => listBrokers(ctx),
    watchTopics: (listener) => watchTopics(ctx, listener),
  };
}
