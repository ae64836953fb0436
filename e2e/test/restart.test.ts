import type { Admin, Kafka, Producer } from "kafkajs";
import { beforeAll, describe, expect, it } from "vitest";
import { createKafka, kafkajsConsumeAll, startKafkajsMember } from "../src/kafkajs.js";
import { at, duplicatesOf, expectSameContent, keyedMessages, seqOf, type Consumed, type Delivered } from "../src/messages.js";
import { CONFLUENT_KAFKA_MODULES, requirePythonModules } from "../src/preflight.js";
import { LineProcess } from "../src/processes.js";
import { eventually, useBroker } from "../src/suite.js";

const PARTITIONS = 4;
const LANES_PER_PARTITION = 1;
const BATCHES_PER_LANE = 60;
const BATCH = 10;

/**
 * A broker restart in the middle of producing (once with SIGTERM, once with SIGKILL) keeps
 * every acknowledged message, where its acknowledgement said, in per-partition order, and every
 * committed offset. kafkajs 2.2.4 with acks=-1; unacknowledged sends are retried, so duplicates
 * of those are allowed.
 */
describe("broker restart", () => {
  const env = useBroker({ env: { KAFSCALE_SHUTDOWN_TIMEOUT_MS: "10000" } });
  let kafka: Kafka;
  let logs: string[];
  let admin: Admin;
  let producer: Producer;

  beforeAll(async () => {
    ({ kafka, logs } = createKafka(env.bootstrap, "e2e-restart", { retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 1000 } }));
    admin = kafka.admin();
    producer = kafka.producer({ allowAutoTopicCreation: true });
    env.defer(() => producer.disconnect());
    env.defer(() => admin.disconnect());
    env.printOnFailure("kafkajs log", () => logs.slice(-150).join("\n"));
    await admin.connect();
    await producer.connect();
  });

  /** A group consumes a topic to its end with auto commit; returns the committed offsets. */
  async function consumeAndCommit(groupId: string, topic: string, expected: number): Promise<Map<number, string>> {
    const consumer = kafka.consumer({ groupId, heartbeatInterval: 300, maxWaitTimeInMs: 200 });
    let seen = 0;
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ autoCommitInterval: 100, eachMessage: async () => void seen++ });
      const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p.high]));
      return await eventually(
        () => `group ${groupId} consumed ${seen} of ${expected} messages of ${topic}`,
        async () => {
          const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
          const committed = new Map(t!.partitions.map((p) => [p.partition, p.offset]));
          return [...ends].every(([p, end]) => end === "0" || committed.get(p) === end) ? committed : undefined;
        },
        30_000,
        200,
      );
    } finally {
      await consumer.disconnect();
    }
  }

  async function committedOffsets(groupId: string, topic: string): Promise<Map<number, string>> {
    const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map(t!.partitions.map((p) => [p.partition, p.offset]));
  }

  it("keeps every acknowledged message and every committed offset across SIGTERM and SIGKILL", async () => {
    const topic = "restart-produce";
    const commitTopic = "restart-commits";

    // offsets committed before the first restart (SIGTERM)
    await producer.send({ topic: commitTopic, acks: -1, messages: Array.from({ length: 40 }, (_, i) => ({ key: `k${i % 8}`, value: `c1-${i}` })) });
    const committedBeforeTerm = await consumeAndCommit("restart-group-1", commitTopic, 40);

    const acked: Delivered[] = [];
    const stats: string[] = [];
    const errors: string[] = [];
    let stopLanes = false;
    const lane = async (partition: number, laneIndex: number) => {
      for (let b = 0; b < BATCHES_PER_LANE && !stopLanes; b++) {
        const messages = Array.from({ length: BATCH }, (_, i) => {
          const seq = b * BATCH + i;
          const key = `p${partition}-l${laneIndex}`;
          return { key, value: `restart|${key}|${seq}|payload` };
        });
        for (;;) {
          try {
            const [meta] = await producer.send({ topic, acks: -1, timeout: 5000, messages: messages.map((m) => ({ ...m, partition })) });
            const base = Number(meta!.baseOffset);
            messages.forEach((m, i) => acked.push({ key: m.key, value: m.value, partition, offset: base + i }));
            break;
          } catch (err) {
            errors.push((err as Error).message);
            if (stopLanes) return;
            await new Promise((r) => setTimeout(r, 200)); // unacknowledged: send again
          }
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    const total = PARTITIONS * LANES_PER_PARTITION * BATCHES_PER_LANE * BATCH;
    const lanes = Array.from({ length: PARTITIONS * LANES_PER_PARTITION }, (_, i) => lane(i % PARTITIONS, Math.floor(i / PARTITIONS)));
    const producing = Promise.all(lanes);
    try {
      await eventually(() => `acknowledged ${acked.length} of ${total / 3}`, () => (acked.length >= total / 3 ? true : undefined), 60_000, 10);
      const beforeTerm = acked.length;
      await env.broker.stop(); // SIGTERM: two-phase shutdown while sends are in flight
      expect(env.broker.exitCode, "exit code after SIGTERM").toBe(0);
      const duringTerm = acked.length - beforeTerm;
      await env.broker.start();
      expect(await committedOffsets("restart-group-1", commitTopic), "offsets committed before SIGTERM").toEqual(committedBeforeTerm);

      // offsets committed between the restarts
      await producer.send({ topic: commitTopic, acks: -1, messages: Array.from({ length: 20 }, (_, i) => ({ key: `k${i % 8}`, value: `c2-${i}` })) });
      const committedBeforeKill = await consumeAndCommit("restart-group-2", commitTopic, 60);

      await eventually(() => `acknowledged ${acked.length} of ${(2 * total) / 3}`, () => (acked.length >= (2 * total) / 3 ? true : undefined), 60_000, 10);
      const beforeKill = acked.length;
      await env.broker.kill(); // SIGKILL: a crash with sends in flight
      await env.broker.start();
      stats.push(`acked before SIGTERM ${beforeTerm} (+${duringTerm} while stopping), before SIGKILL ${beforeKill}`);
      await producing;

      expect(await committedOffsets("restart-group-1", commitTopic), "group 1 offsets after SIGKILL").toEqual(committedBeforeTerm);
      expect(await committedOffsets("restart-group-2", commitTopic), "group 2 offsets after SIGKILL").toEqual(committedBeforeKill);
    } finally {
      stopLanes = true;
      await producing;
    }
    expect(acked).toHaveLength(total);

    // everything in the log, read back
    const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
    const inLog = [...ends.values()].reduce((a, b) => a + b, 0);
    const consumed = await kafkajsConsumeAll(kafka, topic, inLog, 60_000);
    const byPlace = new Map<string, Consumed>(consumed.map((m) => [`${m.partition}@${m.offset}`, m]));
    expect(byPlace.size, "distinct offsets read").toBe(inLog);

    // every acknowledged message is at the offset its acknowledgement named
    const missing = acked.filter((d) => byPlace.get(`${d.partition}@${d.offset}`)?.value !== d.value);
    expect(missing.map((d) => `${d.value} acked at ${d.partition}@${d.offset}, log has ${byPlace.get(`${d.partition}@${d.offset}`)?.value}`)).toEqual([]);

    // per partition, the acknowledged messages appear (first time each) in the order they were sent
    const ackedValues = new Set(acked.map((d) => d.value));
    for (let p = 0; p < PARTITIONS; p++) {
      const firsts: number[] = [];
      const seen = new Set<string>();
      for (const m of consumed.filter((c) => c.partition === p).sort((a, b) => a.offset - b.offset)) {
        expect(m.value.startsWith("restart|"), `${p}@${m.offset} is a message the test sent`).toBe(true);
        if (!ackedValues.has(m.value) || seen.has(m.value)) continue;
        seen.add(m.value);
        firsts.push(seqOf(m.value));
      }
      expect(firsts, `partition ${p}: first appearances of acknowledged messages in send order`).toEqual([...firsts].sort((a, b) => a - b));
      expect(firsts).toHaveLength(LANES_PER_PARTITION * BATCHES_PER_LANE * BATCH);
    }

    // a new member of a group resumes exactly after what the group committed before the crash
    await producer.send({ topic: commitTopic, acks: -1, messages: Array.from({ length: 8 }, (_, i) => ({ key: `k${i}`, value: `c3-${i}` })) });
    const consumer = kafka.consumer({ groupId: "restart-group-2", heartbeatInterval: 300, maxWaitTimeInMs: 200 });
    const resumed: string[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: commitTopic, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void resumed.push(message.value!.toString()) });
      await eventually(() => `resumed ${JSON.stringify(resumed)}`, () => (resumed.length >= 8 ? true : undefined), 30_000);
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      await consumer.disconnect();
    }
    expect(resumed.sort()).toEqual(Array.from({ length: 8 }, (_, i) => `c3-${i}`).sort());
    stats.push(`${inLog - total} duplicates of retried sends in the log`, `${errors.length} sends failed after kafkajs's retries and were sent again`);
    console.info(`restart: ${stats.join("; ")} ${[...new Set(errors)].slice(0, 3).join("; ")}`);
  });

  /** Reads all of a topic and checks every acknowledged message is at its offset, in order per key. */
  async function expectAcknowledgedKept(topic: string, acked: readonly Delivered[]): Promise<number> {
    const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
    const inLog = [...ends.values()].reduce((a, b) => a + b, 0);
    const consumed = await kafkajsConsumeAll(kafka, topic, inLog, 60_000);
    const byPlace = new Map<string, Consumed>(consumed.map((m) => [at(m), m]));
    expect(byPlace.size, "distinct offsets read").toBe(inLog);
    const missing = acked.filter((d) => byPlace.get(at(d))?.value !== d.value);
    expect(missing.map((d) => `${d.value} acked at ${at(d)}, log has ${byPlace.get(at(d))?.value}`)).toEqual([]);
    const byKey = new Map<string, Delivered[]>();
    for (const d of acked) byKey.set(d.key!, [...(byKey.get(d.key!) ?? []), d]);
    for (const [key, ds] of byKey) {
      const inOffsetOrder = [...ds].sort((a, b) => a.offset - b.offset).map((d) => seqOf(d.value));
      expect(inOffsetOrder, `${key}: acknowledged messages in send order`).toEqual([...inOffsetOrder].sort((a, b) => a - b));
    }
    return inLog;
  }

  it("keeps every message librdkafka (confluent-kafka, acks=all) had acknowledged across a SIGKILL", async () => {
    requirePythonModules(CONFLUENT_KAFKA_MODULES);
    const topic = "restart-librdkafka";
    const messages = keyedMessages("restart", 2000, 16);
    type Event = { event: string } & Partial<Delivered> & { delivered?: Delivered[]; errors?: string[] };
    const producer = LineProcess.python<Event>("confluent-producer", "confluent_produce.py", {
      bootstrap: env.bootstrap,
      topic,
      messages,
      progress: true,
      pace_ms: 10,
      flush_s: 90,
      // no reordering when a request is retried after the crash
      config: { "max.in.flight.requests.per.connection": 1, "message.timeout.ms": 60000 },
    }, { configOnStdin: true });
    const deliveredCount = () => producer.events.filter((e) => e.event === "delivered").length;
    await producer.waitFor("a third delivered", () => deliveredCount() >= messages.length / 3, 60_000);
    const beforeKill = deliveredCount();
    await env.broker.kill();
    await env.broker.start();
    expect(await producer.exit(), `producer exit\n${producer.describe().slice(-3000)}`).toBe(0);
    const summary = producer.events.at(-1)!;
    expect(summary.errors, "delivery errors").toEqual([]);
    expect(summary.delivered).toHaveLength(messages.length);
    const inLog = await expectAcknowledgedKept(topic, summary.delivered!);
    console.info(`restart (librdkafka): delivered ${beforeKill} before SIGKILL; ${inLog - messages.length} duplicates of retried requests in the log`);
  });

  it("loses no committed offset of a consumer group that consumes while the broker is killed", async () => {
    const topic = "restart-live-group";
    const groupId = "restart-live-group";
    const messages = keyedMessages("restart-live", 400, 12);
    for (let i = 0; i < messages.length; i += 100) {
      await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 100).map((m) => ({ key: m.key, value: m.value })) });
    }
    const members = [
      await startKafkajsMember(kafka, logs, "live-1", groupId, topic, 10),
      await startKafkajsMember(kafka, logs, "live-2", groupId, topic, 10),
    ];
    const unique = () => new Set(members.flatMap((m) => m.consumed().map(at))).size;
    const describe = () => members.map((m) => `${m.name}: ${m.consumed().length} consumed\n${m.describe()}`).join("\n");
    try {
      await eventually(() => `consumed ${unique()} before the crash\n${describe()}`, () => (unique() >= 100 ? true : undefined), 60_000, 20);
      await env.broker.kill();
      await env.broker.start();
      await eventually(() => `consumed ${unique()} of ${messages.length} after the crash\n${describe()}`, () => (unique() >= messages.length ? true : undefined), 90_000, 100);
      await new Promise((r) => setTimeout(r, 500)); // anything more would be a re-delivery
    } finally {
      for (const m of members) await m.stop().catch(() => {});
    }
    const all = members.flatMap((m) => m.consumed());
    // a message counts once its commit was acknowledged: a second delivery means a lost commit
    expect(duplicatesOf(all.map(at)), "messages whose acknowledged commit the crash lost").toEqual([]);
    expectSameContent(all, messages);
    const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const ends = await admin.fetchTopicOffsets(topic);
    expect(Object.fromEntries(t!.partitions.map((p) => [p.partition, p.offset]))).toEqual(Object.fromEntries(ends.map((p) => [p.partition, p.high])));
  });
});
