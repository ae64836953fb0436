/**
 * Protocol codec benchmark: @kafscale/protocol (built dist) against kafkajs and
 * @platformatic/kafka on 1 MiB of record batches (16 partitions x 64 KiB RecordBatch v2).
 *
 *   A.  Produce request decode   (the broker's inbound hot path)
 *   B.  Fetch response encode    (the broker's outbound hot path)
 *   C.  Produce request encode   (mirror of A: what clients do), batches given
 *   C'. Produce request built from records (batches encoded too)
 *   D.  Fetch response decode    (mirror of B: what clients do), records left raw
 *   D'. Fetch response decode with every record parsed
 *
 * What each row measures, and the recorded figures: docs/benchmarks.md.
 *
 * Run from the repo root with `pnpm bench`. Environment: BENCH_ROUNDS (default 5) interleaved
 * rounds, BENCH_TIME_MS (default 300) per row and round, BENCH_FILTER (substring of group
 * names), BENCH_OUT (JSON results path).
 */
import { execSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  FetchResponse,
  ProduceRequest,
  decodeRequestHeader,
  encodeRequestFrame,
  encodeResponseFrame,
  type FetchResponse as FetchResponseMessage,
} from "@kafscale/protocol";
import * as kjs from "./codecs/kafkajs.js";
import * as plt from "./codecs/platformatic.js";
import {
  BASE_TIMESTAMP,
  PARTITIONS,
  RECORDS_BYTES,
  TOPIC,
  TOPIC_ID,
  asBuffer,
  buildPayload,
  fetchResponse,
  produceRequest,
  type BenchRecord,
} from "./fixtures.js";
import { packageVersion } from "./package-version.js";
import { fmtBytes, fmtGB, fmtOps, fmtRatio, markdownTable, runCases, type Case, type Result } from "./harness.js";

const here = dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------- records helpers (optional)

interface KafkaRecordLike {
  key: Uint8Array | null;
  value: Uint8Array | null;
}
interface RecordsHelpers {
  encodeBatch(input: {
    baseOffset: bigint;
    baseTimestamp: bigint;
    records: readonly { key?: Uint8Array | null; value: Uint8Array | null; timestampDelta?: bigint; offsetDelta?: number }[];
    producerId?: bigint;
    producerEpoch?: number;
    baseSequence?: number;
  }): Uint8Array;
  decodeBatch(bytes: Uint8Array, options?: { verifyCrc?: boolean }): { records: KafkaRecordLike[] };
  verifyBatchCrc(bytes: Uint8Array): boolean;
  splitBatches(bytes: Uint8Array): { batches: { bytes: Uint8Array }[]; partial: unknown };
}

async function loadRecordsHelpers(): Promise<RecordsHelpers | null> {
  try {
    const m = (await import("@kafscale/protocol/records")) as unknown as Partial<RecordsHelpers>;
    const needed = ["encodeBatch", "decodeBatch", "verifyBatchCrc", "splitBatches"] as const;
    return needed.every((k) => typeof m[k] === "function") ? (m as RecordsHelpers) : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- checks

const failures: string[] = [];
function check(ok: boolean, what: string): void {
  if (!ok) failures.push(what);
  console.log(`  ${ok ? "ok  " : "FAIL"} ${what}`);
}
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(asBuffer(a), asBuffer(b)) === 0;
const join = (chunks: readonly Uint8Array[]): Buffer => Buffer.concat(chunks);

/** True when `view` shares memory with `whole` (same ArrayBuffer, inside its range). */
function isViewOf(view: Uint8Array, whole: Uint8Array): boolean {
  return (
    view.buffer === whole.buffer &&
    view.byteOffset >= whole.byteOffset &&
    view.byteOffset + view.byteLength <= whole.byteOffset + whole.byteLength
  );
}

// ---------------------------------------------------------------- machine

function machine(): Record<string, string> {
  const cpuinfo = (() => {
    try {
      return readFileSync("/proc/cpuinfo", "utf8");
    } catch {
      return "";
    }
  })();
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? "unknown";
  const flags = /flags\s*:\s*(.+)/.exec(cpuinfo)?.[1] ?? "";
  let nproc = String(os.availableParallelism());
  try {
    nproc = execSync("nproc", { encoding: "utf8" }).trim();
  } catch {
    /* keep os value */
  }
  return {
    nproc,
    cpu: model,
    "cpu flags (crc)": ["sse4_2", "avx2", "avx512f"].filter((f) => flags.split(" ").includes(f)).join(" ") || "n/a",
    ram: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    v8: process.versions.v8,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    tinybench: packageVersion("tinybench"),
    kafkajs: kjs.kafkajsVersion,
    "@platformatic/kafka": plt.platformaticVersion,
  };
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const timeMs = Number(process.env.BENCH_TIME_MS ?? 300);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  const filter = process.env.BENCH_FILTER ?? "";
  const rssStart = process.memoryUsage().rss;

  console.log("# @kafscale/protocol codec benchmark\n");
  const m = machine();
  for (const [k, v] of Object.entries(m)) console.log(`${k.padEnd(20)} ${v}`);
  console.log(`${"timing".padEnd(20)} tinybench, ${rounds} interleaved rounds x ${timeMs} ms per row (+ warmup), gc() before each row; best and median round`);
  console.log(`${"gc exposed".padEnd(20)} ${typeof (globalThis as { gc?: unknown }).gc === "function" ? "yes" : "no (memory column n/a)"}`);

  const payload = buildPayload();
  const { produceBatches, fetchBatches, recordsByPartition } = payload;
  const recordsPerBatch = recordsByPartition[0]!.length;
  console.log(
    `\npayload: ${PARTITIONS} partitions x 1 RecordBatch v2 of ${produceBatches[0]!.length} bytes = ${RECORDS_BYTES} bytes of records ` +
      `(${recordsPerBatch} records per batch: ${recordsPerBatch - 1} x 16-byte key + 1000-byte value, the last one sized to fill 64 KiB; uncompressed)`,
  );
  const helpers = await loadRecordsHelpers();
  console.log(`records helpers (@kafscale/protocol/records): ${helpers === null ? "not available, those rows are skipped" : "available"}`);

  // ------------------------------------------------------------ wire inputs
  const produceMsg = produceRequest(produceBatches);
  const fetchMsg = fetchResponse(fetchBatches);
  const produceVersions = [7, 9, 11];
  const fetchVersions = [11, 12, 17];
  const produceBody = new Map<number, Buffer>();
  for (const v of produceVersions) produceBody.set(v, asBuffer(ProduceRequest.encode(produceMsg, v)));
  const fetchBody = new Map<number, Buffer>();
  for (const v of fetchVersions) fetchBody.set(v, asBuffer(FetchResponse.encode(fetchMsg, v)));
  // A whole Produce request frame (size, header, body), as the broker reads it off the socket.
  const produceFrame = new Map<number, Buffer>();
  for (const v of produceVersions) produceFrame.set(v, join(encodeRequestFrame(0, v, 42, "bench-producer", produceMsg)));

  const kPartitions: kjs.KFetchPartitionInput[] = fetchMsg.responses[0]!.partitions.map((p) => ({
    partitionIndex: p.partitionIndex,
    errorCode: p.errorCode,
    highWatermark: p.highWatermark,
    lastStableOffset: p.lastStableOffset!,
    logStartOffset: p.logStartOffset!,
    preferredReadReplica: p.preferredReadReplica!,
    records: p.records as Buffer,
  }));

  // Client-API inputs: the same records as messages.
  const kMessages: kjs.KMessage[][] = recordsByPartition.map((rs) =>
    rs.map((r) => ({ key: r.key, value: r.value, timestamp: Number(BASE_TIMESTAMP) + r.timestampDelta })),
  );
  const pMessages: plt.MessageRecord[] = recordsByPartition.flatMap((rs, partition) =>
    rs.map((r) => ({ topic: TOPIC, partition, key: r.key, value: r.value, timestamp: BASE_TIMESTAMP + BigInt(r.timestampDelta) })),
  );
  const ourBatchInputs = recordsByPartition.map((rs: BenchRecord[]) =>
    rs.map((r, i) => ({ key: r.key, value: r.value, timestampDelta: BigInt(r.timestampDelta), offsetDelta: i })),
  );

  // ------------------------------------------------------------ correctness and zero-copy checks
  console.log("\n## Checks\n");
  console.log("fixtures and wire compatibility:");
  if (helpers !== null) {
    check([...produceBatches, ...fetchBatches].every((b) => helpers.verifyBatchCrc(b)), "fixture batches: CRC-32C verified by @kafscale/protocol/records");
    const d = helpers.decodeBatch(fetchBatches[3]!);
    check(
      d.records.length === recordsPerBatch && sameBytes(d.records[5]!.value!, recordsByPartition[3]![5]!.value),
      "fixture batches: decodeBatch reads the records back",
    );
  }
  const pltParsed = plt.decodeFetchApi(fetchBody.get(12)!, 12);
  const pltRecords = pltParsed.responses[0]!.partitions.flatMap((p) => (p.records ?? []).flatMap((b) => b.records));
  check(pltRecords.length === PARTITIONS * recordsPerBatch, `@platformatic/kafka parses our Fetch v12 response: ${pltRecords.length} records`);
  const kjsParsed = await kjs.decodeFetchV11Api(fetchBody.get(11)!);
  const kjsRecords = kjsParsed.responses[0]!.partitions.flatMap((p) => p.messages);
  check(
    kjsRecords.length === PARTITIONS * recordsPerBatch && sameBytes(kjsRecords[7]!.value!, recordsByPartition[0]![7]!.value),
    `kafkajs parses our Fetch v11 response: ${kjsRecords.length} records, values match`,
  );
  for (const v of produceVersions) {
    const ours = produceBody.get(v)!;
    check(sameBytes(ours, plt.encodeProduceFraming(TOPIC, produceBatches, v).buffer), `Produce v${v}: our bytes == @platformatic/kafka Writer bytes`);
    if (v === 7) check(sameBytes(ours, kjs.encodeProduceV7Framing(TOPIC, produceBatches)), "Produce v7: our bytes == kafkajs Encoder bytes");
  }
  for (const v of fetchVersions) {
    const ours = fetchBody.get(v)!;
    check(sameBytes(ours, plt.encodeFetch(TOPIC, TOPIC_ID, kPartitions, v).buffer), `Fetch v${v}: our bytes == @platformatic/kafka Writer bytes`);
    if (v === 11) check(sameBytes(ours, kjs.encodeFetchV11(TOPIC, kPartitions)), "Fetch v11: our bytes == kafkajs Encoder bytes");
  }
  {
    // The client encoders' own output must be a Produce request we decode, with valid batches.
    const kBytes = await kjs.encodeProduceV7Api(TOPIC, kMessages);
    const kDecoded = ProduceRequest.decode(kBytes, 7);
    const pBytes = plt.encodeProduceApi(pMessages, 11).buffer;
    const pDecoded = ProduceRequest.decode(pBytes, 11);
    const batchesOf = (m: ProduceRequest): Uint8Array[] => m.topicData.flatMap((t) => t.partitionData.map((p) => p.records!));
    const crcOk = (bs: Uint8Array[]): boolean => helpers === null || bs.every((b) => helpers.verifyBatchCrc(b));
    check(batchesOf(kDecoded).length === PARTITIONS && crcOk(batchesOf(kDecoded)), "kafkajs Produce v7 request (its API) decodes with our codec; batch CRCs valid");
    check(batchesOf(pDecoded).length === PARTITIONS && crcOk(batchesOf(pDecoded)), "@platformatic/kafka Produce v11 request (its API) decodes with our codec; batch CRCs valid");
  }

  console.log("\nzero-copy (records are the 16 x 64 KiB batches):");
  const zeroCopy: string[] = [];
  for (const v of produceVersions) {
    const body = produceBody.get(v)!;
    const decoded = ProduceRequest.decode(body, v);
    const recs = decoded.topicData[0]!.partitionData.map((p) => p.records!);
    const views = recs.every((r) => isViewOf(r, body));
    const equal = recs.every((r, i) => sameBytes(r, produceBatches[i]!));
    check(views && equal, `ProduceRequest.decode v${v}: every records field is a view of the input (same ArrayBuffer), bytes equal`);
    zeroCopy.push(`ProduceRequest.decode v${v}: records copied: ${views ? "no" : "yes"}`);
  }
  for (const v of fetchVersions) {
    const chunks = FetchResponse.encodeChunks(fetchMsg, v);
    const frame = encodeResponseFrame(1, v, 42, fetchMsg);
    const byIdentity = (cs: Uint8Array[]): boolean => fetchBatches.every((b) => cs.includes(b));
    const chunksOk = byIdentity(chunks) && sameBytes(join(chunks), fetchBody.get(v)!);
    const frameOk = byIdentity(frame);
    check(chunksOk, `FetchResponse.encodeChunks v${v}: the 16 original records arrays are chunks (identity), joined bytes == encode()`);
    check(frameOk, `encodeResponseFrame(Fetch v${v}): the 16 original records arrays are chunks (identity)`);
    const joined = FetchResponse.encode(fetchMsg, v);
    const joinedCopies = !fetchBatches.some((b) => isViewOf(joined, b) || joined === b);
    zeroCopy.push(`FetchResponse.encodeChunks v${v}: records copied: ${chunksOk ? "no" : "yes"}`);
    zeroCopy.push(`encodeResponseFrame Fetch v${v}: records copied: ${frameOk ? "no" : "yes"}`);
    zeroCopy.push(`FetchResponse.encode v${v} (one joined array): records copied: ${joinedCopies ? "yes (once, into the joined array)" : "no"}`);
  }
  {
    const dec = FetchResponse.decode(fetchBody.get(12)!, 12);
    const views = dec.responses[0]!.partitions.every((p) => isViewOf(p.records!, fetchBody.get(12)!));
    check(views, "FetchResponse.decode v12: records are views of the input");
    zeroCopy.push(`FetchResponse.decode v12: records copied: ${views ? "no" : "yes"}`);
  }
  console.log("");
  for (const z of zeroCopy) console.log(z);
  const allZeroCopy = zeroCopy.filter((z) => !z.includes("(one joined array)")).every((z) => z.endsWith(": no"));
  console.log(`records copied: ${allZeroCopy ? "no" : "yes"} (Produce decode, Fetch encodeChunks/frame)`);

  // ------------------------------------------------------------ cases
  const cases: Case[] = [];
  const add = (c: Case): void => {
    if (filter === "" || c.group.includes(filter)) cases.push(c);
  };

  // A. Produce request decode
  for (const v of produceVersions) {
    const g = `A. Produce request decode v${v}`;
    const body = produceBody.get(v)!;
    add({ group: g, id: "ours", codec: "kafscale", label: "ProduceRequest.decode(body)", fn: () => ProduceRequest.decode(body, v), copied: "no" });
    const frame = produceFrame.get(v)!;
    add({
      group: g,
      id: "ours-frame",
      codec: "kafscale",
      label: "frame: decodeRequestHeader + ProduceRequest.decode",
      fn: () => {
        const f = frame.subarray(4);
        const h = decodeRequestHeader(f);
        return ProduceRequest.decode(f.subarray(h.bodyOffset), h.header.requestApiVersion);
      },
      copied: "no",
    });
    if (helpers !== null) {
      add({
        group: g,
        id: "ours-crc",
        codec: "kafscale",
        label: "ProduceRequest.decode + records.verifyBatchCrc of each batch (reads every byte)",
        fn: () => {
          const m = ProduceRequest.decode(body, v);
          let ok = true;
          for (const t of m.topicData) for (const p of t.partitionData) if (p.records !== null) for (const b of helpers.splitBatches(p.records).batches) ok = helpers.verifyBatchCrc(b.bytes) && ok;
          if (!ok) throw new Error("CRC mismatch");
          return m;
        },
        copied: "no",
      });
    }
    add({ group: g, id: "plt", codec: "platformatic", label: "its Reader (no Produce-request decoder of its own)", fn: () => plt.decodeProduce(body, v), copied: "no", compareTo: "ours" });
    if (v === 7) add({ group: g, id: "kjs", codec: "kafkajs", label: "its Decoder (no Produce-request decoder of its own)", fn: () => kjs.decodeProduceV7(body), copied: "no", compareTo: "ours" });
  }

  // B. Fetch response encode
  for (const v of fetchVersions) {
    const g = `B. Fetch response encode v${v}`;
    add({ group: g, id: "ours-chunks", codec: "kafscale", label: "FetchResponse.encodeChunks (views, for writev)", fn: () => FetchResponse.encodeChunks(fetchMsg, v), copied: "no" });
    add({ group: g, id: "ours-frame", codec: "kafscale", label: "encodeResponseFrame (size+header+body, views)", fn: () => encodeResponseFrame(1, v, 42, fetchMsg), copied: "no" });
    add({ group: g, id: "ours-joined", codec: "kafscale", label: "FetchResponse.encode (one joined array)", fn: () => FetchResponse.encode(fetchMsg, v), copied: "yes (1×, join)" });
    add({ group: g, id: "plt-buffers", codec: "platformatic", label: "its Writer, .buffers (views)", fn: () => plt.encodeFetch(TOPIC, TOPIC_ID, kPartitions, v).buffers, copied: "no", compareTo: "ours-chunks" });
    add({ group: g, id: "plt-joined", codec: "platformatic", label: "its Writer, .buffer (Buffer.concat, what its Connection sends)", fn: () => plt.encodeFetch(TOPIC, TOPIC_ID, kPartitions, v).buffer, copied: "yes (1×, concat)", compareTo: "ours-joined" });
    if (v === 11) add({ group: g, id: "kjs", codec: "kafkajs", label: "its Encoder (nested Encoders, as its request modules)", fn: () => kjs.encodeFetchV11(TOPIC, kPartitions), copied: "yes (3×: partition, topic, top Encoder + regrowth)", compareTo: "ours-joined" });
  }

  // C. Produce request encode (mirror): framing only, from already-encoded batches
  for (const v of produceVersions) {
    const g = `C. Produce request encode v${v}`;
    add({ group: g, id: "ours-chunks", codec: "kafscale", label: "ProduceRequest.encodeChunks (batches given)", fn: () => ProduceRequest.encodeChunks(produceMsg, v), copied: "no" });
    add({ group: g, id: "ours-joined", codec: "kafscale", label: "ProduceRequest.encode (batches given, joined)", fn: () => ProduceRequest.encode(produceMsg, v), copied: "yes (1×, join)" });
    add({ group: g, id: "plt-buffers", codec: "platformatic", label: "its Writer as produceV* writes it, .buffers (batches given)", fn: () => plt.encodeProduceFraming(TOPIC, produceBatches, v).buffers, copied: "no", compareTo: "ours-chunks" });
    add({ group: g, id: "plt-joined", codec: "platformatic", label: "same, .buffer (concat)", fn: () => plt.encodeProduceFraming(TOPIC, produceBatches, v).buffer, copied: "yes (1×, concat)", compareTo: "ours-joined" });
    if (v === 7) add({ group: g, id: "kjs", codec: "kafkajs", label: "its Encoder as produce v3-v7 nests it (batches given)", fn: () => kjs.encodeProduceV7Framing(TOPIC, produceBatches), copied: "yes (3×)", compareTo: "ours-joined" });
  }
  // C'. Produce request encode from records (what a producer really does: build batches, CRC, frame)
  for (const v of [7, 11]) {
    const g = `C'. Produce request from records v${v}`;
    if (helpers !== null) {
      const build = (): ProduceRequest => ({
        transactionalId: null,
        acks: -1,
        timeoutMs: 30_000,
        topicData: [
          {
            name: TOPIC,
            partitionData: ourBatchInputs.map((records, index) => ({
              index,
              records: helpers.encodeBatch({ baseOffset: 0n, baseTimestamp: BASE_TIMESTAMP, records, producerId: 4242n, producerEpoch: 0, baseSequence: index * 100 }),
            })),
          },
        ],
      });
      add({ group: g, id: "ours-chunks", codec: "kafscale", label: "records.encodeBatch ×16 + ProduceRequest.encodeChunks", fn: () => ProduceRequest.encodeChunks(build(), v), copied: "batch build only" });
      add({ group: g, id: "ours-joined", codec: "kafscale", label: "records.encodeBatch ×16 + ProduceRequest.encode", fn: () => ProduceRequest.encode(build(), v), copied: "batch build + join" });
    }
    add({ group: g, id: "plt", codec: "platformatic", label: `produceV${v}.createRequest(messages).buffer`, fn: () => plt.encodeProduceApi(pMessages, v).buffer, copied: "batch build + concat", compareTo: "ours-joined" });
    if (v === 7) add({ group: g, id: "kjs", codec: "kafkajs", label: "requests/produce/v7 request.encode() (async)", fn: () => kjs.encodeProduceV7Api(TOPIC, kMessages), async: true, copied: "batch build + 3×", compareTo: "ours-joined" });
  }

  // D. Fetch response decode (mirror), records left raw
  for (const v of fetchVersions) {
    const g = `D. Fetch response decode v${v}`;
    const body = fetchBody.get(v)!;
    add({ group: g, id: "ours", codec: "kafscale", label: "FetchResponse.decode (records raw)", fn: () => FetchResponse.decode(body, v), copied: "no" });
    add({ group: g, id: "plt", codec: "platformatic", label: "its Reader, records raw (its fetch module minus record parsing)", fn: () => plt.decodeFetchRaw(body, v), copied: "no", compareTo: "ours" });
    if (v === 11) add({ group: g, id: "kjs", codec: "kafkajs", label: "its Decoder, records raw (its fetch v11 module minus decodeMessages)", fn: () => kjs.decodeFetchV11Raw(body), copied: "no", compareTo: "ours" });
  }
  // D'. Fetch response decode with every record parsed (what the client APIs always do)
  for (const v of fetchVersions) {
    const g = `D'. Fetch response decode + records v${v}`;
    const body = fetchBody.get(v)!;
    if (helpers !== null) {
      const parse = (verifyCrc: boolean) => (): unknown => {
        const m: FetchResponseMessage = FetchResponse.decode(body, v);
        const out: KafkaRecordLike[][] = [];
        for (const t of m.responses) {
          for (const p of t.partitions) {
            if (p.records === null) continue;
            for (const b of helpers.splitBatches(p.records).batches) out.push(helpers.decodeBatch(b.bytes, { verifyCrc }).records);
          }
        }
        return out;
      };
      add({ group: g, id: "ours", codec: "kafscale", label: "FetchResponse.decode + records.decodeBatch (no CRC check)", fn: parse(false), copied: "no (keys/values are views)" });
      add({ group: g, id: "ours-crc", codec: "kafscale", label: "same, CRC-32C verified", fn: parse(true), copied: "no (keys/values are views)" });
    }
    if (v === 12 || v === 17) add({ group: g, id: "plt", codec: "platformatic", label: `fetchV${v}.parseResponse (always parses records; no CRC check)`, fn: () => plt.decodeFetchApi(body, v), copied: "no (keys/values are views)", compareTo: "ours" });
    if (v === 11) add({ group: g, id: "kjs", codec: "kafkajs", label: "requests/fetch/v11 response.decode (async; always parses records; no CRC check)", fn: () => kjs.decodeFetchV11Api(body), async: true, copied: "no (keys/values are views)", compareTo: "ours" });
  }

  // ------------------------------------------------------------ run
  console.log(`\n## Timing (${cases.length} rows)\n`);
  const results: Result[] = await runCases(cases, {
    timeMs,
    rounds,
    warmupMs: Math.min(100, timeMs / 2),
    onRound: (n) => console.log(`round ${n}/${rounds}`),
    recordsBytes: RECORDS_BYTES,
    onResult: (r) =>
      console.log(
        `${r.group.padEnd(38)} ${r.codec.padEnd(12)} ${r.id.padEnd(12)} ${fmtOps(r.opsPerSec).padStart(9)} ops/s best, ${fmtOps(r.medianOpsPerSec).padStart(9)} median ±${r.rmePct.toFixed(1).padStart(4)}%  ${fmtGB(r.gbPerSec).padStart(6)} GB/s  ${fmtBytes(r.retainedBytesPerOp).padStart(10)} retained/op`,
      ),
  });

  console.log("\n## Results\n");
  console.log(
    `ops/s (best round) is the fastest of ${rounds} rounds (other load on the machine only adds time); the median round and the MAD of the rounds show the spread. ` +
      `GB/s = records bytes (${RECORDS_BYTES}) × best ops/s / 1e9. "ours ÷ theirs" compares best rounds with the kafscale row of the same kind (joined with joined, views with views).\n`,
  );
  console.log(markdownTable(results));

  // ------------------------------------------------------------ targets
  console.log("\n## Targets\n");
  const get = (g: string, id: string): Result | undefined => results.find((r) => r.group === g && r.id === id);
  const lines: string[] = [];
  for (const v of produceVersions) {
    const r = get(`A. Produce request decode v${v}`, "ours");
    if (r) lines.push(`Produce v${v} decode ≥ 1 GB/s: ${r.gbPerSec >= 1 ? "met" : "NOT met"} (${fmtGB(r.gbPerSec)} GB/s)`);
  }
  for (const r of results) {
    if (r.ratio === undefined || !(r.group.startsWith("A.") || r.group.startsWith("B."))) continue;
    lines.push(`${r.group}: ${r.compareTo} vs ${r.codec} ${r.id}: ${fmtRatio(r.ratio)}× (${r.ratio >= 2 ? "≥ 2×, met" : "< 2×, NOT met"})`);
  }
  lines.push(`records never copied on Produce decode and Fetch encodeChunks/encodeResponseFrame: ${allZeroCopy ? "met" : "NOT met"}`);
  for (const l of lines) console.log(l);

  const rssEnd = process.memoryUsage().rss;
  console.log(`\nrss: ${fmtBytes(rssStart)} at start, ${fmtBytes(rssEnd)} at end (Δ ${fmtBytes(rssEnd - rssStart)})`);

  const out = process.env.BENCH_OUT ?? resolve(here, "../results/protocol-codec.json");
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), machine: m, timeMs, rounds, results, zeroCopy, targets: lines, failures }, null, 2));
  console.log(`results written to ${out}`);

  if (failures.length > 0) {
    console.error(`\n${failures.length} check(s) failed:\n  ${failures.join("\n  ")}`);
    process.exitCode = 1;
  }
}

await main();
