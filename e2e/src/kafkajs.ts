import { Kafka, logLevel, type Consumer, type KafkaConfig, type LogEntry } from "kafkajs";
import type { Consumed } from "./messages.js";

/** kafkajs with its log lines kept in memory (printed by tests that fail) instead of the console. */
export function createKafka(bootstrap: string, clientId: string, config: Partial<KafkaConfig> = {}): { kafka: Kafka; logs: string[] } {
  const logs: string[] = [];
  const kafka = new Kafka({
    clientId,
    brokers: [bootstrap],
    logLevel: logLevel.INFO,
    logCreator:
      () =>
      ({ namespace, level, log }: LogEntry) => {
        const { message, timestamp: _t, logger: _l, ...rest } = log;
        logs.push(`${level} [${namespace}] ${message} ${JSON.stringify(rest)}`);
        if (logs.length > 2000) logs.splice(0, 1000);
      },
    retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 2000 },
    connectionTimeout: 3000,
    ...config,
  });
  return { kafka, logs };
}

/** Reads a topic from the beginning with a fresh group until `count` messages arrived. */
export async function kafkajsConsumeAll(kafka: Kafka, topic: string, count: number, timeoutMs = 30_000): Promise<Consumed[]> {
  const consumer: Consumer = kafka.consumer({ groupId: `reader-${topic}-${Date.now()}`, maxWaitTimeInMs: 200, heartbeatInterval: 500 });
  const consumed: Consumed[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        consumed.push(fromKafkajs(partition, message));
        if (consumed.length >= count) done();
      },
    });
    const timer = new Promise<void>((r) => setTimeout(r, timeoutMs));
    await Promise.race([finished, timer]);
    if (consumed.length < count) throw new Error(`read ${consumed.length} of ${count} messages of ${topic} in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 300)); // anything past `count` is a duplicate the test must see
    return consumed;
  } finally {
    await consumer.disconnect();
  }
}

export function fromKafkajs(
  partition: number,
  message: { offset: string; key: Buffer | null; value: Buffer | null; timestamp: string; headers?: Record<string, unknown> },
): Consumed {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
  return {
    partition,
    offset: Number(message.offset),
    key: message.key === null ? null : message.key.toString(),
    value: message.value?.toString() ?? "",
    headers,
    timestamp: Number(message.timestamp),
  };
}

/**
 * A kafkajs group member for runGroupScenario: autoCommit off, each message's offset committed
 * (commitOffsets) before it counts; a failed commit is rethrown so kafkajs rejoins the group and
 * restarts from the committed offsets.
 */
export async function startKafkajsMember(
  kafka: Kafka,
  logs: string[],
  name: string,
  groupId: string,
  topic: string,
  delayMs = 5,
): Promise<import("./group-scenario.js").GroupMember> {
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, rebalanceTimeout: 15_000, heartbeatInterval: 300, maxWaitTimeInMs: 200, retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 1000 } });
  const consumed: Consumed[] = [];
  const events: string[] = [];
  let assigned: number[] | undefined;
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    assigned = [...(e.payload.memberAssignment[topic] ?? [])].sort((a, b) => a - b);
    events.push(`join ${e.payload.memberId} leader=${e.payload.isLeader} ${JSON.stringify(assigned)}`);
  });
  consumer.on(consumer.events.CRASH, (e) => events.push(`crash ${e.payload.error.message} restart=${e.payload.restart}`));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      try {
        await consumer.commitOffsets([{ topic, partition, offset: String(BigInt(message.offset) + 1n) }]);
      } catch (err) {
        events.push(`commit ${partition}@${message.offset} failed: ${(err as Error).message}`);
        throw err;
      }
      consumed.push(fromKafkajs(partition, message));
    },
  });
  return {
    name,
    consumed: () => consumed,
    assigned: () => assigned,
    stop: () => consumer.disconnect(),
    describe: () => `${events.join("\n")}\n--- kafkajs log (last 60) ---\n${logs.slice(-60).join("\n")}`,
  };
}
