import { encodeBatch } from "@kafscale/protocol/records";
import { createMemoryKvStore, createMetadataStore, type KvStore } from "@kafscale/metadata";
import { dropMemoryObjectStore, openObjectStore } from "@kafscale/storage";
import { afterEach, describe, expect, it } from "vitest";
import { Broker } from "../src/broker.js";
import { CapturingLogger, testBrokerConfig } from "./support/wire-broker.js";

const batch = (value: string) =>
  encodeBatch({ baseOffset: 0n, baseTimestamp: BigInt(Date.now()), records: [{ offsetDelta: 0, value: new TextEncoder().encode(value) }] });

/** The same KvStore across broker restarts: a stopping broker's close() does not end it. */
function surviving(kv: KvStore): KvStore {
  return new Proxy(kv, {
    get: (target, prop, receiver) => {
      if (prop === "close") return () => Promise.resolve();
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe("orphan objects", () => {
  const STORE = `memory://orphan-sweep-${process.pid}`;
  let broker: Broker | undefined;
  afterEach(async () => {
    await broker?.stop();
    broker = undefined;
    dropMemoryObjectStore(STORE.slice("memory://".length));
  });

  it("are deleted after the broker opens their partition; committed segments stay", async () => {
    const kv = surviving(createMemoryKvStore());
    const config = testBrokerConfig({ storageUrl: STORE, flushAgeMs: 1 });
    broker = await Broker.start(config, new CapturingLogger(), { kv });
    await broker.services.topics.create("t", 1, 1, [], false);
    const log = broker.services.topics.log("t", 0)!;
    await log.append(batch("a")).durable;
    await log.append(batch("b")).durable;
    await log.deleteRecordsBefore(1n);
    await broker.stop();
    broker = undefined;

    // As if deleting segment 0 had been interrupted, and a failed flush had left a pair far behind.
    const store = await openObjectStore(STORE);
    const prefix = "default/t/0/";
    const seg0 = `${prefix}segment-00000000000000000000.kfs`;
    await store.putIfAbsent(seg0, Uint8Array.of(1));
    const committed: string[] = [];
    for await (const e of store.list(prefix)) committed.push(e.key);
    expect(committed).toContain(`${prefix}segment-00000000000000000001.kfs`);

    const logs = new CapturingLogger();
    broker = await Broker.start(config, logs, { kv });
    const deadline = Date.now() + 5_000;
    while (!logs.lines.some((l) => l.msg === "deleted orphan objects of failed flushes") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const left: string[] = [];
    for await (const e of store.list(prefix)) left.push(e.key);
    expect(left).toEqual(committed.filter((k) => k !== seg0));
    expect((await broker.services.topics.log("t", 0)!.read(1n, 1 << 20)).length).toBe(1);
  });

  it("are left alone when the partition changed in the metadata store behind the broker's back", async () => {
    const kv = createMemoryKvStore();
    broker = await Broker.start(testBrokerConfig({ storageUrl: STORE, flushAgeMs: 1 }), new CapturingLogger(), { kv });
    await broker.services.topics.create("t", 1, 1, [], false);
    const log = broker.services.topics.log("t", 0)!;
    await log.append(batch("a")).durable;
    await log.append(batch("b")).durable;
    const store = await openObjectStore(STORE);
    const seg0 = "default/t/0/segment-00000000000000000000.kfs";
    await log.deleteRecordsBefore(1n);
    await store.putIfAbsent(seg0, Uint8Array.of(1));

    // Another writer (or a topic deleted and created again) moved the partition state on.
    const other = createMetadataStore(kv);
    const state = (await other.getPartitionState("t", 0))!;
    await other.putPartitionState({ ...state.value, leaderEpoch: state.value.leaderEpoch + 1 }, state.revision);

    await expect(log.sweepOrphans()).rejects.toMatchObject({ code: "FENCED" });
    const left: string[] = [];
    for await (const e of store.list("default/t/0/")) left.push(e.key);
    expect(left).toContain(seg0);
  });
});
