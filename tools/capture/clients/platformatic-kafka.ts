/**
 * Capture scenario for @platformatic/kafka. Run by capture.ts with BOOTSTRAP (the capture proxy),
 * TOPIC, TXN_TOPIC, MULTI_TOPIC and GROUP in the environment. Client settings are the library's
 * defaults except: clientId (required by the library), retries 1 (requests to APIs the mock lacks
 * end in a closed connection), and a 6 s session timeout (the mock keeps a member that left
 * until its session times out). It speaks only flexible versions of most APIs (Metadata v9+,
 * Fetch v12+ ...), so against the librdkafka 2.0.2 mock it gets no further than ApiVersions.
 * zstd needs Node 22's zlib, so it is not used on Node 20.
 *
 * Its Consumer needs FindCoordinator v4+ and OffsetFetch v8+, which neither mock implements, so
 * the group steps fail; the "raw-*" steps drive the same group APIs through the library's own
 * per-version request encoders (joinGroupV6, syncGroupV4, ...) on a Connection, to capture the
 * versions the mock does answer.
 */
import {
  Admin,
  Connection,
  Consumer,
  Producer,
  findCoordinatorV6,
  heartbeatV4,
  joinGroupV6,
  leaveGroupV4,
  offsetCommitV9,
  offsetFetchV9,
  stringDeserializers,
  stringSerializers,
  syncGroupV4,
} from "@platformatic/kafka";
import { env, sleep, step } from "./step.js";

const B = env("BOOTSTRAP");
const TOPIC = env("TOPIC");
const TXN_TOPIC = env("TXN_TOPIC");
const MULTI_TOPIC = env("MULTI_TOPIC");
const GROUP = env("GROUP");
/** close(true) resolves to the callback overload in the typings, but returns a promise. */
function closeForced(client: { close(force?: boolean): Promise<void> }): Promise<void> {
  return client.close(true);
}

const base = { clientId: "platformatic-kafka", bootstrapBrokers: [B], retries: 1 };

const admin = new Admin(base);
await step("admin-metadata", () => admin.metadata({ topics: [TOPIC, MULTI_TOPIC] }).then((m) => m.topics.size));
await step("admin-list-topics", () => admin.listTopics());
await step("admin-create-topics", () =>
  admin.createTopics({ topics: ["created-by-platformatic"], partitions: 3, replicas: 1, configs: [{ name: "cleanup.policy", value: "compact" }] }),
);
await step("admin-describe-configs", () =>
  admin.describeConfigs({ resources: [{ resourceType: 2, resourceName: TOPIC, configurationKeys: null }] }),
);
await step("admin-alter-configs", () =>
  admin.alterConfigs({ resources: [{ resourceType: 2, resourceName: TOPIC, configs: [{ name: "retention.ms", value: "3600000" }] }] }),
);
await step("admin-incremental-alter-configs", () =>
  admin.incrementalAlterConfigs({
    resources: [{ resourceType: 2, resourceName: TOPIC, configs: [{ name: "retention.ms", configOperation: 0, value: "7200000" }] }],
  }),
);
await step("admin-create-partitions", () =>
  admin.createPartitions({ topics: [{ name: MULTI_TOPIC, count: 4, assignments: [] }] }),
);
await step("admin-list-groups", () => admin.listGroups().then((groups) => [...groups.keys()]));
await step("admin-find-coordinator", () => admin.findCoordinator({ keyType: 0, keys: [GROUP] }));
await step("admin-delete-topics", () => admin.deleteTopics({ topics: ["created-by-platformatic"] }));

const producer = new Producer({ ...base, serializers: stringSerializers });
for (const codec of ["none", "gzip", "snappy", "lz4"] as const) {
  await step(`produce-${codec}`, () =>
    producer
      .send({
        compression: codec,
        messages: [
          { topic: TOPIC, key: `key-${codec}-1`, value: `value one (${codec})`, headers: new Map([["source", "platformatic-kafka"], ["codec", codec]]) },
          { topic: TOPIC, key: `key-${codec}-2`, value: `value two (${codec})` },
          { topic: TOPIC, value: "value without key" },
        ],
      })
      .then((r) => r.offsets),
  );
}
await step("produce-partitions", () =>
  producer.send({ messages: [0, 1, 2, 3].map((i) => ({ topic: MULTI_TOPIC, key: `k${i}`, value: `v${i}`, partition: i % 3 })) }),
);
await step("producer-close", () => producer.close());

const idempotent = new Producer({ ...base, clientId: "platformatic-kafka-idempotent", idempotent: true, serializers: stringSerializers });
await step("produce-idempotent", () => idempotent.send({ messages: [{ topic: TOPIC, key: "idempotent", value: "idempotent" }] }));
await step("idempotent-close", () => idempotent.close());

const txProducer = new Producer({ ...base, clientId: "platformatic-kafka-txn", transactionalId: "platformatic-txn", idempotent: true, serializers: stringSerializers });
await step("transaction-commit", async () => {
  const tx = await txProducer.beginTransaction();
  await tx.send({ messages: [{ topic: TXN_TOPIC, key: "txn-key", value: "in a transaction", headers: new Map([["txn", "1"]]) }] });
  await tx.commit();
});
await step("transaction-producer-close", () => closeForced(txProducer));

async function consumeGroup(mode: "earliest" | "committed", expectAtLeast: number): Promise<number> {
  const consumer = new Consumer({
    ...base,
    groupId: GROUP,
    deserializers: stringDeserializers,
    sessionTimeout: 6000,
    heartbeatInterval: 1000,
  });
  let count = 0;
  try {
    const stream = await consumer.consume({ topics: [TOPIC, MULTI_TOPIC], mode, fallbackMode: "earliest", autocommit: 500, maxWaitTime: 500 });
    stream.on("data", () => count++);
    stream.on("error", () => {});
    const deadline = Date.now() + 8000;
    while (Date.now() < deadline && count < expectAtLeast) await sleep(200);
    await sleep(1500); // a heartbeat or two, and the auto commit
    await stream.close();
    await consumer.listCommittedOffsets({ topics: [{ topic: TOPIC, partitions: [0] }] });
  } finally {
    await closeForced(consumer); // LeaveGroup
  }
  return count;
}

await step("group-consume", () => consumeGroup("earliest", 12));
await step("group-consume-again", () => consumeGroup("committed", 1_000_000));

// ---- the group protocol through the library's per-version API functions ----
const colon = B.lastIndexOf(":");
const [host, port] = [B.slice(0, colon), Number(B.slice(colon + 1))];

/** ConsumerProtocolSubscription v0 / ConsumerProtocolAssignment v0 (opaque to the broker). */
function subscription(topics: string[]): Buffer {
  const parts = [Buffer.from([0, 0]), int32(topics.length), ...topics.map(str), int32(-1)];
  return Buffer.concat(parts);
}
function assignment(topic: string, partitions: number[]): Buffer {
  return Buffer.concat([Buffer.from([0, 0]), int32(1), str(topic), int32(partitions.length), ...partitions.map(int32), int32(-1)]);
}
function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}
function str(s: string): Buffer {
  const b = Buffer.from(s);
  const len = Buffer.alloc(2);
  len.writeInt16BE(b.length);
  return Buffer.concat([len, b]);
}

async function withConnection<T>(fn: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = new Connection("platformatic-kafka");
  await connection.connect(host, port);
  try {
    return await fn(connection);
  } finally {
    await connection.close();
  }
}

await step("raw-find-coordinator-v6", () => withConnection((c) => findCoordinatorV6.api.async(c, 0, [GROUP])));
// The 2.12.0 mock reads JoinGroup v6's protocol array with an INT32 count instead of a compact
// one and closes the connection, so there is no member; the other group APIs then get error
// responses (UNKNOWN_MEMBER_ID ...), which are real responses all the same.
let member = { memberId: "", generationId: -1 };
await step("raw-join-group-v6", () =>
  withConnection(async (c) => {
    const join = (memberId: string) =>
      joinGroupV6.api.async(c, GROUP, 6000, 10000, memberId, null, "consumer", [{ name: "roundrobin", metadata: subscription([TOPIC]) }]);
    let response;
    try {
      response = await join("");
    } catch (err) {
      // MEMBER_ID_REQUIRED (KIP-394): join again with the member id the broker assigned.
      const memberId = (err as { response?: { memberId?: string } }).response?.memberId;
      if (!memberId) throw err;
      response = await join(memberId);
    }
    member = { memberId: response.memberId ?? "", generationId: response.generationId };
    return member;
  }),
);
const memberId = () => member.memberId || "platformatic-kafka-not-a-member";
await step("raw-sync-group-v4", () =>
  withConnection((c) =>
    syncGroupV4.api.async(c, GROUP, member.generationId, memberId(), null, "consumer", "roundrobin", [
      { memberId: memberId(), assignment: assignment(TOPIC, [0]) },
    ]),
  ),
);
await step("raw-heartbeat-v4", () => withConnection((c) => heartbeatV4.api.async(c, GROUP, member.generationId, memberId(), null)));
await step("raw-offset-commit-v9", () =>
  withConnection((c) =>
    offsetCommitV9.api.async(c, GROUP, member.generationId, member.memberId, null, [
      { name: TOPIC, partitions: [{ partitionIndex: 0, committedOffset: 3n, committedLeaderEpoch: -1, committedMetadata: "raw" }] },
    ]),
  ),
);
await step("raw-offset-fetch-v9", () =>
  withConnection((c) =>
    offsetFetchV9.api.async(c, [{ groupId: GROUP, memberId: member.memberId, memberEpoch: -1, topics: [{ name: TOPIC, partitionIndexes: [0] }] }], false),
  ),
);
await step("raw-leave-group-v4", () =>
  withConnection((c) => leaveGroupV4.api.async(c, GROUP, [{ memberId: memberId(), reason: "capture done" }])),
);

const reader = new Consumer({ ...base, groupId: `${GROUP}-offsets`, deserializers: stringDeserializers });
await step("list-offsets", () => reader.listOffsets({ topics: [TOPIC, MULTI_TOPIC] }).then((o) => [...o.entries()].map(([t, p]) => [t, p.map(String)])));
await step("list-offsets-by-time", () =>
  reader.listOffsets({ topics: [TOPIC], timestamp: BigInt(Date.now() - 600_000) }).then((o) => [...o.entries()].map(([t, p]) => [t, p.map(String)])),
);
await step("fetch", async () => {
  const metadata = await admin.metadata({ topics: [TOPIC, MULTI_TOPIC] });
  const partitions = (n: number) =>
    Array.from({ length: n }, (_, partition) => ({ partition, currentLeaderEpoch: -1, fetchOffset: 0n, lastFetchedEpoch: -1, partitionMaxBytes: 1 << 20 }));
  const response = await reader.fetch({
    node: 1,
    maxWaitTime: 100,
    topics: [
      { topicId: metadata.topics.get(TOPIC)!.id, partitions: partitions(1) },
      { topicId: metadata.topics.get(MULTI_TOPIC)!.id, partitions: partitions(3) },
    ],
  });
  return response.responses.map((t) => t.partitions.map((p) => p.records?.length ?? 0));
});
await step("reader-close", () => closeForced(reader));

await step("admin-list-consumer-group-offsets", () => admin.listConsumerGroupOffsets({ groups: [GROUP] }));
await step("admin-describe-groups", () => admin.describeGroups({ groups: [GROUP] }).then((g) => [...g.keys()]));
await step("admin-list-offsets", () => admin.listOffsets({ topics: [{ name: TOPIC, partitions: [{ partitionIndex: 0, timestamp: -1n }] }] }));
await step("admin-delete-records", () => admin.deleteRecords({ topics: [{ name: TOPIC, partitions: [{ partition: 0, offset: 1n }] }] }));
await step("admin-delete-groups", () => admin.deleteGroups({ groups: [GROUP] }));
await step("admin-close", () => admin.close());
process.exit(0);
