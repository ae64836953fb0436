// Protobuf messages Kafscale stores in etcd (the etcd key of each top-level message is documented
// in proto/kafscale/metadata/v1/metadata.proto), the KvStore interface with its embedded
// backends and its etcd backend, and the typed MetadataStore over it.
export {
  file_kafscale_metadata_v1_metadata,
  TopicConfigSchema,
  PartitionStateSchema,
  SegmentInfoSchema,
  ConsumerGroupSchema,
  GroupMemberSchema,
  CommittedOffsetSchema,
  BrokerRegistrationSchema,
  PartitionAssignmentSchema,
  GroupState,
  GroupStateSchema,
} from "./gen/kafscale/metadata/v1/metadata_pb.js";
export type {
  TopicConfig,
  PartitionState,
  SegmentInfo,
  ConsumerGroup,
  GroupMember,
  CommittedOffset,
  BrokerRegistration,
  PartitionAssignment,
} from "./gen/kafscale/metadata/v1/metadata_pb.js";

// Errors, logging, time.
export {
  MetadataError,
  RevisionConflictError,
  TopicExistsError,
  TopicNotFoundError,
  isMetadataError,
  METADATA_ERROR_CODES,
} from "./errors.js";
export type { MetadataErrorCode } from "./errors.js";
export { silentLogger } from "./logger.js";
export type { MetadataLogger } from "./logger.js";
export { systemClock } from "./clock.js";
export type { Clock } from "./clock.js";
export { createManualClock } from "./manual-clock.js";
export type { ManualClock } from "./manual-clock.js";

// The key-value store interface, its embedded backends, and etcd.
export type {
  KvStore,
  KeyValue,
  Revision,
  LeaseId,
  TxnCompare,
  TxnOp,
  TxnRequest,
  TxnResult,
  PutOptions,
  WatchEvent,
  WatchListener,
  Unsubscribe,
} from "./kv/kv-store.js";
export { compareKeys } from "./kv/key-order.js";
export type { EmbeddedKvOptions } from "./kv/kv-engine.js";
export { createMemoryKvStore } from "./kv/memory-kv-store.js";
export { openFileKvStore, DEFAULT_SNAPSHOT_THRESHOLD_BYTES } from "./kv/file/file-kv-store.js";
export type { FileKvStoreOptions } from "./kv/file/file-kv-store.js";
export { createEtcdKvStore } from "./kv/etcd/etcd-kv-store.js";
export type { EtcdKvStoreOptions } from "./kv/etcd/etcd-options.js";
export { parseEtcdUrl } from "./kv/etcd/etcd-url.js";
export { openKvStore } from "./kv/open-kv-store.js";
export type { OpenKvStoreOptions } from "./kv/open-kv-store.js";

// The typed metadata store.
export { createMetadataStore } from "./store/metadata-store.js";
export type { MetadataStore, MetadataStoreOptions } from "./store/metadata-store.js";
export type { Versioned } from "./store/context.js";
export { MetadataKeys, DEFAULT_KEY_PREFIX } from "./store/keys.js";
export type { ConsumerKey } from "./store/keys.js";
export { encodeGroupId, decodeGroupId } from "./store/group-id-encoding.js";
export { validateTopicName } from "./store/names.js";
export { initialPartitionState } from "./store/topics.js";
export type { NewTopic } from "./store/topics.js";
export type { PutPartitionStateOptions } from "./store/partitions.js";
export type { AssignmentEntry } from "./store/assignments.js";
export type { OffsetCommit, OffsetEntry, CommitOffsetsOptions } from "./store/offsets.js";
export type { BrokerRegistrationHandle, RegisterBrokerOptions } from "./store/brokers.js";
export type { TopicEvent, TopicListener } from "./store/watch-topics.js";
