import { create, equals, fromBinary, isFieldSet, toBinary } from "@bufbuild/protobuf";
import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import {
  BrokerRegistrationSchema,
  CommittedOffsetSchema,
  ConsumerGroupSchema,
  GroupMemberSchema,
  GroupState,
  PartitionAssignmentSchema,
  PartitionStateSchema,
  SegmentInfoSchema,
  TopicConfigSchema,
} from "../src/index.js";

const T0 = 1_700_000_000_123;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Encodes and decodes a message, checking first that the fixture sets every field of its schema. */
function roundTrip<Desc extends DescMessage>(schema: Desc, msg: MessageShape<Desc>): MessageShape<Desc> {
  const unset = schema.fields.filter((f) => !isFieldSet(msg, f)).map((f) => f.name);
  expect(unset, `fixture for ${schema.typeName} leaves fields unset`).toEqual([]);
  const decoded = fromBinary(schema, toBinary(schema, msg));
  expect(equals(schema, decoded, msg)).toBe(true);
  return decoded;
}

const segment = (base: bigint, last: bigint) =>
  create(SegmentInfoSchema, {
    baseOffset: base,
    lastOffset: last,
    sizeBytes: 4n * 1024n * 1024n,
    messageCount: Number(last - base + 1n),
    createdAt: timestampFromMs(T0),
    maxTimestampMs: BigInt(T0) - 5n,
  });

describe("metadata messages round-trip through the binary format", () => {
  it("TopicConfig", () => {
    const d = roundTrip(
      TopicConfigSchema,
      create(TopicConfigSchema, {
        name: "orders",
        topicId: "0b6f7a9e-3c1d-4e2f-9a8b-7c6d5e4f3a2b",
        partitions: 12,
        replicationFactor: 1,
        retentionMs: 604_800_000n,
        retentionBytes: -1n,
        segmentBytes: 4_194_304n,
        createdAt: timestampFromMs(T0),
        config: { "cleanup.policy": "delete" },
      }),
    );
    expect(d.name).toBe("orders");
    expect(d.topicId).toMatch(UUID);
    expect(d.partitions).toBe(12);
    expect(d.replicationFactor).toBe(1);
    expect(d.retentionMs).toBe(604_800_000n);
    expect(d.retentionBytes).toBe(-1n);
    expect(d.segmentBytes).toBe(4_194_304n);
    expect(d.createdAt && timestampMs(d.createdAt)).toBe(T0);
  });

  it("TopicConfig with a config map", () => {
    const config = {
      "cleanup.policy": "delete",
      "max.message.bytes": "1048588",
      "message.timestamp.type": "LogAppendTime",
      "empty.value": "",
      "unicode.ü": "värde ✓",
    };
    const d = fromBinary(TopicConfigSchema, toBinary(TopicConfigSchema, create(TopicConfigSchema, { name: "t", config })));
    expect(d.config).toEqual(config);
    expect(Object.keys(d.config)).toHaveLength(5);
  });

  it("PartitionState with segments and SegmentInfo", () => {
    const d = roundTrip(
      PartitionStateSchema,
      create(PartitionStateSchema, {
        topic: "orders",
        partition: 3,
        leaderBroker: 2,
        leaderEpoch: 5,
        logStartOffset: 100n,
        logEndOffset: 300n,
        highWatermark: 300n,
        activeSegment: "orders/3/segment-00000000000000000200.kfs",
        segments: [segment(100n, 199n), segment(200n, 299n)],
      }),
    );
    expect([d.topic, d.partition, d.leaderBroker, d.leaderEpoch]).toEqual(["orders", 3, 2, 5]);
    expect([d.logStartOffset, d.logEndOffset, d.highWatermark]).toEqual([100n, 300n, 300n]);
    expect(d.activeSegment).toBe("orders/3/segment-00000000000000000200.kfs");
    expect(d.segments.map((s) => [s.baseOffset, s.lastOffset, s.messageCount])).toEqual([
      [100n, 199n, 100],
      [200n, 299n, 100],
    ]);
    roundTrip(SegmentInfoSchema, segment(10n, 19n));
  });

  it("ConsumerGroup with GroupMember", () => {
    const member = create(GroupMemberSchema, {
      clientId: "rdkafka",
      clientHost: "/10.0.0.7",
      heartbeatAt: timestampFromMs(T0),
      assignments: new Uint8Array([0, 1, 0, 0, 0, 1]),
      subscriptions: new Uint8Array([0, 1, 0, 0, 0, 0]),
      sessionTimeoutMs: 45_000,
      rebalanceTimeoutMs: 300_000,
      groupInstanceId: "static-1",
    });
    roundTrip(GroupMemberSchema, member);
    const d = roundTrip(
      ConsumerGroupSchema,
      create(ConsumerGroupSchema, {
        groupId: "billing",
        state: GroupState.STABLE,
        protocolType: "consumer",
        protocol: "range",
        leader: "rdkafka-1",
        generationId: 4,
        members: { "rdkafka-1": member },
        rebalanceTimeoutMs: 300_000,
      }),
    );
    expect(d.state).toBe(GroupState.STABLE);
    expect([d.groupId, d.protocolType, d.protocol, d.leader, d.generationId]).toEqual([
      "billing", "consumer", "range", "rdkafka-1", 4,
    ]);
    const m = d.members["rdkafka-1"];
    expect(m?.groupInstanceId).toBe("static-1");
    expect(m?.assignments).toEqual(new Uint8Array([0, 1, 0, 0, 0, 1]));
    expect(m?.subscriptions).toEqual(new Uint8Array([0, 1, 0, 0, 0, 0]));
    expect(m?.heartbeatAt && timestampMs(m.heartbeatAt)).toBe(T0);
    expect([m?.clientId, m?.clientHost, m?.sessionTimeoutMs, m?.rebalanceTimeoutMs]).toEqual([
      "rdkafka", "/10.0.0.7", 45_000, 300_000,
    ]);
  });

  it("GroupMember without group_instance_id keeps it unset", () => {
    const d = fromBinary(GroupMemberSchema, toBinary(GroupMemberSchema, create(GroupMemberSchema, { clientId: "c" })));
    expect(d.groupInstanceId).toBeUndefined();
    const empty = fromBinary(GroupMemberSchema, toBinary(GroupMemberSchema, create(GroupMemberSchema, { groupInstanceId: "" })));
    expect(empty.groupInstanceId).toBe("");
  });

  it("CommittedOffset", () => {
    const d = roundTrip(
      CommittedOffsetSchema,
      create(CommittedOffsetSchema, { offset: 42n, metadata: "m", committedAt: timestampFromMs(T0), leaderEpoch: 7 }),
    );
    expect([d.offset, d.metadata, d.leaderEpoch]).toEqual([42n, "m", 7]);
    expect(d.committedAt && timestampMs(d.committedAt)).toBe(T0);
  });

  it("BrokerRegistration", () => {
    const d = roundTrip(
      BrokerRegistrationSchema,
      create(BrokerRegistrationSchema, {
        brokerId: 1,
        host: "kafscale-1.kafscale.default.svc",
        port: 9092,
        rack: "eu-west-1a",
        startedAt: timestampFromMs(T0),
        lastHeartbeat: timestampFromMs(T0 + 5_000),
        version: "0.1.0",
      }),
    );
    expect([d.brokerId, d.host, d.port, d.rack, d.version]).toEqual([
      1, "kafscale-1.kafscale.default.svc", 9092, "eu-west-1a", "0.1.0",
    ]);
    expect(d.lastHeartbeat && timestampMs(d.lastHeartbeat)).toBe(T0 + 5_000);
  });

  it("PartitionAssignment", () => {
    const d = roundTrip(
      PartitionAssignmentSchema,
      create(PartitionAssignmentSchema, { brokerId: 3, epoch: 9, assignedAt: timestampFromMs(T0) }),
    );
    expect([d.brokerId, d.epoch]).toEqual([3, 9]);
    expect(d.assignedAt && timestampMs(d.assignedAt)).toBe(T0);
  });
});

describe("wire compatibility", () => {
  it("keeps the field numbers of CommittedOffset (values already in etcd must stay readable)", () => {
    const bytes = toBinary(CommittedOffsetSchema, create(CommittedOffsetSchema, { offset: 42n, metadata: "m", leaderEpoch: 7 }));
    // field 1 varint 42, field 2 "m", field 4 varint 7
    expect([...bytes]).toEqual([0x08, 0x2a, 0x12, 0x01, 0x6d, 0x20, 0x07]);
  });

  it("keeps the field numbers of PartitionAssignment", () => {
    const bytes = toBinary(PartitionAssignmentSchema, create(PartitionAssignmentSchema, { brokerId: 3, epoch: 9 }));
    expect([...bytes]).toEqual([0x08, 0x03, 0x10, 0x09]);
  });
});
