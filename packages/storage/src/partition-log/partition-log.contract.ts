import { readBatchHeader, verifyBatchCrc } from "@kafscale/protocol/records";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StorageError } from "../errors.js";
import { kafkaErrorCodeFor } from "../kafka-error-code.js";
import type { ObjectStoreFixture } from "../object-store/object-store.contract.js";
import { verifySegment } from "../segment/segment-format.js";
import { concatBatches, makeBatch } from "../test-support/batches.js";
import { InstrumentedStore } from "../test-support/instrumented-store.js";
import { RecordingCommitter } from "../test-support/recording-committer.js";
import { PartitionLog } from "./partition-log.js";
import type { OpenPartitionLogConfig } from "./types.js";
import { createSegmentCache } from "./segment-cache.js";

const PREFIX = "default/orders/0/";
const SEG0 = `${PREFIX}segment-00000000000000000000.kfs`;
const IDX0 = `${PREFIX}segment-00000000000000000000.index`;

const baseOffsetOf = (batch: Uint8Array): bigint => readBatchHeader(batch).baseOffset;
const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function rejection(promise: Promise<unknown>): Promise<StorageError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof StorageError) return err;
    throw err;
  }
  throw new Error("expected a rejection");
}

function thrown(fn: () => unknown): StorageError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StorageError) return err;
    throw err;
  }
  throw new Error("expected a throw");
}

/**
 * The behaviour of PartitionLog on any ObjectStore backend. Each backend's
 * test calls this with a factory for an empty store.
 */
export function runPartitionLogContract(name: string, openStore: () => Promise<ObjectStoreFixture>): void {
  describe(`PartitionLog on ${name}`, () => {
    let fixture: ObjectStoreFixture;
    let store: InstrumentedStore;
    let committer: RecordingCommitter;
    let logs: PartitionLog[];

    beforeEach(async () => {
      fixture = await openStore();
      store = new InstrumentedStore(fixture.store);
      committer = new RecordingCommitter();
      logs = [];
    });
    afterEach(async () => {
      for (const log of logs) await log.close().catch(() => {});
      await store.close();
      await fixture.cleanup();
    });

    /** Opens a log on the test's store, restored from the committer's "metadata"; flushes 1 ms after an append unless overridden. */
    async function openLog(overrides: Partial<OpenPartitionLogConfig> = {}): Promise<PartitionLog> {
      const log = await PartitionLog.open({
        store,
        committer,
        topic: "orders",
        partition: 0,
        flushAgeMs: 1,
        ...committer.restoreState,
        ...overrides,
      });
      logs.push(log);
      return log;
    }

    describe("append()", () => {
      it("assigns consecutive offsets across many batches and stores them as sent but for the base offset", async () => {
        const log = await openLog();
        const sent = Array.from({ length: 40 }, (_, i) => makeBatch({ records: 1 + (i % 5), fill: i }));
        const original = sent.map((b) => b.slice());
        let expected = 0n;
        for (const [i, batch] of sent.entries()) {
          const result = log.append(batch);
          expect(result.baseOffset).toBe(expected);
          expect(result.lastOffset).toBe(expected + BigInt(i % 5));
          expected = result.lastOffset + 1n;
        }
        expect(log.logEndOffset).toBe(expected);
        await log.flush();
        expect(log.highWatermark).toBe(expected);

        const read = await log.read(0n, 10 * 1024 * 1024);
        expect(read).toHaveLength(40);
        let next = 0n;
        for (const [i, batch] of read.entries()) {
          expect(baseOffsetOf(batch)).toBe(next);
          next += BigInt(1 + (i % 5));
          expect(verifyBatchCrc(batch)).toBe(true);
          expect(hex(batch.subarray(8))).toBe(hex(original[i]!.subarray(8)));
        }
      });

      it("assigns offsets to every batch of one multi-batch produce", async () => {
        const log = await openLog();
        const result = log.append(concatBatches([makeBatch({ records: 3 }), makeBatch({ records: 2 }), makeBatch()]));
        expect(result).toMatchObject({ baseOffset: 0n, lastOffset: 5n });
        await result.durable;
        expect((await log.read(0n, 1 << 20)).map(baseOffsetOf)).toEqual([0n, 3n, 5n]);
      });

      it("stamps the partition leader epoch when configured", async () => {
        const log = await openLog({ leaderEpoch: 7 });
        await log.append(makeBatch()).durable;
        const [batch] = await log.read(0n, 1 << 20);
        expect(readBatchHeader(batch!).partitionLeaderEpoch).toBe(7);
        expect(verifyBatchCrc(batch!)).toBe(true);
      });

      it.each([
        [
          "a corrupt CRC",
          "CORRUPT_MESSAGE",
          2,
          () => {
            const bad = makeBatch({ records: 2 });
            bad[bad.length - 1]! ^= 0xff;
            return concatBatches([makeBatch(), bad]);
          },
        ],
        [
          "magic 1",
          "UNSUPPORTED_MESSAGE_FORMAT",
          43,
          () => {
            const bad = makeBatch();
            bad[16] = 1;
            return concatBatches([makeBatch(), bad]);
          },
        ],
        ["a truncated last batch", "CORRUPT_MESSAGE", 2, () => concatBatches([makeBatch(), makeBatch().subarray(0, 70)])],
        ["no batch at all", "INVALID_RECORD", 87, () => new Uint8Array(0)],
      ])("refuses %s with %s (Kafka error %i) and appends nothing", async (_name, code, kafkaCode, make) => {
        const log = await openLog();
        log.append(makeBatch());
        const err = thrown(() => log.append(make()));
        expect(err.code).toBe(code);
        expect(kafkaErrorCodeFor(err)).toBe(kafkaCode);
        expect(log.logEndOffset).toBe(1n);
        await log.flush();
        expect(await log.read(0n, 1 << 20)).toHaveLength(1);
      });
    });

    describe("read()", () => {
      it("returns the whole batch holding an offset in its middle", async () => {
        const log = await openLog();
        log.append(makeBatch({ records: 10 }));
        log.append(makeBatch({ records: 10 }));
        await log.flush();
        expect((await log.read(5n, 1)).map(baseOffsetOf)).toEqual([0n]);
        expect((await log.read(9n, 1 << 20)).map(baseOffsetOf)).toEqual([0n, 10n]);
        expect((await log.read(10n, 1 << 20)).map(baseOffsetOf)).toEqual([10n]);
        expect((await log.read(19n, 1 << 20)).map(baseOffsetOf)).toEqual([10n]);
      });

      it("returns at least one whole batch, then only batches that fit maxBytes", async () => {
        const log = await openLog();
        const sent = [makeBatch({ valueSize: 500 }), makeBatch({ valueSize: 100 }), makeBatch({ valueSize: 100 })];
        for (const b of sent) log.append(b);
        await log.flush();
        const [a, b, c] = sent.map((s) => s.length) as [number, number, number];
        expect(await log.read(0n, 0)).toHaveLength(1);
        expect(await log.read(0n, 1)).toHaveLength(1);
        expect(await log.read(0n, a + b - 1)).toHaveLength(1);
        expect(await log.read(0n, a + b)).toHaveLength(2);
        expect(await log.read(0n, a + b + c)).toHaveLength(3);
        expect(await log.read(1n, 1)).toHaveLength(1);
      });

      it("continues across segments within maxBytes", async () => {
        const log = await openLog();
        for (let i = 0; i < 3; i++) {
          log.append(makeBatch({ records: 2 }));
          await log.flush();
        }
        expect(log.segments).toHaveLength(3);
        expect((await log.read(1n, 1 << 20)).map(baseOffsetOf)).toEqual([0n, 2n, 4n]);
        const one = (await log.read(0n, 1))[0]!.length;
        expect((await log.read(0n, 2 * one)).map(baseOffsetOf)).toEqual([0n, 2n]);
      });

      it("answers the high watermark with nothing and outside [log start, log end] with OFFSET_OUT_OF_RANGE", async () => {
        const log = await openLog();
        await log.append(makeBatch({ records: 3 })).durable;
        log.append(makeBatch());
        expect(await log.read(3n, 1 << 20)).toEqual([]);
        expect(await log.read(4n, 1 << 20)).toEqual([]);
        const err = await rejection(log.read(5n, 1 << 20));
        expect(err.code).toBe("OFFSET_OUT_OF_RANGE");
        expect(kafkaErrorCodeFor(err)).toBe(1);
        expect((await rejection(log.read(-1n, 1))).code).toBe("OFFSET_OUT_OF_RANGE");
      });
    });

    describe("durability and the high watermark", () => {
      it("moves the high watermark, and shows data, only once the flush is durable", async () => {
        const log = await openLog({ flushAgeMs: 0 });
        const release = store.holdPuts();
        const { durable } = log.append(makeBatch({ records: 4 }));
        let settled = false;
        void durable.then(() => (settled = true));
        const wait = log.waitForData(0n);
        await sleep(20);
        expect(store.puts).toEqual([SEG0, IDX0]);
        expect(settled).toBe(false);
        expect(log.logEndOffset).toBe(4n);
        expect(log.highWatermark).toBe(0n);
        expect(await log.read(0n, 1 << 20)).toEqual([]);
        expect(await log.offsetForTimestamp(0n)).toBeNull();
        expect(committer.commits).toHaveLength(0);
        release();
        await durable;
        expect(await wait).toBe(true);
        expect(log.highWatermark).toBe(4n);
        expect(committer.commits).toMatchObject([{ topic: "orders", partition: 0, baseOffset: 0n, lastOffset: 3n, nextOffset: 4n, messageCount: 4 }]);
        expect(await log.read(0n, 1 << 20)).toHaveLength(1);
      });

      it("wakes long polls only past their offset, and ends them on abort or close", async () => {
        const log = await openLog();
        await log.append(makeBatch()).durable;
        expect(await log.waitForData(0n)).toBe(true);
        const controller = new AbortController();
        const aborted = log.waitForData(1n, controller.signal);
        controller.abort();
        expect(await aborted).toBe(false);
        const later = log.waitForData(2n);
        await log.append(makeBatch()).durable;
        const racing = await Promise.race([later, sleep(30).then(() => "pending")]);
        expect(racing).toBe("pending");
        await log.close();
        expect(await later).toBe(false);
      });

      it("commits segments that match what the store holds, byte for byte", async () => {
        const log = await openLog();
        log.append(makeBatch({ records: 3, baseTimestamp: 5_000 }));
        log.append(makeBatch({ records: 2, baseTimestamp: 9_000 }));
        await log.flush();
        const [commit] = committer.commits;
        const stored = await store.inner.get(SEG0);
        const { header, footer } = verifySegment(stored);
        expect(commit).toMatchObject({ segmentKey: SEG0, indexKey: IDX0, sizeBytes: stored.length, maxTimestampMs: 9_001 });
        expect(header).toMatchObject({ baseOffset: 0n, messageCount: 5, createdAtMs: commit!.createdAtMs });
        expect(footer.lastOffset).toBe(4n);
      });
    });

    describe("group commit", () => {
      it("puts many concurrent appends into one flush", async () => {
        const log = await openLog({ flushAgeMs: 20 });
        const results = Array.from({ length: 200 }, () => log.append(makeBatch()));
        await Promise.all(results.map((r) => r.durable));
        expect(store.puts).toEqual([SEG0, IDX0]);
        expect(committer.commits).toHaveLength(1);
        expect(log.highWatermark).toBe(200n);
      });

      it("with one flush in flight, buffers appends made during a flush for the next one", async () => {
        const log = await openLog({ flushAgeMs: 5, maxFlushesInFlight: 1 });
        const release = store.holdPuts();
        const first = log.append(makeBatch());
        await sleep(20);
        expect(store.puts).toHaveLength(2);
        const during = Array.from({ length: 50 }, () => log.append(makeBatch()));
        await sleep(20);
        expect(store.puts).toHaveLength(2);
        release();
        await first.durable;
        await Promise.all(during.map((r) => r.durable));
        expect(committer.commits.map((c) => [c.baseOffset, c.lastOffset])).toEqual([
          [0n, 0n],
          [1n, 50n],
        ]);
      });

      it("writes a full buffer's objects while the previous flush commits, commits in offset order, and keeps at most two in flight", async () => {
        const batch = makeBatch({ valueSize: 500 });
        const log = await openLog({ flushBytes: 3 * batch.length, flushAgeMs: 60_000 });
        const release = committer.holdCommits();
        const fill = () => Array.from({ length: 3 }, () => log.append(makeBatch({ valueSize: 500 })));
        const first = fill();
        await sleep(30);
        expect(store.puts).toHaveLength(2);
        const second = fill();
        await sleep(30);
        expect(store.puts).toHaveLength(4); // written while the first commit waits
        const third = fill();
        await sleep(30);
        expect(store.puts).toHaveLength(4); // two flushes in flight: the third waits
        expect(log.highWatermark).toBe(0n);
        release();
        await Promise.all([...first, ...second, ...third].map((r) => r.durable));
        expect(committer.commits.map((c) => [c.baseOffset, c.lastOffset])).toEqual([
          [0n, 2n],
          [3n, 5n],
          [6n, 8n],
        ]);
        expect((await log.read(0n, 1 << 20)).map(baseOffsetOf)).toEqual(Array.from({ length: 9 }, (_, i) => BigInt(i)));
      });

      it("beside a flush in flight, a buffer due by age waits for it and keeps filling", async () => {
        const log = await openLog({ flushAgeMs: 5 });
        const release = committer.holdCommits();
        const first = log.append(makeBatch());
        await sleep(30);
        const behind = Array.from({ length: 5 }, () => log.append(makeBatch()));
        await sleep(30);
        expect(store.puts).toHaveLength(2);
        release();
        await Promise.all([first, ...behind].map((r) => r.durable));
        expect(committer.commits.map((c) => [c.baseOffset, c.lastOffset])).toEqual([
          [0n, 0n],
          [1n, 5n],
        ]);
      });

      it("a failed commit drops the flush written after it, and gives its offsets to the next appends", async () => {
        const batch = makeBatch({ valueSize: 500 });
        const log = await openLog({ flushBytes: batch.length, flushAgeMs: 60_000 });
        const release = committer.holdCommits();
        committer.failNextCommits.push(new Error("etcd unavailable"));
        const first = log.append(makeBatch({ valueSize: 500, fill: 1 }));
        await sleep(30);
        const second = log.append(makeBatch({ valueSize: 500, fill: 2 }));
        await sleep(30);
        expect(store.puts).toHaveLength(4);
        release();
        expect((await rejection(first.durable)).code).toBe("FLUSH_FAILED");
        const dropped = await rejection(second.durable);
        expect(dropped.code).toBe("FLUSH_FAILED");
        expect(dropped.message).toMatch(/dropped: an earlier flush failed/);
        expect(log.logEndOffset).toBe(0n);
        expect(log.pendingBytes).toBe(0);
        const retried = log.append(makeBatch({ valueSize: 500, fill: 3 }));
        expect(retried.baseOffset).toBe(0n);
        await retried.durable;
        const read = await log.read(0n, 1 << 20);
        expect(read.map(baseOffsetOf)).toEqual([0n]);
        expect(read[0]!.at(-2)).toBe(3);
        expect(committer.commits.map((c) => c.baseOffset)).toEqual([0n]);
      });

      it("flushes by size without waiting for the age", async () => {
        const batch = makeBatch({ valueSize: 1000 });
        const log = await openLog({ flushBytes: 3 * batch.length, flushAgeMs: 60_000 });
        const results = [log.append(makeBatch({ valueSize: 1000 })), log.append(makeBatch({ valueSize: 1000 }))];
        await sleep(20);
        expect(store.puts).toHaveLength(0);
        results.push(log.append(makeBatch({ valueSize: 1000 })));
        await Promise.all(results.map((r) => r.durable));
        expect(committer.commits).toHaveLength(1);
      });

      it("flushes by age when the size is not reached", async () => {
        const log = await openLog({ flushAgeMs: 40 });
        const started = Date.now();
        const { durable } = log.append(makeBatch());
        await sleep(10);
        expect(store.puts).toHaveLength(0);
        await durable;
        expect(Date.now() - started).toBeGreaterThanOrEqual(35);
        expect(committer.commits).toHaveLength(1);
      });

      it("flush() resolves at once when nothing is pending, and close() flushes", async () => {
        const log = await openLog();
        await log.flush();
        expect(store.puts).toHaveLength(0);
        const { durable } = log.append(makeBatch());
        await log.close();
        await durable;
        expect(committer.commits).toHaveLength(1);
        const err = thrown(() => log.append(makeBatch()));
        expect(err.code).toBe("CLOSED");
        expect(kafkaErrorCodeFor(err)).toBe(6);
        expect((await rejection(log.read(0n, 1))).code).toBe("CLOSED");
      });
    });

    describe("flush failure", () => {
      it("rejects every waiter, rolls offsets back and never shows the failed data", async () => {
        const log = await openLog();
        await log.append(makeBatch({ fill: 1 })).durable;
        store.failPuts = new StorageError("IO", "disk on fire");
        const release = store.holdPuts();
        const failing = [log.append(makeBatch({ fill: 2 })), log.append(makeBatch({ fill: 3 }))];
        const flushing = log.flush();
        const behind = log.append(makeBatch({ fill: 4 }));
        expect(behind.baseOffset).toBe(3n);
        release();
        const errors = await Promise.all([...failing, behind].map((r) => rejection(r.durable)));
        for (const err of errors) {
          expect(err.code).toBe("FLUSH_FAILED");
          expect(kafkaErrorCodeFor(err)).toBe(56);
        }
        expect((await rejection(flushing)).code).toBe("FLUSH_FAILED");
        expect(log.highWatermark).toBe(1n);
        expect(log.logEndOffset).toBe(1n);
        expect(log.pendingBytes).toBe(0);
        expect(await log.read(1n, 1 << 20)).toEqual([]);

        store.failPuts = null;
        const retry = log.append(makeBatch({ fill: 5 }));
        expect(retry.baseOffset).toBe(1n);
        await retry.durable;
        const read = await log.read(0n, 1 << 20);
        expect(read.map(baseOffsetOf)).toEqual([0n, 1n]);
        expect(read[1]!.at(-2)).toBe(5); // the last value byte (the record ends with its header count)
        expect(committer.commits.map((c) => c.baseOffset)).toEqual([0n, 1n]);
      });

      it("replaces the orphans of a flush whose commit failed", async () => {
        const log = await openLog();
        committer.failNextCommits.push(new Error("etcd unavailable"));
        const failed = log.append(makeBatch({ records: 2, fill: 1 }));
        expect((await rejection(failed.durable)).code).toBe("FLUSH_FAILED");
        expect(await store.keys(PREFIX)).toEqual([IDX0, SEG0]);
        expect(log.highWatermark).toBe(0n);

        const retried = log.append(makeBatch({ records: 3, fill: 9 }));
        expect(retried.baseOffset).toBe(0n);
        await retried.durable;
        expect(committer.orphanChecks.map((c) => [c.key, c.committedNextOffset]).sort()).toEqual([
          [IDX0, 0n],
          [SEG0, 0n],
        ]);
        const { footer } = verifySegment(await store.inner.get(SEG0));
        expect(footer.lastOffset).toBe(2n);
        expect((await log.read(0n, 1 << 20)).map((b) => readBatchHeader(b).recordCount)).toEqual([3]);
      });

      it("fences the log when the committer refuses the epoch", async () => {
        const log = await openLog();
        committer.failNextCommits.push(new StorageError("FENCED", "leader epoch moved"));
        const first = log.append(makeBatch());
        const err = await rejection(first.durable);
        expect(err.code).toBe("FENCED");
        expect(kafkaErrorCodeFor(err)).toBe(6);
        const again = thrown(() => log.append(makeBatch()));
        expect(again.code).toBe("FENCED");
        await log.close();
      });

      it("fences the log when an orphan may not be deleted", async () => {
        const log = await openLog();
        await store.inner.putIfAbsent(SEG0, Uint8Array.of(1, 2, 3));
        committer.refuseOrphans = new StorageError("FENCED", "not the leader any more");
        expect((await rejection(log.append(makeBatch()).durable)).code).toBe("FENCED");
        expect(await store.inner.get(SEG0)).toEqual(Uint8Array.of(1, 2, 3));
      });
    });

    describe("restart", () => {
      it("restores from metadata and reads old segments through the index with one ranged GET", async () => {
        const first = await openLog({ indexInterval: 4 });
        for (let s = 0; s < 3; s++) {
          for (let i = 0; i < 20; i++) first.append(makeBatch({ records: 2, valueSize: 200, fill: s * 20 + i }));
          await first.flush();
        }
        await first.close();
        expect(first.highWatermark).toBe(120n);

        const restarted = await openLog({ indexInterval: 4, wholeReadMaxBytes: 0, cache: createSegmentCache({ maxBytes: 1024 * 1024 }) });
        expect(restarted.logStartOffset).toBe(0n);
        expect(restarted.highWatermark).toBe(120n);
        expect(restarted.segments.map((s) => s.baseOffset)).toEqual([0n, 40n, 80n]);

        store.gets.length = 0;
        const one = makeBatch({ records: 2, valueSize: 200 }).length;
        const read = await restarted.read(57n, 3 * one);
        expect(read.map(baseOffsetOf)).toEqual([56n, 58n, 60n]);
        expect(read[0]!.at(-2)).toBe(28); // the last value byte (the record ends with its header count)
        const segmentKey = `${PREFIX}segment-00000000000000000040.kfs`;
        expect(store.gets.map((g) => g.key)).toEqual([`${PREFIX}segment-00000000000000000040.index`, segmentKey]);
        // Entries every 4 messages = every 2 batches: 56 is indexed, so the GET starts exactly there.
        expect(store.gets[1]!.range!.start).toBe(32 + 8 * one);

        store.gets.length = 0;
        await restarted.read(41n, 1);
        expect(store.gets.map((g) => g.key)).toEqual([segmentKey]);

        const all = await restarted.read(0n, 10 << 20);
        expect(all.map(baseOffsetOf)).toEqual(Array.from({ length: 60 }, (_, i) => BigInt(2 * i)));
        const next = restarted.append(makeBatch());
        expect(next.baseOffset).toBe(120n);
        await next.durable;
      });

      it("reads a small segment with one GET of the whole object, then from the cache", async () => {
        const first = await openLog({ indexInterval: 4 });
        for (let s = 0; s < 3; s++) {
          for (let i = 0; i < 10; i++) first.append(makeBatch({ records: 2, valueSize: 100, fill: s * 10 + i }));
          await first.flush();
        }
        await first.close();
        const restarted = await openLog({ cache: createSegmentCache({ maxBytes: 1024 * 1024 }) });
        store.gets.length = 0;
        expect((await restarted.read(25n, 1)).map(baseOffsetOf)).toEqual([24n]);
        expect(store.gets).toEqual([{ key: `${PREFIX}segment-00000000000000000020.kfs`, range: undefined }]);
        store.gets.length = 0;
        expect((await restarted.read(21n, 1 << 20)).map(baseOffsetOf)).toEqual([20n, 22n, 24n, 26n, 28n, 30n, 32n, 34n, 36n, 38n, 40n, 42n, 44n, 46n, 48n, 50n, 52n, 54n, 56n, 58n]);
        expect(store.gets.map((g) => g.key)).toEqual([`${PREFIX}segment-00000000000000000040.kfs`]);
      });

      it("refuses a segment damaged in the store, read whole or by range", async () => {
        const first = await openLog();
        for (let i = 0; i < 4; i++) first.append(makeBatch({ records: 2, valueSize: 200, fill: i }));
        await first.close();
        const bytes = Uint8Array.from(await store.inner.get(SEG0));
        bytes[bytes.length - 100]! ^= 0xff; // inside the last batch's records
        await store.inner.delete(SEG0);
        await store.inner.putIfAbsent(SEG0, bytes);
        for (const wholeReadMaxBytes of [0, 1 << 20]) {
          const restarted = await openLog({ wholeReadMaxBytes, cache: createSegmentCache({ maxBytes: 1024 * 1024 }) });
          const err = await rejection(restarted.read(6n, 1 << 20));
          expect(err.code).toBe("CORRUPT_SEGMENT");
          expect(kafkaErrorCodeFor(err)).toBe(56);
        }
      });

      it("prefetch() loads the segments a read needs in parallel, and a read then needs no GET", async () => {
        const first = await openLog();
        for (let s = 0; s < 6; s++) {
          first.append(makeBatch({ records: 1, valueSize: 100, fill: s }));
          await first.flush();
        }
        await first.close();
        const restarted = await openLog({ cache: createSegmentCache({ maxBytes: 1024 * 1024 }) });
        const sizes = restarted.segments.slice(1, 4).map((s) => s.sizeBytes);
        await restarted.prefetch(1n, sizes[0]! + sizes[1]! + sizes[2]!);
        expect(store.gets.map((g) => g.key).sort()).toEqual([1, 2, 3].map((b) => `${PREFIX}segment-${String(b).padStart(20, "0")}.kfs`));
        store.gets.length = 0;
        expect((await restarted.read(1n, 3 * makeBatch({ records: 1, valueSize: 100 }).length)).map(baseOffsetOf)).toEqual([1n, 2n, 3n]);
        expect(store.gets).toEqual([]);
      });

      it("returns the batches read so far when a later segment cannot be read", async () => {
        const first = await openLog();
        for (let s = 0; s < 3; s++) {
          first.append(makeBatch({ records: 1, valueSize: 100, fill: s }));
          await first.flush();
        }
        await first.close();
        const restarted = await openLog({ cache: createSegmentCache({ maxBytes: 1024 * 1024 }) });
        await fixture.store.delete(`${PREFIX}segment-00000000000000000001.kfs`);
        expect((await restarted.read(0n, 1 << 20)).map(baseOffsetOf)).toEqual([0n]);
        expect(kafkaErrorCodeFor(await rejection(restarted.read(1n, 1 << 20)))).toBe(56);
      });

      it("reads a batch larger than maxBytes whole from the store", async () => {
        const first = await openLog({ indexInterval: 1 });
        first.append(makeBatch({ records: 50, valueSize: 3000 }));
        first.append(makeBatch({ valueSize: 100 }));
        first.append(makeBatch({ records: 50, valueSize: 3000 }));
        await first.close();
        const restarted = await openLog({ wholeReadMaxBytes: 0, cache: createSegmentCache({ maxBytes: 1024 }) });
        for (const [offset, base] of [
          [0n, 0n],
          [10n, 0n],
          [50n, 50n],
          [51n, 51n],
          [99n, 51n],
        ] as const) {
          const read = await restarted.read(offset, 1);
          expect(read.map(baseOffsetOf)).toEqual([base]);
          expect(verifyBatchCrc(read[0]!)).toBe(true);
        }
        store.gets.length = 0;
        expect((await restarted.read(0n, 1)).map((b) => b.length)).toEqual([makeBatch({ records: 50, valueSize: 3000 }).length]);
        // The 150 KB batch does not fit the first 64 KiB window: a second GET fetches it whole.
        expect(store.gets.map((g) => g.range?.start)).toEqual([32, 32]);
      });

      it("ignores objects beyond the committed end and writes over them", async () => {
        const first = await openLog();
        await first.append(makeBatch({ records: 5 })).durable;
        await first.close();
        const orphan = `${PREFIX}segment-00000000000000000005.kfs`;
        await store.inner.putIfAbsent(orphan, Uint8Array.of(0xde, 0xad));
        await store.inner.putIfAbsent(`${PREFIX}segment-00000000000000000099.kfs`, Uint8Array.of(0xde, 0xad));

        const restarted = await openLog();
        expect(restarted.highWatermark).toBe(5n);
        expect(await restarted.read(0n, 1 << 20)).toHaveLength(1);
        await restarted.append(makeBatch({ records: 2 })).durable;
        expect(verifySegment(await store.inner.get(orphan)).header.baseOffset).toBe(5n);
        expect((await restarted.read(5n, 1 << 20)).map(baseOffsetOf)).toEqual([5n]);
      });
    });

    describe("sweepOrphans()", () => {
      const key = (base: number, ext: "kfs" | "index", prefix = PREFIX): string => `${prefix}segment-${String(base).padStart(20, "0")}.${ext}`;

      it("deletes unreferenced segment objects below the committed end and nothing else", async () => {
        const log = await openLog();
        await log.append(makeBatch({ records: 5 })).durable; // segment 0..4
        await log.append(makeBatch({ records: 3 })).durable; // segment 5..7
        const committed = await store.keys(PREFIX);
        const junk = Uint8Array.of(0xde, 0xad);
        for (const k of [key(2, "kfs"), key(2, "index"), key(8, "kfs"), key(99, "index"), `${PREFIX}notes.txt`, key(2, "kfs", "default/orders/1/")]) {
          await store.inner.putIfAbsent(k, junk);
        }

        expect((await log.sweepOrphans()).sort()).toEqual([key(2, "index"), key(2, "kfs")]);
        expect(await store.keys(PREFIX)).toEqual([...committed, key(8, "kfs"), key(99, "index"), `${PREFIX}notes.txt`].sort());
        expect(await store.keys("default/orders/1/")).toEqual([key(2, "kfs", "default/orders/1/")]);
        expect((await log.read(0n, 1 << 20)).map(baseOffsetOf)).toEqual([0n, 5n]);
        expect(await log.sweepOrphans()).toEqual([]);
      });

      it("deletes the objects of a segment whose deletion below the log start was interrupted", async () => {
        const log = await openLog();
        await log.append(makeBatch({ records: 5 })).durable;
        await log.append(makeBatch({ records: 5 })).durable;
        const seg0 = await store.inner.get(SEG0);
        await log.deleteRecordsBefore(5n);
        await store.inner.putIfAbsent(SEG0, seg0); // as if the delete had failed
        expect(await log.sweepOrphans()).toEqual([SEG0]);
        expect(await store.keys(PREFIX)).toEqual([key(5, "kfs"), key(5, "index")].sort());
      });
    });

    describe("DeleteRecords and retention", () => {
      /** Three segments of three 2-record batches; segment s has timestamps around 10_000 × (s + 1). */
      async function threeSegments(overrides: Partial<OpenPartitionLogConfig> = {}): Promise<PartitionLog> {
        const log = await openLog(overrides);
        for (let s = 0; s < 3; s++) {
          for (let i = 0; i < 3; i++) log.append(makeBatch({ records: 2, baseTimestamp: 10_000 * (s + 1) + i }));
          await log.flush();
        }
        return log;
      }

      it("deleteRecordsBefore() moves the log start and deletes only whole segments below it", async () => {
        const log = await threeSegments();
        const result = await log.deleteRecordsBefore(9n);
        expect(result.logStartOffset).toBe(9n);
        expect(result.deletedSegments.map((s) => [s.baseOffset, s.lastOffset])).toEqual([[0n, 5n]]);
        expect(result.undeletedKeys).toEqual([]);
        expect(committer.logStarts).toMatchObject([{ logStartOffset: 9n }]);
        expect(await store.keys(PREFIX)).not.toContain(SEG0);
        expect(await store.keys(PREFIX)).not.toContain(IDX0);
        expect(log.logStartOffset).toBe(9n);
        expect((await log.read(9n, 1 << 20)).map(baseOffsetOf)).toEqual([8n, 10n, 12n, 14n, 16n]);
        expect((await rejection(log.read(7n, 1))).code).toBe("OFFSET_OUT_OF_RANGE");
        expect((await log.deleteRecordsBefore(3n)).deletedSegments).toEqual([]);
        expect(log.logStartOffset).toBe(9n);
      });

      it("deleteRecordsBefore() refuses offsets past the high watermark and takes -1 as the high watermark", async () => {
        const log = await threeSegments({ flushAgeMs: 60_000 });
        log.append(makeBatch());
        expect((await rejection(log.deleteRecordsBefore(19n))).code).toBe("OFFSET_OUT_OF_RANGE");
        const result = await log.deleteRecordsBefore(-1n);
        expect(result.logStartOffset).toBe(18n);
        expect(result.deletedSegments).toHaveLength(3);
        expect(await store.keys(PREFIX)).toEqual([]);
        await log.flush();
        expect((await log.read(18n, 1 << 20)).map(baseOffsetOf)).toEqual([18n]);
      });

      it("enforceRetention() deletes by newest timestamp, oldest first, after committing the new start", async () => {
        const log = await threeSegments();
        const present: string[][] = [];
        committer.onLogStart = async () => {
          present.push(await store.keys(PREFIX));
        };
        expect((await log.enforceRetention({ retentionMs: 100_000, retentionBytes: -1, nowMs: 30_000 })).deletedSegments).toEqual([]);
        const result = await log.enforceRetention({ retentionMs: 5_000, retentionBytes: -1, nowMs: 25_003 });
        expect(result.deletedSegments.map((s) => s.baseOffset)).toEqual([0n]);
        expect(result.logStartOffset).toBe(6n);
        expect(present[0]).toContain(SEG0);
        expect(await store.keys(PREFIX)).toHaveLength(4);
        const all = await log.enforceRetention({ retentionMs: 0, retentionBytes: -1, nowMs: 1e9 });
        expect(all.deletedSegments).toHaveLength(2);
        expect(all.logStartOffset).toBe(18n);
        expect(log.logEndOffset).toBe(18n);
        expect(await log.read(18n, 1)).toEqual([]);
      });

      it("enforceRetention() deletes by size while the rest still reaches retentionBytes", async () => {
        const log = await threeSegments();
        const sizes = log.segments.map((s) => s.sizeBytes);
        const keepTwo = sizes[1]! + sizes[2]!;
        expect((await log.enforceRetention({ retentionMs: -1, retentionBytes: keepTwo + 1, nowMs: 0 })).deletedSegments).toEqual([]);
        const result = await log.enforceRetention({ retentionMs: -1, retentionBytes: keepTwo, nowMs: 0 });
        expect(result.deletedSegments.map((s) => s.baseOffset)).toEqual([0n]);
        expect(log.segments.map((s) => s.baseOffset)).toEqual([6n, 12n]);
      });
    });

    describe("against a model", () => {
      it("agrees with a list of batches under random appends, flushes, reads, restarts and DeleteRecords", async () => {
        let seed = 0x5eed;
        const random = (n: number): number => {
          seed = (seed * 1103515245 + 12345) & 0x7fffffff;
          return (seed >>> 8) % n;
        };
        const model: { base: bigint; last: bigint; bytes: Uint8Array }[] = [];
        let pending: { bytes: Uint8Array; count: number }[] = [];
        let end = 0n;
        const commitPending = (): void => {
          for (const { bytes, count } of pending) {
            model.push({ base: end, last: end + BigInt(count - 1), bytes: bytes.slice() });
            end += BigInt(count);
          }
          pending = [];
        };
        let log = await openLog({ indexInterval: 3, flushAgeMs: 60_000 });
        for (let step = 0; step < 150; step++) {
          const op = random(10);
          if (op < 5) {
            const count = 1 + random(4);
            const batch = makeBatch({ records: count, valueSize: 10 + random(3000), fill: step & 0xff });
            log.append(batch);
            pending.push({ bytes: batch, count });
          } else if (op < 7) {
            await log.flush();
            commitPending();
          } else if (op < 9 && model.length > 0) {
            const start = log.logStartOffset;
            const offset = start + BigInt(random(Number(log.highWatermark - start) + 1));
            const maxBytes = random(8000);
            const expected: Uint8Array[] = [];
            let used = 0;
            for (const batch of model) {
              if (batch.last < offset) continue;
              if (expected.length > 0 && used + batch.bytes.length > maxBytes) break;
              expected.push(batch.bytes);
              used += batch.bytes.length;
            }
            const read = await log.read(offset, maxBytes);
            expect(read.map(hex)).toEqual(expected.map(hex));
          } else if (random(2) === 0) {
            await log.close();
            commitPending();
            log = await openLog({ indexInterval: 3, flushAgeMs: 60_000, cache: createSegmentCache({ maxBytes: random(2) === 0 ? 1 : 1 << 20 }) });
          } else if (model.length > 0) {
            const target = log.logStartOffset + BigInt(random(Number(log.highWatermark - log.logStartOffset) + 1));
            const { deletedSegments } = await log.deleteRecordsBefore(target);
            for (const segment of deletedSegments) {
              while (model.length > 0 && model[0]!.last <= segment.lastOffset) model.shift();
            }
            expect(log.logStartOffset).toBe(target > 0n ? target : 0n);
          }
        }
      });
    });

    describe("timestamps", () => {
      it("finds the first offset at or after a timestamp, across segments and compressed batches, before and after restart", async () => {
        const log = await openLog();
        log.append(makeBatch({ timestamps: [100, 110, 120] }));
        log.append(makeBatch({ timestamps: [130, 125, 140], compression: "gzip" }));
        await log.flush();
        log.append(makeBatch({ timestamps: [200, 210], compression: "zstd" }));
        log.append(makeBatch({ timestamps: [300, 290, 310], compression: "lz4" }));
        log.append(makeBatch({ timestamps: [305], compression: "snappy" }));
        await log.flush();

        const cases: [bigint, bigint | null, bigint | null][] = [
          [0n, 0n, 100n],
          [100n, 0n, 100n],
          [105n, 1n, 110n],
          [121n, 3n, 130n],
          [126n, 3n, 130n],
          [131n, 5n, 140n],
          [141n, 6n, 200n],
          [205n, 7n, 210n],
          [295n, 8n, 300n],
          [301n, 10n, 310n],
          [311n, null, null],
        ];
        const check = async (l: PartitionLog): Promise<void> => {
          for (const [ts, offset, timestamp] of cases) {
            const found = await l.offsetForTimestamp(ts);
            expect([ts, found?.offset ?? null, found?.timestamp ?? null]).toEqual([ts, offset, timestamp]);
          }
          expect(await l.maxTimestampOffset()).toEqual({ offset: 10n, timestamp: 310n });
        };
        await check(log);
        await log.close();
        await check(await openLog({ cache: createSegmentCache({ maxBytes: 1 }) }));
        const partial = await openLog({ segments: committer.segments.map(({ maxTimestampMs: _, ...rest }) => rest) });
        await check(partial);
      });

      it("skips records below the log start and finds nothing in an empty log", async () => {
        const log = await openLog();
        expect(await log.offsetForTimestamp(0n)).toBeNull();
        expect(await log.maxTimestampOffset()).toBeNull();
        log.append(makeBatch({ timestamps: [500, 100, 200] }));
        log.append(makeBatch({ timestamps: [300] }));
        await log.flush();
        await log.deleteRecordsBefore(1n);
        expect(await log.offsetForTimestamp(0n)).toEqual({ offset: 1n, timestamp: 100n });
        expect(await log.maxTimestampOffset()).toEqual({ offset: 3n, timestamp: 300n });
      });
    });
  });
}
