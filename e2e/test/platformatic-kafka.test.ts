import { Admin, ConfigResourceTypes, IncrementalAlterConfigOperationTypes, Producer, stringSerializers, type CompressionAlgorithmValue } from "@platformatic/kafka";
import { beforeAll, describe, expect, it } from "vitest";
import { runGroupScenario } from "../src/group-scenario.js";
import { expectPerPartitionOrder, expectSameContent, keyedMessages, type OutMessage } from "../src/messages.js";
import { closeForced, platformaticConsumeAll, startPlatformaticMember } from "../src/platformatic.js";
import { storedCodecs } from "../src/segments.js";
import { eventually, useBroker } from "../src/suite.js";

/** @platformatic/kafka 1.35 (flexible versions only: Metadata v12, Produce v10, Fetch v17, ...). */
describe("@platformatic/kafka", () => {
  const env = useBroker();
  let producer: Producer<string, string, string, string>;
  let admin: Admin;
  const toRecord = (topic: string) => (m: OutMessage) => ({
    topic,
    value: m.value,
    ...(m.key === null ? {} : { key: m.key }),
    ...(m.headers === undefined ? {} : { headers: new Map(Object.entries(m.headers)) }),
  });

  beforeAll(() => {
    const base = { clientId: "e2e-platformatic", bootstrapBrokers: [env.bootstrap] };
    producer = new Producer({ ...base, serializers: stringSerializers, acks: -1, idempotent: false, autocreateTopics: true });
    admin = new Admin(base);
    env.defer(() => closeForced(producer));
    env.defer(() => admin.close());
  });

  // zstd needs Node 22's zlib zstd support: not on Node 20.
  it.each(["none", "gzip", "snappy", "lz4"] as const)("produces and consumes with compression %s", async (codec) => {
    const topic = `platformatic-codec-${codec}`;
    const messages = keyedMessages(`platformatic-${codec}`, 60, 6, { client: "platformatic", codec });
    for (let i = 0; i < messages.length; i += 20) {
      await producer.send({ compression: codec as CompressionAlgorithmValue, messages: messages.slice(i, i + 20).map(toRecord(topic)) });
    }
    const consumed = await platformaticConsumeAll(env.bootstrap, topic, messages.length);
    expectSameContent(consumed, messages);
    expectPerPartitionOrder(consumed);
    const byValue = new Map(messages.map((m) => [m.value, m.headers]));
    for (const m of consumed) expect(m.headers).toEqual(byValue.get(m.value));
    expect(await storedCodecs(env.broker.dataDir, topic)).toEqual([codec]);
  });

  it("keeps per-partition order of keyed messages over a 4-partition topic", async () => {
    const topic = "platformatic-keyed";
    const messages = keyedMessages("platformatic-keyed", 600, 12);
    for (let i = 0; i < messages.length; i += 50) await producer.send({ messages: messages.slice(i, i + 50).map(toRecord(topic)) });
    const consumed = await platformaticConsumeAll(env.bootstrap, topic, messages.length);
    expectSameContent(consumed, messages);
    expectPerPartitionOrder(consumed);
    expect(new Set(consumed.map((m) => m.partition)).size).toBeGreaterThan(1);
  });

  it("consumer group of 3 rebalances on join and leave, commits, and resumes exactly at the committed offsets", async () => {
    const topic = "platformatic-group";
    const groupId = "platformatic-group";
    const committedOffsets = async () => {
      const [group] = await admin.listConsumerGroupOffsets({ groups: [groupId] });
      const t = group?.topics.find((x) => x.name === topic);
      return new Map((t?.partitions ?? []).map((p) => [p.partitionIndex, Number(p.committedOffset)]));
    };
    await runGroupScenario("platformatic", {
      partitions: 4,
      atLeastOnce: true, // see startPlatformaticMember
      // DescribeGroups of the running group: Stable, and the assignments the members hold
      onBalanced: async (members) => {
        const held = members.map((m) => JSON.stringify(m.assigned())).sort();
        let seen = "";
        await eventually(
          () => `DescribeGroups: ${seen}, members hold ${held.join(" ")}`,
          async () => {
            const g = (await admin.describeGroups({ groups: [groupId] })).get(groupId);
            const described = [...(g?.members.values() ?? [])].map((m) => JSON.stringify([...(m.assignments?.get(topic)?.partitions ?? [])].sort((a, b) => a - b))).sort();
            seen = `${g?.state} ${g?.protocol} ${described.join(" ")}`;
            return g?.state === "STABLE" && JSON.stringify(described) === JSON.stringify(held) ? true : undefined;
          },
          10_000,
          200,
        );
      },
      startMember: (name) => startPlatformaticMember(env.bootstrap, name, groupId, topic),
      produce: async (messages) => {
        await producer.send({ messages: messages.map(toRecord(topic)) });
      },
      committed: committedOffsets,
      endOffsets: async () => {
        const [t] = await admin.listOffsets({ topics: [{ name: topic, partitions: [0, 1, 2, 3].map((partitionIndex) => ({ partitionIndex, timestamp: -1n })) }] });
        return new Map(t!.partitions.map((p) => [p.partitionIndex, Number(p.offset)]));
      },
    });
    expect([...(await admin.listGroups()).keys()]).toContain(groupId);
    const described = (await admin.describeGroups({ groups: [groupId] })).get(groupId);
    expect(described).toMatchObject({ id: groupId, state: "EMPTY" });
    expect(described?.members.size).toBe(0);
    await admin.deleteGroups({ groups: [groupId] });
    expect([...(await admin.listGroups()).keys()]).not.toContain(groupId);
  });

  it("admin creates, describes, alters and deletes topics", async () => {
    const topic = "platformatic-admin";
    const [created] = await admin.createTopics({ topics: [topic], partitions: 3, replicas: 1, configs: [{ name: "retention.ms", value: "3600000" }] });
    expect(created).toMatchObject({ name: topic, partitions: 3, replicas: 1 });
    await expect(admin.createTopics({ topics: [topic], partitions: 3, replicas: 1 }), "creating it again").rejects.toThrow();
    expect(await admin.listTopics()).toContain(topic);

    const retention = async () => {
      const [d] = await admin.describeConfigs({ resources: [{ resourceType: ConfigResourceTypes.TOPIC, resourceName: topic, configurationKeys: ["retention.ms"] }] });
      return d?.configs.find((c) => c.name === "retention.ms")?.value;
    };
    expect(await retention()).toBe("3600000");
    await admin.alterConfigs({ resources: [{ resourceType: ConfigResourceTypes.TOPIC, resourceName: topic, configs: [{ name: "retention.ms", value: "7200000" }] }] });
    expect(await retention()).toBe("7200000");
    await admin.incrementalAlterConfigs({
      resources: [{ resourceType: ConfigResourceTypes.TOPIC, resourceName: topic, configs: [{ name: "retention.ms", configOperation: IncrementalAlterConfigOperationTypes.SET, value: "10800000" }] }],
    });
    expect(await retention()).toBe("10800000");

    await admin.createPartitions({ topics: [{ name: topic, count: 5, assignments: [] }] });
    expect((await admin.metadata({ topics: [topic] })).topics.get(topic)?.partitionsCount).toBe(5);

    await producer.send({ messages: Array.from({ length: 10 }, (_, i) => ({ topic, value: `r${i}`, partition: 1 })) });
    const [deleted] = await admin.deleteRecords({ topics: [{ name: topic, partitions: [{ partition: 1, offset: 6n }] }] });
    expect(deleted?.partitions).toEqual([{ partition: 1, lowWatermark: 6n }]);
    const [earliest] = await admin.listOffsets({ topics: [{ name: topic, partitions: [{ partitionIndex: 1, timestamp: -2n }] }] });
    expect(earliest?.partitions[0]?.offset).toBe(6n);

    await admin.deleteTopics({ topics: [topic] });
    expect(await admin.listTopics()).not.toContain(topic);
  });

  it("a deleted and re-created topic starts empty, with a new topic id", async () => {
    const topic = "platformatic-recreated";
    await producer.send({ messages: [0, 1, 2].map((i) => ({ topic, value: `old${i}`, partition: 0 })) });
    const before = (await admin.metadata({ topics: [topic] })).topics.get(topic)!;
    await admin.deleteTopics({ topics: [topic] });
    await admin.createTopics({ topics: [topic], partitions: 2, replicas: 1 });
    const after = (await admin.metadata({ topics: [topic], forceUpdate: true })).topics.get(topic)!;
    expect(after.id).not.toBe(before.id);
    expect(after.partitionsCount).toBe(2);
    await producer.send({ messages: [{ topic, value: "new0", partition: 0 }] });
    const consumed = await platformaticConsumeAll(env.bootstrap, topic, 1);
    expect(consumed.map((m) => `${m.partition}@${m.offset} ${m.value}`)).toEqual(["0@0 new0"]);
  });

  it("looks up offsets by time (ListOffsets with a timestamp)", async () => {
    const topic = "platformatic-by-time";
    const now = Date.now();
    const [t1, t2] = [now - 600_000, now - 300_000];
    const stamped = (prefix: string, ts: number) => keyedMessages(prefix, 40, 8).map((m) => ({ ...toRecord(topic)(m), timestamp: BigInt(ts) }));
    await producer.send({ messages: stamped("platformatic-before", t1) });
    await producer.send({ messages: stamped("platformatic-after", t2) });
    const all = await platformaticConsumeAll(env.bootstrap, topic, 80);
    const firstAfter = new Map<number, number>();
    for (const m of [...all].sort((a, b) => a.offset - b.offset)) {
      if (m.value.startsWith("platformatic-after") && !firstAfter.has(m.partition)) firstAfter.set(m.partition, m.offset);
      expect(m.timestamp).toBe(m.value.startsWith("platformatic-after") ? t2 : t1);
    }
    const lookup = async (ts: number) => {
      const [t] = await admin.listOffsets({ topics: [{ name: topic, partitions: [0, 1, 2, 3].map((partitionIndex) => ({ partitionIndex, timestamp: BigInt(ts) })) }] });
      return Object.fromEntries(t!.partitions.map((p) => [p.partitionIndex, Number(p.offset)]));
    };
    const expected = (m: Map<number, number>) => Object.fromEntries([0, 1, 2, 3].map((p) => [p, m.get(p) ?? -1]));
    expect(await lookup(t1 + 1)).toEqual(expected(firstAfter));
    expect(await lookup(t2)).toEqual(expected(firstAfter));
    expect(await lookup(t2 + 1)).toEqual(expected(new Map()));
  });
});
