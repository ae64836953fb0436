import { describe, expect, it } from "vitest";
import { createMemoryObjectStore } from "../object-store/memory-object-store.js";
import { makeBatch } from "../test-support/batches.js";
import { RecordingCommitter } from "../test-support/recording-committer.js";
import { PartitionLog } from "./partition-log.js";
import { createSegmentCache, type CachedIndex } from "./segment-cache.js";

const entry = (size: number): CachedIndex => ({ kind: "index", index: { interval: 1, entries: [] }, size });

describe("createSegmentCache()", () => {
  it("bounds the cache by bytes, evicting the least recently used", () => {
    const cache = createSegmentCache({ maxBytes: 100 });
    cache.set("a", entry(40));
    cache.set("b", entry(40));
    cache.get("a");
    cache.set("c", entry(40));
    expect([...cache.keys()].sort()).toEqual(["a", "c"]);
    expect(cache.calculatedSize).toBe(80);
    cache.set("huge", entry(101));
    expect(cache.has("huge")).toBe(false);
  });

  it("refuses a non-positive size", () => {
    expect(() => createSegmentCache({ maxBytes: 0 })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });

  it("is shared by partitions without their entries clashing", async () => {
    const cache = createSegmentCache({ maxBytes: 1 << 20 });
    const store = createMemoryObjectStore();
    const logs = await Promise.all(
      [0, 1].map((partition) => PartitionLog.open({ store, committer: new RecordingCommitter(), topic: "t", partition, cache, flushAgeMs: 1 })),
    );
    await Promise.all(logs.map((log, i) => log.append(makeBatch({ records: i + 1 })).durable));
    expect([...cache.keys()].sort()).toEqual([
      "default/t/0/segment-00000000000000000000.index",
      "default/t/0/segment-00000000000000000000.kfs",
      "default/t/1/segment-00000000000000000000.index",
      "default/t/1/segment-00000000000000000000.kfs",
    ]);
    expect((await logs[1]!.read(0n, 1 << 20)).length).toBe(1);
    for (const log of logs) await log.close();
  });
});
