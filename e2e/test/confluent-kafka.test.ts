import { beforeAll, describe, expect, it } from "vitest";
import { runGroupScenario } from "../src/group-scenario.js";
import { CODECS, expectExactly, expectPerPartitionOrder, keyedMessages, type Consumed, type Delivered, type OutMessage } from "../src/messages.js";
import { CONFLUENT_KAFKA_MODULES, requirePythonModules } from "../src/preflight.js";
import { runPython } from "../src/processes.js";
import { startPythonMember } from "../src/python-member.js";
import { LIBRDKAFKA_CODEC_NOTE, storedCodecs } from "../src/segments.js";
import { useBroker } from "../src/suite.js";

interface ProduceResult {
  delivered: Delivered[];
  errors: string[];
  undelivered: number;
}
interface ConsumeResult {
  messages: Consumed[];
  start_offsets: Record<string, number>;
}
interface OffsetsResult {
  low: Record<string, number>;
  high: Record<string, number>;
  committed?: Record<string, number>;
  by_time: Record<string, Record<string, number>>;
}

const numeric = (r: Record<string, number>) => new Map(Object.entries(r).map(([p, o]) => [Number(p), o]));

/** confluent-kafka-python 1.7.0 on librdkafka 2.0.2 (Debian), run with /usr/bin/python3. */
describe("confluent-kafka", () => {
  beforeAll(() => {
    requirePythonModules(CONFLUENT_KAFKA_MODULES);
  });
  const env = useBroker();

  const produce = async (topic: string, messages: OutMessage[], codec = "none"): Promise<Delivered[]> => {
    const r = await runPython<ProduceResult>("confluent_produce.py", { bootstrap: env.bootstrap, topic, messages, codec });
    expect(r.errors).toEqual([]);
    expect(r.delivered).toHaveLength(messages.length);
    return r.delivered;
  };
  const consume = (topic: string, start: string | number = "beginning") =>
    runPython<ConsumeResult>("confluent_consume.py", { bootstrap: env.bootstrap, topic, start });
  const offsets = (topic: string, extra: { group?: string; times?: number[] } = {}) =>
    runPython<OffsetsResult>("confluent_offsets.py", { bootstrap: env.bootstrap, topic, ...extra });

  it.each(CODECS)("produces and consumes with compression %s", async (codec) => {
    const topic = `confluent-codec-${codec}`;
    const delivered = await produce(topic, keyedMessages(`confluent-${codec}`, 60, 6, { client: "confluent-kafka", codec }), codec);
    const { messages } = await consume(topic);
    expectExactly(messages, delivered);
    expectPerPartitionOrder(messages);
    for (const m of messages) expect(m.headers).toMatchObject({ client: "confluent-kafka", codec });
    expect(await storedCodecs(env.broker.dataDir, topic), LIBRDKAFKA_CODEC_NOTE).toEqual([codec]);
  });

  it("keeps per-partition order of keyed messages over a 4-partition topic", async () => {
    const topic = "confluent-keyed";
    const delivered = await produce(topic, keyedMessages("confluent-keyed", 1000, 12));
    const { messages } = await consume(topic);
    expectExactly(messages, delivered);
    expectPerPartitionOrder(messages);
    expect(new Set(messages.map((m) => m.partition)).size).toBeGreaterThan(1);
  });

  it("consumer group of 3 rebalances on join and leave, commits, and resumes exactly at the committed offsets", async () => {
    const topic = "confluent-group";
    const group = "confluent-group";
    // OffsetFetch for a group that never committed: offset -1 without error (librdkafka: -1001, OFFSET_INVALID)
    await produce("confluent-probe", [{ key: "k", value: "probe" }]);
    const never = await offsets("confluent-probe", { group: "confluent-never-committed" });
    expect(never.committed).toEqual({ "0": -1001, "1": -1001, "2": -1001, "3": -1001 });
    await runGroupScenario("confluent", {
      partitions: 4,
      startMember: async (name) => startPythonMember("confluent_group_member.py", name, { bootstrap: env.bootstrap, topic, group }),
      produce: async (messages) => {
        await produce(topic, messages);
      },
      committed: async () => numeric((await offsets(topic, { group })).committed!),
      endOffsets: async () => numeric((await offsets(topic)).high),
    });
  });

  it("admin creates, describes, alters and deletes topics", async () => {
    const r = await runPython<Record<string, unknown>>("confluent_admin.py", { bootstrap: env.bootstrap, topic: "confluent-admin" });
    expect(r).toMatchObject({
      create: null,
      create_again: "TOPIC_ALREADY_EXISTS",
      create_invalid: "TOPIC_EXCEPTION", // librdkafka's name for INVALID_TOPIC_EXCEPTION (17)
      partitions_after_create: 3,
      retention_after_create: "3600000",
      alter: null,
      retention_after_alter: "7200000",
      create_partitions: null,
      partitions_after_create_partitions: 5,
      delete: null,
      partitions_after_delete: null,
    });
    expect(r["topics_after_delete"]).not.toContain("confluent-admin");
    expect(r["broker_config_names"]).toEqual(expect.arrayContaining(["log.retention.ms"]));
  });

  it("looks up offsets by time (offsets_for_times) and consumes from there", async () => {
    const topic = "confluent-by-time";
    const now = Date.now();
    const [t1, t2] = [now - 600_000, now - 300_000];
    const stamp = (ts: number) => (m: OutMessage) => ({ ...m, timestamp: ts });
    const before = await produce(topic, keyedMessages("confluent-before", 40, 8).map(stamp(t1)));
    const after = await produce(topic, keyedMessages("confluent-after", 40, 8).map(stamp(t2)));
    const firstAfter = new Map<number, number>();
    for (const d of after) firstAfter.set(d.partition, Math.min(firstAfter.get(d.partition) ?? Infinity, d.offset));
    const firstBefore = new Map<number, number>();
    for (const d of before) firstBefore.set(d.partition, Math.min(firstBefore.get(d.partition) ?? Infinity, d.offset));

    const r = await offsets(topic, { times: [t1 - 1, t1 + 1, t2, t2 + 1] });
    const expected = (m: Map<number, number>) => Object.fromEntries([0, 1, 2, 3].map((p) => [String(p), m.get(p) ?? -1]));
    expect(r.by_time[String(t1 - 1)]).toEqual(expected(firstBefore));
    expect(r.by_time[String(t1 + 1)]).toEqual(expected(firstAfter));
    expect(r.by_time[String(t2)]).toEqual(expected(firstAfter));
    expect(r.by_time[String(t2 + 1)]).toEqual(expected(new Map()));

    const fromTime = await consume(topic, t1 + 1);
    expectExactly(fromTime.messages, after);
    for (const m of fromTime.messages) expect(m.timestamp).toBe(t2);
  });
});
