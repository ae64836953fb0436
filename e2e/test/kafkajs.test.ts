import { AssignerProtocol, CompressionTypes, ConfigResourceTypes, type Admin, type Producer } from "kafkajs";
import { beforeAll, describe, expect, it } from "vitest";
import { runGroupScenario } from "../src/group-scenario.js";
import { createKafka, kafkajsConsumeAll, startKafkajsMember } from "../src/kafkajs.js";
import { expectPerPartitionOrder, expectSameContent, keyedMessages, type OutMessage } from "../src/messages.js";
import { storedCodecs } from "../src/segments.js";
import { eventually, useBroker } from "../src/suite.js";

const toKafkajs = (m: OutMessage) => ({ key: m.key, value: m.value, ...(m.headers === undefined ? {} : { headers: m.headers }) });

/** kafkajs 2.2.4 (non-flexible versions: Metadata v6, Produce v7, Fetch v11, JoinGroup v5 ...). */
describe("kafkajs", () => {
  const env = useBroker();
  let kafka: ReturnType<typeof createKafka>["kafka"];
  let logs: string[];
  let producer: Producer;
  let admin: Admin;

  beforeAll(async () => {
    ({ kafka, logs } = createKafka(env.bootstrap, "e2e-kafkajs"));
    producer = kafka.producer({ allowAutoTopicCreation: true });
    admin = kafka.admin();
    env.defer(() => producer.disconnect());
    env.defer(() => admin.disconnect());
    env.printOnFailure("kafkajs log", () => logs.slice(-150).join("\n"));
    await producer.connect();
    await admin.connect();
  });

  // snappy, lz4 and zstd need codec packages kafkajs does not ship (kafkajs-snappy, ...).
  it.each([
    ["none", CompressionTypes.None],
    ["gzip", CompressionTypes.GZIP],
  ] as const)("produces and consumes with compression %s", async (codec, compression) => {
    const topic = `kafkajs-codec-${codec}`;
    const messages = keyedMessages(`kafkajs-${codec}`, 60, 6, { client: "kafkajs", codec });
    for (let i = 0; i < messages.length; i += 20) {
      await producer.send({ topic, acks: -1, compression, messages: messages.slice(i, i + 20).map(toKafkajs) });
    }
    const consumed = await kafkajsConsumeAll(kafka, topic, messages.length);
    expectSameContent(consumed, messages);
    expectPerPartitionOrder(consumed);
    const byValue = new Map(messages.map((m) => [m.value, m.headers]));
    for (const m of consumed) expect(m.headers).toEqual(byValue.get(m.value));
    expect(await storedCodecs(env.broker.dataDir, topic)).toEqual([codec]);
  });

  it("keeps per-partition order of keyed messages over a 4-partition topic", async () => {
    const topic = "kafkajs-keyed";
    const messages = keyedMessages("kafkajs-keyed", 600, 12);
    for (let i = 0; i < messages.length; i += 50) {
      await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 50).map(toKafkajs) });
    }
    const consumed = await kafkajsConsumeAll(kafka, topic, messages.length);
    expectSameContent(consumed, messages);
    expectPerPartitionOrder(consumed);
    expect(new Set(consumed.map((m) => m.partition)).size).toBeGreaterThan(1);
  });

  it("consumer group of 3 rebalances on join and leave, commits, and resumes exactly at the committed offsets", async () => {
    const topic = "kafkajs-group";
    const groupId = "kafkajs-group";
    await runGroupScenario("kafkajs", {
      partitions: 4,
      startMember: (name) => startKafkajsMember(kafka, logs, name, groupId, topic),
      produce: async (messages) => {
        await producer.send({ topic, acks: -1, messages: messages.map(toKafkajs) });
      },
      committed: async () => {
        const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
        return new Map(t!.partitions.map((p) => [p.partition, Number(p.offset)]));
      },
      endOffsets: async () => new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)])),
      // DescribeGroups of the running group: Stable, and the assignments the members hold
      onBalanced: async (members) => {
        const held = members.map((m) => JSON.stringify(m.assigned())).sort();
        let seen = "";
        await eventually(
          () => `DescribeGroups: ${seen}, members hold ${held.join(" ")}`,
          async () => {
            const [g] = (await admin.describeGroups([groupId])).groups;
            const described = (g?.members ?? []).map((m) => JSON.stringify([...(AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment[topic] ?? [])].sort((a, b) => a - b))).sort();
            seen = `${g?.state} ${g?.protocol} ${described.join(" ")}`;
            return g?.state === "Stable" && g.protocol === "RoundRobinAssigner" && JSON.stringify(described) === JSON.stringify(held) ? true : undefined;
          },
          10_000,
          200,
        );
      },
    });
    const groups = await admin.listGroups();
    expect(groups.groups.map((g) => g.groupId)).toContain(groupId);
    const described = await admin.describeGroups([groupId]);
    expect(described.groups[0]).toMatchObject({ groupId, state: "Empty", members: [] });
    await admin.deleteGroups([groupId]);
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain(groupId);
  });

  it("a group whose committed offset was deleted (DeleteRecords) resumes at the log start", async () => {
    const topic = "kafkajs-out-of-range";
    const groupId = "kafkajs-out-of-range";
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    await producer.send({ topic, acks: -1, messages: Array.from({ length: 10 }, (_, i) => ({ value: `m${i}` })) });
    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: "2" }] });
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: "5" }] });
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200, heartbeatInterval: 300 });
    const offsets: string[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void offsets.push(message.offset) });
      await eventually(() => `read ${offsets.join(",")}`, () => (offsets.length >= 5 ? true : undefined));
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      await consumer.disconnect();
    }
    // Fetch at 2 is OFFSET_OUT_OF_RANGE; the consumer resets to the earliest offset, 5
    expect(offsets).toEqual(["5", "6", "7", "8", "9"]);
  });

  it("admin creates, describes, alters and deletes topics", async () => {
    const topic = "kafkajs-admin";
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3, configEntries: [{ name: "retention.ms", value: "3600000" }] }], waitForLeaders: true })).toBe(true);
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] }), "creating it again").toBe(false);
    expect(await admin.listTopics()).toContain(topic);
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0]?.partitions).toHaveLength(3);

    const retention = async () => {
      const described = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ["retention.ms"] }] });
      expect(described.resources[0]).toMatchObject({ errorCode: 0, resourceName: topic });
      return described.resources[0]?.configEntries.find((e) => e.configName === "retention.ms")?.configValue;
    };
    expect(await retention()).toBe("3600000");
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: "retention.ms", value: "7200000" }] }] });
    expect(await retention()).toBe("7200000");

    await admin.createPartitions({ topicPartitions: [{ topic, count: 5 }] });
    expect((await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]?.partitions).toHaveLength(5);

    const cluster = await admin.describeCluster();
    expect(cluster.brokers).toEqual([{ nodeId: 0, host: "127.0.0.1", port: env.broker.port }]);

    await producer.send({ topic, acks: -1, messages: Array.from({ length: 10 }, (_, i) => ({ value: `r${i}`, partition: 0 })) });
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: "4" }] });
    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets.find((p) => p.partition === 0)).toMatchObject({ low: "4", high: "10" });

    await admin.deleteTopics({ topics: [topic] });
    expect(await admin.listTopics()).not.toContain(topic);
  });

  it("looks up offsets by time (fetchTopicOffsetsByTimestamp)", async () => {
    const topic = "kafkajs-by-time";
    const now = Date.now();
    const t1 = now - 600_000;
    const t2 = now - 300_000;
    const stamp = (ms: number[]) => (m: OutMessage, i: number) => ({ ...toKafkajs(m), timestamp: String(ms[i % ms.length]) });
    const before = keyedMessages("kafkajs-before", 40, 8);
    const after = keyedMessages("kafkajs-after", 40, 8);
    await producer.send({ topic, acks: -1, messages: before.map(stamp([t1])) });
    await producer.send({ topic, acks: -1, messages: after.map(stamp([t2])) });
    const all = await kafkajsConsumeAll(kafka, topic, 80);
    const firstAfter = new Map<number, number>();
    const ends = new Map<number, number>();
    for (const m of [...all].sort((x, y) => x.offset - y.offset)) {
      if (m.value.startsWith("kafkajs-after") && !firstAfter.has(m.partition)) firstAfter.set(m.partition, m.offset);
      ends.set(m.partition, Math.max(ends.get(m.partition) ?? 0, m.offset + 1));
      expect(m.timestamp).toBe(m.value.startsWith("kafkajs-after") ? t2 : t1);
    }
    const lookup = async (ts: number) => new Map((await admin.fetchTopicOffsetsByTimestamp(topic, ts)).map((p) => [p.partition, Number(p.offset)]));
    // first offset at or after the time; kafkajs answers the end offset where there is none
    const expected = (m: Map<number, number>) => new Map([0, 1, 2, 3].map((p) => [p, m.get(p) ?? ends.get(p) ?? 0]));
    expect(await lookup(t1 - 1)).toEqual(expected(new Map([...ends.keys()].map((p) => [p, 0]))));
    expect(await lookup(t1 + 1)).toEqual(expected(firstAfter));
    expect(await lookup(t2)).toEqual(expected(firstAfter));
    expect(await lookup(t2 + 1)).toEqual(expected(new Map()));
  });
});
