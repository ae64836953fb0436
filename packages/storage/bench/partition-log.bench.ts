/**
 * PartitionLog throughput on file:// (not a test; run with
 * `pnpm --filter @kafscale/storage bench:partition-log`, i.e. tsx).
 *
 * Write: PARTITIONS partitions, PRODUCERS_PER_PARTITION producers each
 * (append a batch, await `durable`, repeat), batches of 1 KiB records of 16,
 * 32 and 64 KiB, at flushAgeMs 5 and 50. Reported: MB/s of durable data,
 * flushes/s, and p50/p99 append→durable latency.
 *
 * Read: a consumer per partition reading everything with 1 MiB fetches,
 * (a) hot, from the segment cache filled by the flushes, (b) cold, after a
 * restart with no cache (index + ranged GETs).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeBatch } from "@kafscale/protocol/records";
import {
  createFileObjectStore,
  createSegmentCache,
  PartitionLog,
  type LogCommitter,
  type ObjectStore,
  type SegmentCache,
  type SegmentCommit,
  type SegmentInfo,
} from "../src/index.js";

const PARTITIONS = 4;
const PRODUCERS_PER_PARTITION = 16;
const RUN_MS = Number(process.env.BENCH_RUN_MS ?? 2_500);
const RECORD_BYTES = 1024;
const FETCH_BYTES = 1024 * 1024;

class MemoryCommitter implements LogCommitter {
  readonly segments = new Map<number, SegmentInfo[]>();
  flushes = 0;

  async commitSegment(info: SegmentCommit): Promise<void> {
    this.flushes++;
    const list = this.segments.get(info.partition) ?? [];
    list.push({
      baseOffset: info.baseOffset,
      lastOffset: info.lastOffset,
      sizeBytes: info.sizeBytes,
      messageCount: info.messageCount,
      createdAtMs: info.createdAtMs,
      maxTimestampMs: info.maxTimestampMs,
    });
    this.segments.set(info.partition, list);
  }
}

function makeBatch(records: number, seed: number): Uint8Array {
  const value = new Uint8Array(RECORD_BYTES);
  for (let i = 0; i < value.length; i++) value[i] = (seed * 31 + i * 7) & 0xff;
  return encodeBatch({
    baseOffset: 0n,
    baseTimestamp: BigInt(Date.now()),
    records: Array.from({ length: records }, () => ({ value })),
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const mb = (bytes: number, ms: number): string => ((bytes / 1e6 / ms) * 1000).toFixed(1);

interface WriteResult {
  store: ObjectStore;
  committer: MemoryCommitter;
  cache: SegmentCache;
  logs: PartitionLog[];
}

async function writePhase(root: string, flushAgeMs: number, recordsPerBatch: number): Promise<WriteResult> {
  const store = await createFileObjectStore(root);
  const committer = new MemoryCommitter();
  const cache = createSegmentCache({ maxBytes: 512 * 1024 * 1024 });
  const logs = await Promise.all(
    Array.from({ length: PARTITIONS }, (_, partition) =>
      PartitionLog.open({ store, committer, topic: "bench", partition, flushAgeMs, cache }),
    ),
  );
  const template = makeBatch(recordsPerBatch, recordsPerBatch);
  const latencies: number[] = [];
  let bytes = 0;
  const deadline = performance.now() + RUN_MS;
  const started = performance.now();
  await Promise.all(
    logs.flatMap((log) =>
      Array.from({ length: PRODUCERS_PER_PARTITION }, async () => {
        // Each producer owns its buffer: the log keeps it until the flush copies it.
        const batch = template.slice();
        while (performance.now() < deadline) {
          const t0 = performance.now();
          await log.append(batch).durable;
          latencies.push(performance.now() - t0);
          bytes += batch.length;
        }
      }),
    ),
  );
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  console.log(
    [
      `write flushAgeMs=${String(flushAgeMs).padStart(2)}`,
      `batch=${String(recordsPerBatch).padStart(2)}×1 KiB (${template.length} B)`,
      `${mb(bytes, elapsed).padStart(6)} MB/s durable`,
      `${((committer.flushes / elapsed) * 1000).toFixed(0).padStart(4)} flushes/s`,
      `${(bytes / Math.max(1, committer.flushes) / 1024).toFixed(0).padStart(5)} KiB/flush`,
      `latency p50 ${percentile(latencies, 50).toFixed(1)} ms p99 ${percentile(latencies, 99).toFixed(1)} ms`,
    ].join("  "),
  );
  return { store, committer, cache, logs };
}

async function readAll(logs: PartitionLog[]): Promise<{ bytes: number; ms: number }> {
  const started = performance.now();
  let bytes = 0;
  await Promise.all(
    logs.map(async (log) => {
      let offset = log.logStartOffset;
      while (offset < log.highWatermark) {
        const batches = await log.read(offset, FETCH_BYTES);
        if (batches.length === 0) break;
        for (const batch of batches) bytes += batch.length;
        const last = batches.at(-1)!;
        const view = new DataView(last.buffer, last.byteOffset, last.byteLength);
        offset = view.getBigInt64(0) + BigInt(view.getInt32(23)) + 1n;
      }
    }),
  );
  return { bytes, ms: performance.now() - started };
}

async function readPhase(written: WriteResult): Promise<void> {
  const hot = await readAll(written.logs);
  for (const log of written.logs) await log.close();
  const cold = await Promise.all(
    written.logs.map((log) => {
      const segments = written.committer.segments.get(log.partition) ?? [];
      return PartitionLog.open({
        store: written.store,
        committer: written.committer,
        topic: "bench",
        partition: log.partition,
        segments,
        cache: createSegmentCache({ maxBytes: 64 * 1024 }),
      });
    }),
  );
  const coldResult = await readAll(cold);
  for (const log of cold) await log.close();
  console.log(
    `read  ${(hot.bytes / 1e6).toFixed(0)} MB with 1 MiB fetches: ${mb(hot.bytes, hot.ms)} MB/s from the segment cache (zero-copy views), ` +
      `${mb(coldResult.bytes, coldResult.ms)} MB/s from file:// after a restart (index + ranged GETs)`,
  );
}

async function main(): Promise<void> {
  console.log(
    `PartitionLog on file://, ${PARTITIONS} partitions × ${PRODUCERS_PER_PARTITION} producers, 1 KiB records, ${RUN_MS} ms per run, node ${process.version}`,
  );
  for (const flushAgeMs of [5, 50]) {
    for (const recordsPerBatch of [16, 32, 64]) {
      const root = await mkdtemp(join(tmpdir(), "kafscale-bench-"));
      try {
        const written = await writePhase(root, flushAgeMs, recordsPerBatch);
        if (recordsPerBatch === 64) await readPhase(written);
        else for (const log of written.logs) await log.close();
        await written.store.close();
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    }
  }
}

await main();
