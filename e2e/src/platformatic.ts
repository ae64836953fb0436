import { Consumer, stringDeserializers, type Message } from "@platformatic/kafka";
import type { GroupMember } from "./group-scenario.js";
import type { Consumed } from "./messages.js";

type StringMessage = Message<string, string, string, string>;

export function fromPlatformatic(m: StringMessage): Consumed {
  return {
    partition: m.partition,
    offset: Number(m.offset),
    key: m.key === undefined || m.key === "" ? null : m.key,
    value: m.value ?? "",
    headers: Object.fromEntries(m.headers),
    timestamp: Number(m.timestamp),
  };
}

/** close(true) resolves to the callback overload in the typings, but returns a promise. */
export function closeForced(client: { close(force?: boolean): Promise<void> }): Promise<void> {
  return client.close(true);
}

/** Reads a topic from the beginning with a fresh group until `count` messages arrived. */
export async function platformaticConsumeAll(bootstrap: string, topic: string, count: number, timeoutMs = 30_000): Promise<Consumed[]> {
  const consumer = new Consumer({
    clientId: "e2e-platformatic-reader",
    bootstrapBrokers: [bootstrap],
    groupId: `reader-${topic}-${Date.now()}`,
    deserializers: stringDeserializers,
    maxWaitTime: 200,
  });
  const consumed: Consumed[] = [];
  try {
    const stream = await consumer.consume({ topics: [topic], mode: "earliest", autocommit: false });
    stream.on("data", (m: StringMessage) => consumed.push(fromPlatformatic(m)));
    const errors: Error[] = [];
    stream.on("error", (e: Error) => errors.push(e));
    const deadline = Date.now() + timeoutMs;
    while (consumed.length < count && Date.now() < deadline && errors.length === 0) await new Promise((r) => setTimeout(r, 50));
    if (errors.length > 0) throw errors[0]!;
    if (consumed.length < count) throw new Error(`read ${consumed.length} of ${count} messages of ${topic} in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 300)); // anything past `count` is a duplicate the test must see
    await stream.close();
    return consumed;
  } finally {
    await closeForced(consumer);
  }
}

/**
 * A @platformatic/kafka group member for runGroupScenario: a stream in "committed" mode without
 * autocommit; each message is committed (message.commit()) as it is processed. Its consumer is
 * at-least-once around rebalances: the stream delivers what it fetched before a rebalance even
 * for partitions the member lost, and a commit that failed because of a rebalance is sent again
 * (old offset, new generation) after the client rejoined. So every delivered message counts.
 */
export async function startPlatformaticMember(bootstrap: string, name: string, groupId: string, topic: string, delayMs = 5): Promise<GroupMember> {
  const consumer = new Consumer({
    clientId: `e2e-platformatic-${name}`,
    bootstrapBrokers: [bootstrap],
    groupId,
    deserializers: stringDeserializers,
    sessionTimeout: 10_000,
    rebalanceTimeout: 15_000,
    heartbeatInterval: 300,
    maxWaitTime: 200,
  });
  const consumed: Consumed[] = [];
  const events: string[] = [];
  let assigned: number[] | undefined;
  consumer.on("consumer:group:join", (p) => {
    assigned = [...(p.assignments?.find((a) => a.topic === topic)?.partitions ?? [])].sort((a, b) => a - b);
    events.push(`join generation ${p.generationId} ${p.memberId} leader=${p.isLeader} ${JSON.stringify(assigned)}`);
  });
  consumer.on("consumer:group:leave", (p) => events.push(`leave generation ${p.generationId}`));
  consumer.on("consumer:heartbeat:error", (p) => events.push(`heartbeat error ${p.error.message}`));
  const stream = await consumer.consume({ topics: [topic], mode: "committed", fallbackMode: "earliest", autocommit: false });
  stream.on("error", (e: Error) => events.push(`stream error ${e.message}`));
  let stopping = false;
  const loop = (async () => {
    for await (const m of stream as AsyncIterable<StringMessage>) {
      if (stopping) break;
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      consumed.push(fromPlatformatic(m));
      const generation = (m.metadata as { consumer?: { generationId?: number } }).consumer?.generationId;
      try {
        await m.commit();
      } catch (err) {
        events.push(`commit ${m.partition}@${m.offset} (fetched in generation ${generation}) failed: ${(err as Error).message}`);
      }
    }
  })().catch((e: unknown) => events.push(`loop failed: ${(e as Error).message}`));
  return {
    name,
    consumed: () => consumed,
    assigned: () => assigned,
    stop: async () => {
      stopping = true;
      await stream.close();
      await loop;
      await consumer.close();
    },
    describe: () => events.join("\n"),
  };
}
