// Protobuf messages Kafscale stores in etcd. The etcd key of each top-level
// message is documented in proto/kafscale/metadata/v1/metadata.proto.
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
