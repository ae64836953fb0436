/**
 * Capture scenario for kafkajs. Run by capture.ts with BOOTSTRAP (the capture proxy), TOPIC,
 * TXN_TOPIC, MULTI_TOPIC and GROUP in the environment. Client settings are kafkajs's defaults
 * except: log level ERROR, one retry for the admin client (its requests to APIs the mock lacks
 * end in a closed connection, and the default 5 retries with backoff would take minutes), and
 * a 6 s session timeout (the mock keeps a member that left until its session times out).
 * kafkajs supports gzip natively; snappy, lz4 and zstd need codec packages, so they are not used.
 */
import { CompressionTypes, Kafka, logLevel } from "kafkajs";
import { env, sleep, step } from "./step.js";

const B = env("BOOTSTRAP");
const TOPIC = env("TOPIC");
const TXN_TOPIC = env("TXN_TOPIC");
const MULTI_TOPIC = env("MULTI_TOPIC");
const GROUP = env("GROUP");

const kafka = new Kafka({ brokers: [B], logLevel: logLevel.ERROR });
const adminKafka = new Kafka({ brokers: [B], logLevel: logLevel.NOTHING, retry: { retries: 1 } });

const admin = adminKafka.admin();
await step("admin-connect", () => admin.connect());
await step("admin-list-topics", () => admin.listTopics());
await step("admin-describe-cluster", () => admin.describeCluster());
await step("admin-fetch-topic-metadata", () => admin.fetchTopicMetadata({ topics: [TOPIC, MULTI_TOPIC] }));
await step("admin-create-topics", () =>
  admin.createTopics({
    topics: [{ topic: "created-by-kafkajs", numPartitions: 3, configEntries: [{ name: "cleanup.policy", value: "compact" }] }],
    timeout: 3000,
  }),
);
await step("admin-describe-configs", () =>
  admin.describeConfigs({ resources: [{ type: 2 /* TOPIC */, name: TOPIC }], includeSynonyms: false }),
);
await step("admin-alter-configs", () =>
  admin.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: TOPIC, configEntries: [{ name: "retention.ms", value: "3600000" }] }] }),
);
await step("admin-create-partitions", () => admin.createPartitions({ topicPartitions: [{ topic: MULTI_TOPIC, count: 4 }] }));
await step("admin-list-groups", () => admin.listGroups());
await step("admin-delete-topics", () => admin.deleteTopics({ topics: ["created-by-kafkajs"], timeout: 3000 }));

const producer = kafka.producer();
await step("producer-connect", () => producer.connect());
for (const [codec, compression] of [
  ["none", CompressionTypes.None],
  ["gzip", CompressionTypes.GZIP],
] as const) {
  await step(`produce-${codec}`, () =>
    producer.send({
      topic: TOPIC,
      compression,
      messages: [
        { key: `key-${codec}-1`, value: `value one (${codec})`, headers: { source: "kafkajs", codec } },
        { key: `key-${codec}-2`, value: `value two (${codec})` },
        { key: null, value: "value without key" },
      ],
    }),
  );
}
await step("produce-acks-1", () => producer.send({ topic: TOPIC, acks: 1, messages: [{ key: "acks-1", value: "acks=1" }] }));
await step("produce-partitions", () =>
  producer.send({ topic: MULTI_TOPIC, messages: [0, 1, 2, 3].map((i) => ({ key: `k${i}`, value: `v${i}` })) }),
);
await step("produce-batch", () =>
  producer.sendBatch({
    topicMessages: [
      { topic: TOPIC, messages: [{ key: "batch-1", value: "batch one" }] },
      { topic: MULTI_TOPIC, messages: [{ key: "batch-2", value: "batch two", partition: 2 }] },
    ],
  }),
);
await step("producer-disconnect", () => producer.disconnect());

const idempotent = kafka.producer({ idempotent: true });
await step("produce-idempotent", async () => {
  await idempotent.connect();
  const result = await idempotent.send({ topic: TOPIC, messages: [{ key: "idempotent", value: "idempotent" }] });
  await idempotent.disconnect();
  return result;
});

for (const commit of [true, false]) {
  await step(`transaction-${commit ? "commit" : "abort"}`, async () => {
    const txProducer = kafka.producer({ transactionalId: `kafkajs-txn-${commit}`, idempotent: true, maxInFlightRequests: 1 });
    await txProducer.connect();
    const tx = await txProducer.transaction();
    await tx.send({ topic: TXN_TOPIC, messages: [{ key: "txn-key", value: `in a transaction (commit=${commit})`, headers: { txn: "1" } }] });
    await tx.sendOffsets({ consumerGroupId: `${GROUP}-txn`, topics: [{ topic: TOPIC, partitions: [{ partition: 0, offset: "1" }] }] });
    if (commit) await tx.commit();
    else await tx.abort();
    await txProducer.disconnect();
  });
}

await step("admin-fetch-topic-offsets", () => admin.fetchTopicOffsets(TOPIC));
await step("admin-fetch-topic-offsets-by-timestamp", () => admin.fetchTopicOffsetsByTimestamp(TOPIC, Date.now() - 600_000));

async function consumeGroup(fromBeginning: boolean, expectAtLeast: number): Promise<number> {
  const consumer = kafka.consumer({ groupId: GROUP, sessionTimeout: 6000, heartbeatInterval: 1000 });
  await consumer.connect();
  await consumer.subscribe({ topics: [TOPIC, MULTI_TOPIC], fromBeginning });
  let count = 0;
  await consumer.run({
    eachMessage: async () => {
      count++;
    },
  });
  const deadline = Date.now() + 8000;
  while (Date.now() < deadline && count < expectAtLeast) await sleep(200);
  await sleep(1500); // a heartbeat or two, and the auto commit
  await consumer.disconnect(); // commits, then LeaveGroup
  return count;
}

await step("group-consume", () => consumeGroup(true, 12));
await step("admin-fetch-offsets", () => admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC, MULTI_TOPIC] }));
await step("group-consume-again", () => consumeGroup(false, 1_000_000));
await step("admin-describe-groups", () => admin.describeGroups([GROUP]));
await step("admin-reset-offsets", () => admin.resetOffsets({ groupId: GROUP, topic: TOPIC, earliest: true }));
await step("admin-delete-records", () => admin.deleteTopicRecords({ topic: TOPIC, partitions: [{ partition: 0, offset: "1" }] }));
await step("admin-delete-groups", () => admin.deleteGroups([GROUP]));
await step("admin-disconnect", () => admin.disconnect());
process.exit(0);
