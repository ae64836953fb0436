import { encodeBatch } from "@kafscale/protocol/records";
import { createMemoryKvStore, createMetadataStore, type KvStore, type MetadataStore, type TxnRequest } from "@kafscale/metadata";
import { afterEach, describe, expect, it } from "vitest";
import { Broker } from "../src/broker.js";
import { CapturingLogger, testBrokerConfig } from "./support/wire-broker.js";

const batch = (value: string) =>
  encodeBatch({ baseOffset: 0n, baseTimestamp: BigInt(Date.now()), records: [{ offsetDelta: 0, value: new TextEncoder().encode(value) }] });

async function eventually<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A KvStore whose segment commits can be made to fail: before applying (etcd down) or after (a timed-out write that etcd applied). */
class FlakyKv {
  mode: "ok" | "down" | "apply-then-fail" = "ok";
  readonly kv: KvStore;

  constructor(private readonly inner: KvStore) {
    this.kv = new Proxy(inner, {
      get: (target, prop, receiver) => {
        if (prop === "txn") return (request: TxnRequest) => this.txn(request);
        if (prop === "get" || prop === "range") {
          return (...args: unknown[]) => {
            if (this.mode === "down") return Promise.reject(new Error("etcd unavailable (test)"));
            return (Reflect.get(target, prop, receiver) as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          };
        }
        const value = Reflect.get(target, prop, receiver) as unknown;
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  private async txn(request: TxnRequest) {
    const touchesSegments = request.success.some((op) => op.type === "put" && op.key.includes("/segments/"));
    if (touchesSegments && this.mode === "down") throw new Error("etcd unavailable (test)");
    const result = await this.inner.txn(request);
    if (touchesSegments && this.mode === "apply-then-fail") {
      this.mode = "ok";
      throw new Error("etcd request timed out (test): the write was applied");
    }
    return result;
  }
}

describe("broker and the metadata store", () => {
  let broker: Broker | undefined;
  afterEach(async () => {
    await broker?.stop();
    broker = undefined;
  });

  async function start(kv: KvStore): Promise<{ broker: Broker; other: MetadataStore; logs: CapturingLogger }> {
    const logs = new CapturingLogger();
    broker = await Broker.start(testBrokerConfig({ flushAgeMs: 1 }), logs, { kv });
    return { broker, other: createMetadataStore(kv), logs };
  }

  it("serves topics that another writer creates, reconfigures, grows and deletes, without a restart", async () => {
    const { broker, other } = await start(createMemoryKvStore());
    const topics = broker.services.topics;
    await other.createTopic({ name: "external", topicId: "7d4f5e7a-0000-4000-8000-000000000001", partitions: 2, replicationFactor: 1, retentionMs: -1n, retentionBytes: -1n, config: {} });
    await eventually("the created topic", () => topics.get("external"));
    const log = topics.log("external", 1)!;
    const appended = log.append(batch("hello"));
    await appended.durable;
    expect(log.highWatermark).toBe(1n);

    const current = (await other.getTopic("external"))!;
    await other.updateTopicConfig({ ...current.value, config: { "retention.ms": "1234" } }, current.revision);
    await eventually("the new config", () => (topics.get("external")?.configs["retention.ms"] === "1234" ? true : undefined));

    await other.addPartitions("external", 4);
    await eventually("the new partitions", () => (topics.get("external")?.partitionCount === 4 && topics.log("external", 3) !== undefined ? true : undefined));
    await topics.log("external", 3)!.append(batch("on a new partition")).durable;

    await other.deleteTopic("external");
    await eventually("the deletion", () => (topics.get("external") === undefined ? true : undefined));
    expect(topics.log("external", 0)).toBeUndefined();
  });

  it("resync() catches up with changes the watch did not deliver, and keeps topics created meanwhile", async () => {
    const { broker, other } = await start(createMemoryKvStore());
    const topics = broker.services.topics;
    await broker["unwatchTopics"](); // as if etcd had compacted the history a resumed watch needed
    await topics.create("kept", 1, 1, [], false);
    await topics.create("gone", 1, 1, [], false);
    await other.deleteTopic("gone");
    await other.createTopic({ name: "missed", topicId: "7d4f5e7a-0000-4000-8000-000000000002", partitions: 3, replicationFactor: 1, retentionMs: -1n, retentionBytes: -1n, config: {} });
    expect(topics.get("missed")).toBeUndefined();
    expect(topics.get("gone")).toBeDefined();

    const resync = topics.resync();
    const createdMeanwhile = topics.create("meanwhile", 1, 1, [], false);
    await resync;
    await createdMeanwhile;
    await eventually("the resync", () => (topics.get("missed")?.partitionCount === 3 && topics.get("gone") === undefined ? true : undefined));
    expect(topics.get("kept")).toBeDefined();
    expect(topics.get("meanwhile")).toBeDefined();
  });

  it("does not report its own topic changes as someone else's", async () => {
    const { broker, logs } = await start(createMemoryKvStore());
    const topics = broker.services.topics;
    await topics.create("mine", 2, 1, [], false);
    await topics.addPartitions("mine", 3, false);
    await topics.setConfigs("mine", { "retention.ms": "5000" });
    await topics.delete("mine");
    await new Promise((r) => setTimeout(r, 50));
    expect(logs.lines.filter((l) => l.msg.includes("by another writer"))).toEqual([]);
    expect(topics.get("mine")).toBeUndefined();
  });

  it("after a segment commit whose outcome is unknown (applied), reopens the partition from metadata: nothing acknowledged twice, offsets continue", async () => {
    const flaky = new FlakyKv(createMemoryKvStore());
    const { broker, logs } = await start(flaky.kv);
    const topics = broker.services.topics;
    await topics.create("t", 1, 1, [], false);
    const first = topics.log("t", 0)!;
    await first.append(batch("acked")).durable;

    flaky.mode = "apply-then-fail";
    const unknown = first.append(batch("outcome unknown"));
    await expect(unknown.durable).rejects.toMatchObject({ code: "FENCED" });
    expect(() => first.append(batch("refused while fenced"))).toThrow(expect.objectContaining({ code: "FENCED" }));

    const reopened = await eventually("the reopened log", () => (topics.log("t", 0) !== first ? topics.log("t", 0) : undefined));
    // The commit was applied: the reopened log has it, and the next append goes after it.
    expect(reopened.highWatermark).toBe(2n);
    const next = reopened.append(batch("after recovery"));
    await next.durable;
    expect(next.baseOffset).toBe(2n);
    const stored = await reopened.read(0n, 1 << 20);
    expect(stored).toHaveLength(3);
    expect(logs.lines.some((l) => l.msg === "fenced partition reopened from the metadata store")).toBe(true);
  });

  it("while the metadata store is down, refuses writes without acknowledging them and recovers by itself", async () => {
    const flaky = new FlakyKv(createMemoryKvStore());
    const { broker } = await start(flaky.kv);
    const topics = broker.services.topics;
    await topics.create("t", 1, 1, [], false);
    const first = topics.log("t", 0)!;
    await first.append(batch("before")).durable;

    flaky.mode = "down";
    await expect(first.append(batch("during")).durable).rejects.toMatchObject({ code: "FENCED" });
    await new Promise((r) => setTimeout(r, 300)); // reopen attempts fail meanwhile
    expect(topics.log("t", 0)).toBe(first);
    expect(first.fenced).toBe(true);

    flaky.mode = "ok";
    const reopened = await eventually("the reopened log", () => (topics.log("t", 0) !== first ? topics.log("t", 0) : undefined), 10_000);
    expect(reopened.highWatermark).toBe(1n);
    const after = reopened.append(batch("after"));
    await after.durable;
    expect(after.baseOffset).toBe(1n);
  });
});
