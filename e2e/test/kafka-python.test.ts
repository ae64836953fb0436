import { beforeAll, describe, expect, it } from "vitest";
import { runGroupScenario } from "../src/group-scenario.js";
import { CODECS, expectExactly, expectPerPartitionOrder, keyedMessages, type Consumed, type Delivered, type OutMessage } from "../src/messages.js";
import { KAFKA_PYTHON_MODULES, requirePythonModules } from "../src/preflight.js";
import { runPython } from "../src/processes.js";
import { startPythonMember } from "../src/python-member.js";
import { storedCodecs } from "../src/segments.js";
import { useBroker } from "../src/suite.js";

interface ProduceResult {
  delivered: Delivered[];
  errors: string[];
}
interface OffsetsResult {
  low: Record<string, number>;
  high: Record<string, number>;
  committed?: Record<string, number | null>;
  by_time: Record<string, Record<string, number | null>>;
}

const numeric = (r: Record<string, number | null>) => new Map(Object.entries(r).map(([p, o]) => [Number(p), o ?? -1]));

/** kafka-python 2.0.2 (Debian's python3-kafka, with python3-snappy, -lz4, -zstandard). */
describe("kafka-python", () => {
  beforeAll(() => {
    requirePythonModules(KAFKA_PYTHON_MODULES);
  });
  const env = useBroker();

  const produce = async (topic: string, messages: OutMessage[], codec = "none"): Promise<Delivered[]> => {
    const r = await runPython<ProduceResult>("kafka_python_produce.py", { bootstrap: env.bootstrap, topic, messages, codec });
    expect(r.errors).toEqual([]);
    return r.delivered;
  };
  const consume = (topic: string, start: string | number = "beginning") =>
    runPython<{ messages: Consumed[] }>("kafka_python_consume.py", { bootstrap: env.bootstrap, topic, start });
  const offsets = (topic: string, extra: { group?: string; times?: number[] } = {}) =>
    runPython<OffsetsResult>("kafka_python_offsets.py", { bootstrap: env.bootstrap, topic, ...extra });

  it.each(CODECS)("produces and consumes with compression %s", async (codec) => {
    const topic = `kafka-python-codec-${codec}`;
    const delivered = await produce(topic, keyedMessages(`kafka-python-${codec}`, 60, 6, { client: "kafka-python", codec }), codec);
    const { messages } = await consume(topic);
    expectExactly(messages, delivered);
    expectPerPartitionOrder(messages);
    for (const m of messages) expect(m.headers).toMatchObject({ client: "kafka-python", codec });
    expect(await storedCodecs(env.broker.dataDir, topic)).toEqual([codec]);
  });

  it("keeps per-partition order of keyed messages over a 4-partition topic", async () => {
    const topic = "kafka-python-keyed";
    const delivered = await produce(topic, keyedMessages("kafka-python-keyed", 1000, 12));
    const { messages } = await consume(topic);
    expectExactly(messages, delivered);
    expectPerPartitionOrder(messages);
    expect(new Set(messages.map((m) => m.partition)).size).toBeGreaterThan(1);
  });

  it("consumer group of 3 rebalances on join and leave, commits, and resumes exactly at the committed offsets", async () => {
    const topic = "kafka-python-group";
    const group = "kafka-python-group";
    await runGroupScenario("kafka-python", {
      partitions: 4,
      startMember: async (name) => startPythonMember("kafka_python_group_member.py", name, { bootstrap: env.bootstrap, topic, group }),
      produce: async (messages) => {
        await produce(topic, messages);
      },
      committed: async () => numeric((await offsets(topic, { group })).committed!),
      endOffsets: async () => numeric((await offsets(topic)).high),
    });
    const ends = (await offsets(topic)).high;
    const admin = await runPython<Record<string, unknown>>("kafka_python_admin.py", { bootstrap: env.bootstrap, group });
    expect(admin["groups"]).toContain(group);
    expect(admin).toMatchObject({
      group_state: "Empty",
      group_members: 0,
      group_offsets: Object.fromEntries(Object.entries(ends).filter(([, o]) => o > 0).map(([p, o]) => [`${topic}:${p}`, o])),
      delete_group: [[group, "NoError"]],
    });
    expect(admin["groups_after_delete"]).not.toContain(group);
  });

  it("admin creates, describes, alters and deletes topics", async () => {
    const topic = "kafka-python-admin";
    const r = await runPython<Record<string, unknown>>("kafka_python_admin.py", { bootstrap: env.bootstrap, topic });
    expect(r).toMatchObject({
      create: null,
      create_again: "TopicAlreadyExistsError",
      create_invalid: "InvalidTopicError",
      partitions_after_create: 3,
      retention_after_create: "3600000",
      alter: 0,
      retention_after_alter: "7200000",
      create_partitions: null,
      partitions_after_create_partitions: 5,
      cluster: { brokers: [{ node_id: 0, host: "127.0.0.1", port: env.broker.port, rack: null }], cluster_id: "kafscale", controller_id: 0 },
      delete: null,
      partitions_after_delete: null,
    });
    expect(r["list_topics"]).toContain(topic);
    expect(r["topics_after_delete"]).not.toContain(topic);
  });

  it("looks up offsets by time (offsets_for_times) and consumes from there", async () => {
    const topic = "kafka-python-by-time";
    const now = Date.now();
    const [t1, t2] = [now - 600_000, now - 300_000];
    const stamp = (ts: number) => (m: OutMessage) => ({ ...m, timestamp: ts });
    const before = await produce(topic, keyedMessages("kafka-python-before", 40, 8).map(stamp(t1)));
    const after = await produce(topic, keyedMessages("kafka-python-after", 40, 8).map(stamp(t2)));
    const first = (ds: Delivered[]) => {
      const m = new Map<number, number>();
      for (const d of ds) m.set(d.partition, Math.min(m.get(d.partition) ?? Infinity, d.offset));
      return m;
    };
    const r = await offsets(topic, { times: [t1 - 1, t1 + 1, t2, t2 + 1] });
    const expected = (m: Map<number, number>) => Object.fromEntries([0, 1, 2, 3].map((p) => [String(p), m.get(p) ?? null]));
    expect(r.by_time[String(t1 - 1)]).toEqual(expected(first(before)));
    expect(r.by_time[String(t1 + 1)]).toEqual(expected(first(after)));
    expect(r.by_time[String(t2)]).toEqual(expected(first(after)));
    expect(r.by_time[String(t2 + 1)]).toEqual(expected(new Map()));

    const fromTime = await consume(topic, t1 + 1);
    expectExactly(fromTime.messages, after);
    for (const m of fromTime.messages) expect(m.timestamp).toBe(t2);
  });
});
