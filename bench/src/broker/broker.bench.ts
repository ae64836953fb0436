/**
 * Broker benchmark: the broker app (apps/broker/dist/main.cjs) driven by real librdkafka clients over
 * TCP, on one or both backends:
 *
 *   embedded  file:// segments and metadata in a fresh temp directory (the broker's default)
 *   s3-etcd   segments in a Ceph RADOS Gateway (single node, objects in RAM), metadata in a
 *             single-node etcd; both started once, a fresh bucket and an empty etcd per run, a
 *             counting proxy between the broker and the gateway (see s3-backend.ts, s3-run.ts)
 *
 * Each run starts a fresh broker and:
 *   1. produce N messages of SIZE bytes, acks=-1 (acks=all)
 *      (s3-etcd: then the gateway's raw PUT throughput for objects of the average segment size
 *       the broker just wrote, one stream per partition — the figure produce is judged against)
 *   2. produce N messages of SIZE bytes, acks=1 (another topic)
 *   3. consume the acks=-1 topic from the beginning
 *   4. produce latency at a fixed moderate rate (acks=all, linger.ms=0): produce() to delivery report,
 *      with TCP_NODELAY (latency) and with librdkafka's default Nagle (latency-nagle)
 *
 * The broker's RSS is sampled every 100 ms from /proc/<pid>/status (VmRSS) and its peak is also
 * read from the kernel (VmHWM); its CPU time from /proc/<pid>/stat.
 *
 * Run from the repo root with `pnpm bench` (codec bench, then this one), or in bench/ with
 * `pnpm run bench:broker`. Environment (defaults in brackets):
 *   BENCH_BROKER_BACKEND [all]        embedded | s3-etcd | all (embedded, then s3-etcd)
 *   BENCH_BROKER_MESSAGES [1000000]   messages per throughput phase
 *   BENCH_BROKER_SIZE [1024]          value bytes per message
 *   BENCH_BROKER_PARTITIONS [4]       partitions of every topic
 *   BENCH_BROKER_PRODUCER [python]    python (confluent-kafka) | kcat
 *   BENCH_BROKER_CONSUMER [kcat]      kcat | python (confluent-kafka)
 *   BENCH_BROKER_LATENCY_RATE [2000]  msg/s of the latency phase
 *   BENCH_BROKER_LATENCY_SECONDS [10]
 *   BENCH_BROKER_FLUSH_AGE_MS [10]    KAFSCALE_FLUSH_AGE_MS given to the broker (its default)
 *   BENCH_BROKER_RUNS [3]             runs, each with a fresh broker and data directory
 *   BENCH_BROKER_PHASES [all]         comma list of produce-all,produce-1,consume,latency,latency-nagle
 *   BENCH_BROKER_CPU_PROF             directory: run the broker with --cpu-prof there
 *   BENCH_BROKER_TMP [os.tmpdir()]    where the data directory and the kcat input file go
 *   BENCH_BROKER_OUT [bench/results/broker.json]
 * s3-etcd only:
 *   BENCH_BROKER_S3_RUNS [2]          runs on S3 + etcd
 *   BENCH_BROKER_S3_MESSAGES [BENCH_BROKER_MESSAGES]
 *   BENCH_BROKER_S3_FLUSH_AGE_MS [BENCH_BROKER_FLUSH_AGE_MS]   KAFSCALE_FLUSH_AGE_MS on S3
 *   BENCH_BROKER_S3_FLUSH_BYTES       KAFSCALE_FLUSH_BYTES on S3 (unset: the broker's 4 MiB)
 *   BENCH_BROKER_S3_RAW_SECONDS [10]  least duration of each raw PUT measurement
 *   BENCH_BROKER_S3_RAW_VIA_PROXY [1] also measure raw PUT through the counting proxy (0: don't)
 *   BENCH_BROKER_S3_RAW_PAYLOAD [signed]  signed: the body's SHA-256 in the SigV4 signature, as the
 *                                     broker's AWS SDK sends it; unsigned: UNSIGNED-PAYLOAD
 *   BENCH_BROKER_S3_PROXY [1]         0: the broker talks to the gateway directly (no request
 *                                     counts or flush timings; shows what the proxy hop costs)
 *   BENCH_BROKER_S3_PIN [0]           1: gateway and etcd on CPU 0, the broker, its clients and this
 *                                     process on the other CPUs (emulates a gateway with CPU of
 *                                     its own; see cpu-pinning.ts)
 *   BENCH_BROKER_S3_REQUEST_LOG       file: write every S3 request of the runs there (JSON lines:
 *                                     op, key, bytes, status, start and end ms) for analysis
 *   BENCH_BROKER_S3_MEMSTORE_MIB [8192] RAM cap of the Ceph memstore OSD (objects live in RAM;
 *                                     the OSD takes ~2 bytes of RAM per byte stored; every run's
 *                                     objects are deleted at its end)
 * Broker environment (KAFSCALE_*, UV_THREADPOOL_SIZE, ...) set when running this is passed on.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { BrokerProcess, profilePath } from "./broker-process.js";
import {
  createTopics,
  kcatConsume,
  kcatProduce,
  pythonConsume,
  pythonLatency,
  pythonProduce,
  topicMessages,
  writeLinesFile,
  CONSUMER_PROPS,
  type ProduceResult,
  type ProducerSettings,
} from "./clients.js";
import { f0, f1, log, mbps, MB, MiB } from "./format.js";
import { machine, serverVersions } from "./machine.js";
import { startS3EtcdBackend, type S3EtcdBackend } from "./s3-backend.js";
import { reportS3 } from "./s3-report.js";
import { pinServersApart } from "./cpu-pinning.js";
import { S3RunRecorder, type S3RunStats } from "./s3-run.js";
import { reportThroughput, type PhaseCpu, type SummaryRun } from "./summary.js";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../../..");
const MAIN_JS = join(repoRoot, "apps/broker/dist/main.cjs");

function envInt(name: string, dflt: number): number {
  const v = process.env[name];
  if (v === undefined || v === "") return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}=${v} is not a positive number`);
  return n;
}

type Backend = "embedded" | "s3-etcd";
const BACKEND_ARG = process.env.BENCH_BROKER_BACKEND ?? "all";
if (!["embedded", "s3-etcd", "all"].includes(BACKEND_ARG)) throw new Error(`BENCH_BROKER_BACKEND must be embedded, s3-etcd or all, not ${BACKEND_ARG}`);
const BACKENDS: Backend[] = BACKEND_ARG === "all" ? ["embedded", "s3-etcd"] : [BACKEND_ARG as Backend];

const MESSAGES = envInt("BENCH_BROKER_MESSAGES", 1_000_000);
const SIZE = envInt("BENCH_BROKER_SIZE", 1024);
const PARTITIONS = envInt("BENCH_BROKER_PARTITIONS", 4);
const PRODUCER = process.env.BENCH_BROKER_PRODUCER ?? "python";
const CONSUMER = process.env.BENCH_BROKER_CONSUMER ?? "kcat";
const LAT_RATE = envInt("BENCH_BROKER_LATENCY_RATE", 2000);
const LAT_SECONDS = envInt("BENCH_BROKER_LATENCY_SECONDS", 10);
const FLUSH_AGE_MS = envInt("BENCH_BROKER_FLUSH_AGE_MS", 10);
const RUNS = envInt("BENCH_BROKER_RUNS", 3);
/**
 * Data directories of finished runs, removed only when the benchmark ends. On an ext4 without a
 * journal (as on the benchmark machine) the kernel skips inodes freed in the last minutes when it
 * allocates one (`recently_deleted`), so removing a run's tens of thousands of segment files makes
 * every file the next run creates cost up to ~1 ms of kernel CPU; the runs would measure the
 * harness's own clean-up.
 */
const spentDirs: string[] = [];
const PHASES = new Set((process.env.BENCH_BROKER_PHASES ?? "produce-all,produce-1,consume,latency,latency-nagle").split(",").map((s) => s.trim()));
/**
 * The latency phases. `latency` (judged against the target) sends with TCP_NODELAY, as Kafka's
 * Java client always does; `latency-nagle` keeps librdkafka's default (Nagle on), which holds a
 * small request back while an earlier one is unacknowledged and adds its own delay on any broker.
 */
const LATENCY_VARIANTS = [
  { phase: "latency", result: "latency", topic: "bench-latency", clientSettings: ["socket.nagle.disable=true"] },
  { phase: "latency-nagle", result: "latencyNagle", topic: "bench-latency-nagle", clientSettings: [] },
] as const;
const CPU_PROF = process.env.BENCH_BROKER_CPU_PROF;
const TMP = process.env.BENCH_BROKER_TMP ?? os.tmpdir();
const OUT = process.env.BENCH_BROKER_OUT ?? join(here, "../../results/broker.json");

const S3 = {
  runs: envInt("BENCH_BROKER_S3_RUNS", 2),
  messages: envInt("BENCH_BROKER_S3_MESSAGES", MESSAGES),
  flushAgeMs: envInt("BENCH_BROKER_S3_FLUSH_AGE_MS", FLUSH_AGE_MS),
  flushBytes: process.env.BENCH_BROKER_S3_FLUSH_BYTES ? envInt("BENCH_BROKER_S3_FLUSH_BYTES", 4 * MiB) : undefined,
  rawSeconds: envInt("BENCH_BROKER_S3_RAW_SECONDS", 10),
  rawViaProxy: process.env.BENCH_BROKER_S3_RAW_VIA_PROXY !== "0",
  rawSignPayload: (process.env.BENCH_BROKER_S3_RAW_PAYLOAD ?? "signed") === "signed",
  brokerViaProxy: process.env.BENCH_BROKER_S3_PROXY !== "0",
  memstoreBytes: envInt("BENCH_BROKER_S3_MEMSTORE_MIB", 8192) * MiB,
  requestLog: process.env.BENCH_BROKER_S3_REQUEST_LOG,
  pin: process.env.BENCH_BROKER_S3_PIN === "1",
};

if (!["kcat", "python"].includes(PRODUCER)) throw new Error(`BENCH_BROKER_PRODUCER must be kcat or python, not ${PRODUCER}`);
if (!["kcat", "python"].includes(CONSUMER)) throw new Error(`BENCH_BROKER_CONSUMER must be kcat or python, not ${CONSUMER}`);

const PRODUCER_SETTINGS: Omit<ProducerSettings, "acks"> = { lingerMs: 5, batchMessages: 10000, queueKBytes: 1048576 };

// ---------------------------------------------------------------- one run

interface RunResult extends SummaryRun {
  backend: Backend;
  run: number;
  produceAll?: (ProduceResult & PhaseCpu) | undefined;
  produceOne?: (ProduceResult & PhaseCpu) | undefined;
  rssSamples: number;
  brokerCpuSeconds: number;
  wallSeconds: number;
  profile?: string | undefined;
  brokerExitCode: number | null;
  /** s3-etcd: requests, etcd writes, raw PUT, flush timings. */
  s3?: S3RunStats | undefined;
}

/** What differs between the backends' runs. */
interface RunSetup {
  backend: Backend;
  run: number;
  messages: number;
  flushAgeMs: number;
  /** kcat's input (`messages` lines), when kcat produces. */
  linesFile: string | null;
  s3?: S3EtcdBackend | undefined;
}

async function oneRun(setup: RunSetup): Promise<RunResult> {
  const { backend, run, messages, linesFile } = setup;
  const t0 = performance.now();
  // Dirty pages of earlier work (the build, the previous run's deleted data directory) would be
  // written back during this run's fsyncs and be charged to the broker: write them out first.
  execFileSync("sync");
  const dir = mkdtempSync(join(TMP, "kafscale-bench-broker-"));
  const loadAvgAtStart = os.loadavg();
  const s3Run = setup.s3 === undefined ? undefined : await setup.s3.prepareRun(run, S3.brokerViaProxy);
  log(
    `\n## ${backend} run ${run}: data dir ${dir}${s3Run === undefined ? "" : `; bucket ${s3Run.bucket}, etcd ${setup.s3!.etcd.endpoint}`}; load average ${loadAvgAtStart.map((l) => l.toFixed(2)).join(" ")}`,
  );
  const profDir = CPU_PROF === undefined ? undefined : resolve(CPU_PROF);
  if (profDir !== undefined) mkdirSync(profDir, { recursive: true });
  const before = profDir === undefined ? [] : readdirSync(profDir);
  const broker = await BrokerProcess.start({
    mainJs: MAIN_JS,
    dataDir: join(dir, "data"),
    logFile: join(dir, "broker.log"),
    env: {
      KAFSCALE_FLUSH_AGE_MS: String(setup.flushAgeMs),
      KAFSCALE_LOG_LEVEL: process.env.KAFSCALE_LOG_LEVEL ?? "warn",
      ...(backend === "s3-etcd" && S3.flushBytes !== undefined ? { KAFSCALE_FLUSH_BYTES: String(S3.flushBytes) } : {}),
      ...(s3Run?.env ?? {}),
    },
    nodeArgs: profDir === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${profDir}`],
  });
  const recorder = setup.s3 === undefined || s3Run === undefined ? undefined : new S3RunRecorder(setup.s3, s3Run.bucket, broker.pid);
  const result: RunResult = {
    backend,
    run,
    loadAvgAtStart,
    maxRssBytes: 0,
    peakRssBytes: 0,
    rssSamples: 0,
    brokerCpuSeconds: 0,
    wallSeconds: 0,
    brokerExitCode: null,
  };
  try {
    log(`broker pid ${broker.pid} on ${broker.bootstrap}`);
    const topicAll = "bench-acks-all";
    const topicOne = "bench-acks-1";
    await createTopics(broker.bootstrap, PARTITIONS, [topicAll, topicOne, ...LATENCY_VARIANTS.map((v) => v.topic)]);

    const phase = async <T>(label: string, fn: () => Promise<T>): Promise<T & PhaseCpu> => {
      await recorder?.begin(label);
      broker.phase = label;
      const cpu0 = broker.cpuSeconds();
      const r = await fn();
      const cpu1 = broker.cpuSeconds();
      const maxRssBytes = broker.phaseMaxRss.get(label) ?? 0;
      broker.phase = "between";
      await recorder?.end(label);
      return { ...r, brokerCpuSeconds: cpu1 - cpu0, maxRssBytes };
    };
    const produce = (topic: string, acks: "all" | "1") =>
      PRODUCER === "kcat"
        ? kcatProduce(broker.bootstrap, topic, linesFile!, messages, SIZE, { ...PRODUCER_SETTINGS, acks })
        : pythonProduce(broker.bootstrap, topic, messages, SIZE, { ...PRODUCER_SETTINGS, acks });
    const reportProduce = async (name: string, topic: string, r: ProduceResult & PhaseCpu) => {
      const stored = await topicMessages(broker.bootstrap, topic);
      if (stored < messages) throw new Error(`${name}: the topic holds ${stored} messages, ${messages} were produced`);
      log(
        `${name.padEnd(16)} ${f0(r.messages)} msgs in ${r.seconds.toFixed(2)} s: ${f1(mbps(r.bytes, r.seconds))} MB/s, ` +
          `${f0(r.messages / r.seconds)} msg/s; ${cpuLine(r)}; max RSS ${f0(r.maxRssBytes / MiB)} MiB; stored ${f0(stored)}; errors ${r.errors}`,
      );
    };

    if (PHASES.has("produce-all")) {
      result.produceAll = await phase("produce-all", () => produce(topicAll, "all"));
      await reportProduce("produce acks=-1", topicAll, result.produceAll);
      if (recorder !== undefined) {
        await recorder.rawPut("produce-all", PARTITIONS, { minSeconds: S3.rawSeconds, maxSeconds: Math.max(60, S3.rawSeconds), viaProxy: S3.rawViaProxy, signPayload: S3.rawSignPayload });
        const f = recorder.stats.phases["produce-all"]?.flush;
        for (const [label, raw] of [["raw PUT", recorder.stats.rawPut], ["raw PUT (proxy)", recorder.stats.rawPutViaProxy]] as const) {
          if (raw === undefined) continue;
          log(
            `${label.padEnd(16)} ${f0(raw.objects)} objects of ${(raw.objectBytes / MiB).toFixed(2)} MiB, ${raw.concurrency} streams, in ${raw.seconds.toFixed(2)} s: ${f1(raw.mbps)} MB/s; ` +
              `PUT p50 ${f1(raw.p50Ms)} ms, p99 ${f1(raw.p99Ms)} ms` +
              (label === "raw PUT" && result.produceAll !== undefined ? `; produce ÷ raw = ${(mbps(result.produceAll.bytes, result.produceAll.seconds) / raw.mbps).toFixed(2)}` : "") +
              (label === "raw PUT" && f !== undefined ? ` (broker's segment PUT p50 ${f1(f.segmentPutMs.p50)} ms)` : ""),
          );
        }
      }
    }
    if (PHASES.has("produce-1")) {
      result.produceOne = await phase("produce-1", () => produce(topicOne, "1"));
      await reportProduce("produce acks=1", topicOne, result.produceOne);
    }
    if (PHASES.has("consume")) {
      if (!PHASES.has("produce-all")) throw new Error("the consume phase reads what produce-all wrote");
      const r = await phase("consume", () => (CONSUMER === "kcat" ? kcatConsume(broker.bootstrap, topicAll, SIZE) : pythonConsume(broker.bootstrap, topicAll, messages)));
      result.consume = r;
      if (r.messages < messages) throw new Error(`consume: got ${r.messages} messages, expected ${messages}`);
      log(
        `${"consume".padEnd(16)} ${f0(r.messages)} msgs in ${r.seconds.toFixed(2)} s: ${f1(mbps(r.bytes, r.seconds))} MB/s, ` +
          `${f0(r.messages / r.seconds)} msg/s; ${cpuLine(r)}; max RSS ${f0(r.maxRssBytes / MiB)} MiB`,
      );
    }
    for (const v of LATENCY_VARIANTS) {
      if (!PHASES.has(v.phase)) continue;
      const r = await phase(v.phase, () => pythonLatency(broker.bootstrap, v.topic, LAT_RATE, LAT_SECONDS, SIZE, v.clientSettings));
      result[v.result] = r;
      if (r.delivered !== r.sent || r.errors > 0) throw new Error(`${v.phase}: ${r.delivered} of ${r.sent} delivered, ${r.errors} errors`);
      log(
        `${v.phase.padEnd(16)} ${f0(r.sent)} msgs at ${f0(r.rate)} msg/s: p50 ${f1(r.p50_ms)} ms, p90 ${f1(r.p90_ms)} ms, p99 ${f1(r.p99_ms)} ms, ` +
          `p99.9 ${f1(r.p999_ms)} ms, max ${f1(r.max_ms)} ms (flush age ${setup.flushAgeMs} ms; client send lag max ${f1(r.max_send_lag_ms)} ms); broker CPU ${r.brokerCpuSeconds.toFixed(1)} s, client CPU ${r.client_cpu_seconds.toFixed(1)} s; max RSS ${f0(r.maxRssBytes / MiB)} MiB`,
      );
    }
    result.brokerCpuSeconds = broker.cpuSeconds();
    result.peakRssBytes = broker.peakRssBytes();
  } finally {
    result.brokerExitCode = await broker.stop();
    result.maxRssBytes = broker.maxRssBytes;
    result.rssSamples = broker.samples;
    if (profDir !== undefined) {
      const fresh = readdirSync(profDir).filter((f) => !before.includes(f));
      result.profile = profilePath(profDir, fresh);
    }
    const dataBytes = safe(() => dirBytes(join(dir, "data")), 0);
    spentDirs.push(dir);
    if (recorder !== undefined && s3Run !== undefined) {
      await recorder.listContents().catch((err: unknown) => log(`listing ${s3Run.bucket} failed: ${String(err)}`));
      result.s3 = recorder.stats;
      await setup.s3!.emptyBucket(s3Run.bucket).catch((err: unknown) => log(`emptying ${s3Run.bucket} failed: ${String(err)}`));
    }
    result.wallSeconds = (performance.now() - t0) / 1000;
    const c = result.s3?.contents;
    const written = c === undefined ? `data written ${f0(dataBytes / MiB)} MiB` : `S3: ${f0(c.segments)} segments (${f0(c.segmentBytes / MiB)} MiB), ${f0(c.indexes)} indexes`;
    log(
      `broker: max RSS ${f0(result.maxRssBytes / MiB)} MiB sampled (${result.rssSamples} samples every 100 ms), peak ${f0(result.peakRssBytes / MiB)} MiB (VmHWM); ` +
        `CPU ${result.brokerCpuSeconds.toFixed(1)} s; ${written}; exit code ${result.brokerExitCode}; run took ${result.wallSeconds.toFixed(1)} s` +
        (result.profile === undefined ? "" : `; profile ${result.profile}`),
    );
  }
  return result;
}

/** Broker and client CPU of a throughput phase: seconds, share of one core, seconds per GB moved. */
function cpuLine(r: { brokerCpuSeconds: number; clientCpuSeconds: number; seconds: number; bytes: number }): string {
  const gb = r.bytes / 1e9;
  const client = Number.isNaN(r.clientCpuSeconds) ? "client CPU unknown" : `client CPU ${r.clientCpuSeconds.toFixed(1)} s (${(r.clientCpuSeconds / gb).toFixed(1)} s/GB)`;
  return `broker CPU ${r.brokerCpuSeconds.toFixed(1)} s (${f0((r.brokerCpuSeconds / r.seconds) * 100)} % of one core, ${(r.brokerCpuSeconds / gb).toFixed(1)} s/GB), ${client}`;
}

function safe<T>(fn: () => T, dflt: T): T {
  try {
    return fn();
  } catch {
    return dflt;
  }
}

function dirBytes(path: string): number {
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const p = join(path, entry.name);
    if (entry.isDirectory()) total += dirBytes(p);
    else if (entry.isFile()) total += statSync(p).size;
  }
  return total;
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const t0 = performance.now();
  const m = machine(TMP);
  log(`# Kafscale broker benchmark (${BACKENDS.join(", then ")})`);
  log();
  for (const [k, v] of Object.entries(m)) log(`${k.padEnd(15)} ${v}`);
  log(
    `\nworkload: ${f0(MESSAGES)} messages of ${SIZE} B per throughput phase (${f1((MESSAGES * SIZE) / MB)} MB), ${PARTITIONS} partitions, ` +
      `producer ${PRODUCER === "kcat" ? "kcat" : "confluent-kafka"} (linger.ms=${PRODUCER_SETTINGS.lingerMs}, batch.num.messages=${PRODUCER_SETTINGS.batchMessages}, ` +
      `queue.buffering.max.kbytes=${PRODUCER_SETTINGS.queueKBytes}), consumer ${CONSUMER === "kcat" ? "kcat" : "confluent-kafka"} (${CONSUMER_PROPS.join(", ")}); ` +
      `latency: confluent-kafka, ${LAT_RATE} msg/s for ${LAT_SECONDS} s, acks=all, linger.ms=0, socket.nagle.disable=true (latency-nagle: librdkafka's default, false); broker KAFSCALE_FLUSH_AGE_MS=${FLUSH_AGE_MS}; ${RUNS} run(s)`,
  );
  if (BACKENDS.includes("s3-etcd")) {
    const v = serverVersions();
    log(
      `s3-etcd: ${S3.runs} run(s) of ${f0(S3.messages)} messages per throughput phase; KAFSCALE_FLUSH_AGE_MS=${S3.flushAgeMs}, KAFSCALE_FLUSH_BYTES=${S3.flushBytes ?? "4194304 (default)"}; ` +
        `broker → ${S3.brokerViaProxy ? "counting proxy → " : ""}gateway; raw PUT ≥ ${S3.rawSeconds} s and ≈ the bytes the broker PUT, ${S3.rawSignPayload ? "payload SHA-256 signed" : "UNSIGNED-PAYLOAD"}${S3.rawViaProxy ? ", straight and through the proxy" : ""}; ` +
          `${v.ceph}; ${v.etcd}; memstore cap ${f0(S3.memstoreBytes / MiB)} MiB`,
    );
  }
  log("MB = 10^6 bytes of message values (protocol overhead not counted); MiB = 2^20 bytes.");

  const linesFiles = new Map<number, string>();
  let linesDir: string | null = null;
  const linesFor = (count: number): string | null => {
    if (PRODUCER !== "kcat" || !(PHASES.has("produce-all") || PHASES.has("produce-1"))) return null;
    let file = linesFiles.get(count);
    if (file === undefined) {
      linesDir ??= mkdtempSync(join(TMP, "kafscale-bench-input-"));
      file = join(linesDir, `messages-${count}.txt`);
      const g0 = performance.now();
      writeLinesFile(file, count, SIZE);
      log(`kcat input: ${file} (${f0(statSync(file).size / MiB)} MiB) written in ${((performance.now() - g0) / 1000).toFixed(1)} s`);
      linesFiles.set(count, file);
    }
    return file;
  };

  /** Per backend: its runs, the servers' start-up time (s3-etcd), the error that ended it early. */
  type BackendResults = { runs: RunResult[]; startupSeconds?: number; error?: string };
  const results: Partial<Record<Backend, BackendResults>> = {};
  let s3: S3EtcdBackend | undefined;
  try {
    for (const backend of BACKENDS) {
      const runs: RunResult[] = [];
      const entry: BackendResults = { runs };
      results[backend] = entry;
      if (backend === "embedded") {
        for (let i = 1; i <= RUNS; i++) runs.push(await oneRun({ backend, run: i, messages: MESSAGES, flushAgeMs: FLUSH_AGE_MS, linesFile: linesFor(MESSAGES) }));
        continue;
      }
      // s3-etcd: a failure here (no Ceph installed, a run that fails) still leaves the embedded summary.
      try {
        log("\nstarting Ceph (mon, memstore OSD, radosgw) and etcd ...");
        s3 = await startS3EtcdBackend({ memstoreBytes: S3.memstoreBytes });
        entry.startupSeconds = s3.startupSeconds;
        log(`radosgw ${s3.rgw.endpoint} (counting proxy ${s3.proxy.endpoint}), etcd ${s3.etcd.endpoint}; started in ${s3.startupSeconds.toFixed(1)} s`);
        if (S3.pin) log(`CPU pinning: ${pinServersApart(Object.values(s3.pids))}`);
        for (let i = 1; i <= S3.runs; i++) runs.push(await oneRun({ backend, run: i, messages: S3.messages, flushAgeMs: S3.flushAgeMs, linesFile: linesFor(S3.messages), s3 }));
      } catch (err) {
        entry.error = err instanceof Error ? (err.stack ?? err.message) : String(err);
        log(`\ns3-etcd backend failed: ${entry.error}`);
        process.exitCode = 1;
      }
    }
  } finally {
    if (linesDir !== null) rmSync(linesDir, { recursive: true, force: true });
    for (const d of spentDirs) rmSync(d, { recursive: true, force: true });
    if (s3 !== undefined && S3.requestLog !== undefined) {
      writeFileSync(S3.requestLog, s3.proxy.requests.map((r) => JSON.stringify(r)).join("\n") + "\n");
      log(`S3 request log: ${S3.requestLog} (${f0(s3.proxy.requests.length)} requests)`);
    }
    await s3?.stop();
  }

  // ------------------------------------------------------------ summary
  const titles: Record<Backend, string> = {
    embedded: "Summary: embedded (file:// segments and metadata)",
    "s3-etcd": "Summary: S3 (Ceph RGW) + etcd",
  };
  for (const backend of BACKENDS) {
    const runs = results[backend]?.runs ?? [];
    if (runs.length === 0) continue;
    reportThroughput(titles[backend], runs, { latencyRate: LAT_RATE, flushAgeMs: backend === "embedded" ? FLUSH_AGE_MS : S3.flushAgeMs, nproc: m.nproc! });
    if (backend === "s3-etcd") reportS3(runs, { partitions: PARTITIONS, valueBytes: SIZE });
  }
  const wall = (performance.now() - t0) / 1000;
  log();
  log(`total wall time ${wall.toFixed(1)} s`);

  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(
    OUT,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: m,
        settings: { BACKENDS, MESSAGES, SIZE, PARTITIONS, PRODUCER, CONSUMER, LAT_RATE, LAT_SECONDS, FLUSH_AGE_MS, RUNS, PRODUCER_SETTINGS, CONSUMER_PROPS, S3 },
        backends: results,
        wallSeconds: wall,
      },
      null,
      2,
    ),
  );
  log(`results: ${OUT}`);
  const failedExit = BACKENDS.flatMap((b) => results[b]?.runs ?? []).some((r) => r.brokerExitCode !== 0);
  if (failedExit) {
    log("the broker did not exit cleanly on SIGTERM in some run");
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`broker bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
