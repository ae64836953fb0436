/**
 * Broker benchmark: the embedded broker (apps/broker/dist/main.js, file:// segments and
 * metadata in a fresh temp directory) driven by real librdkafka clients over TCP.
 *
 *   1. produce N messages of SIZE bytes, acks=-1 (acks=all)
 *   2. produce N messages of SIZE bytes, acks=1 (another topic)
 *   3. consume the acks=-1 topic from the beginning
 *   4. produce latency at a fixed moderate rate (acks=all, linger.ms=0): produce() to delivery report
 *
 * The broker's RSS is sampled every 100 ms from /proc/<pid>/status (VmRSS) and its peak is also
 * read from the kernel (VmHWM); its CPU time from /proc/<pid>/stat.
 *
 * Run from the repo root with `pnpm bench` (codec bench, then this one), or in bench/ with
 * `pnpm run bench:broker`. Environment (defaults in brackets):
 *   BENCH_BROKER_MESSAGES [1000000]   messages per throughput phase
 *   BENCH_BROKER_SIZE [1024]          value bytes per message
 *   BENCH_BROKER_PARTITIONS [4]       partitions of every topic
 *   BENCH_BROKER_PRODUCER [python]    python (confluent-kafka) | kcat
 *   BENCH_BROKER_CONSUMER [kcat]      kcat | python (confluent-kafka)
 *   BENCH_BROKER_LATENCY_RATE [2000]  msg/s of the latency phase
 *   BENCH_BROKER_LATENCY_SECONDS [10]
 *   BENCH_BROKER_FLUSH_AGE_MS [10]    KAFSCALE_FLUSH_AGE_MS given to the broker (its default)
 *   BENCH_BROKER_RUNS [3]             runs, each with a fresh broker and data directory
 *   BENCH_BROKER_PHASES [all]         comma list of produce-all,produce-1,consume,latency
 *   BENCH_BROKER_CPU_PROF             directory: run the broker with --cpu-prof there
 *   BENCH_BROKER_TMP [os.tmpdir()]    where the data directory and the kcat input file go
 *   BENCH_BROKER_OUT [bench/results/broker.json]
 * Broker environment (KAFSCALE_*, UV_THREADPOOL_SIZE, ...) set when running this is passed on.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { BrokerProcess, profilePath } from "./broker-process.js";
import {
  clientVersions,
  createTopics,
  kcatConsume,
  kcatProduce,
  pythonConsume,
  pythonLatency,
  pythonProduce,
  topicMessages,
  writeLinesFile,
  CONSUMER_PROPS,
  type ConsumeResult,
  type LatencyResult,
  type ProduceResult,
  type ProducerSettings,
} from "./clients.js";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../../..");
const MAIN_JS = join(repoRoot, "apps/broker/dist/main.js");

function envInt(name: string, dflt: number): number {
  const v = process.env[name];
  if (v === undefined || v === "") return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}=${v} is not a positive number`);
  return n;
}

const MESSAGES = envInt("BENCH_BROKER_MESSAGES", 1_000_000);
const SIZE = envInt("BENCH_BROKER_SIZE", 1024);
const PARTITIONS = envInt("BENCH_BROKER_PARTITIONS", 4);
const PRODUCER = process.env.BENCH_BROKER_PRODUCER ?? "python";
const CONSUMER = process.env.BENCH_BROKER_CONSUMER ?? "kcat";
const LAT_RATE = envInt("BENCH_BROKER_LATENCY_RATE", 2000);
const LAT_SECONDS = envInt("BENCH_BROKER_LATENCY_SECONDS", 10);
const FLUSH_AGE_MS = envInt("BENCH_BROKER_FLUSH_AGE_MS", 10);
const RUNS = envInt("BENCH_BROKER_RUNS", 3);
const PHASES = new Set((process.env.BENCH_BROKER_PHASES ?? "produce-all,produce-1,consume,latency").split(",").map((s) => s.trim()));
const CPU_PROF = process.env.BENCH_BROKER_CPU_PROF;
const TMP = process.env.BENCH_BROKER_TMP ?? os.tmpdir();
const OUT = process.env.BENCH_BROKER_OUT ?? join(here, "../../results/broker.json");

if (!["kcat", "python"].includes(PRODUCER)) throw new Error(`BENCH_BROKER_PRODUCER must be kcat or python, not ${PRODUCER}`);
if (!["kcat", "python"].includes(CONSUMER)) throw new Error(`BENCH_BROKER_CONSUMER must be kcat or python, not ${CONSUMER}`);

/** Targets of the issue, on this 2-core machine. */
const TARGET = { produceAllMBps: 200, consumeMBps: 300, p99OverFlushAgeMs: 20, rssBytes: 1024 ** 3 };

const PRODUCER_SETTINGS: Omit<ProducerSettings, "acks"> = { lingerMs: 5, batchMessages: 10000, queueKBytes: 1048576 };

// ---------------------------------------------------------------- formatting

const MB = 1e6;
const MiB = 2 ** 20;
const f1 = (x: number) => x.toFixed(1);
const f0 = (x: number) => Math.round(x).toLocaleString("en-US");
const mbps = (bytes: number, s: number) => bytes / s / MB;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function spread(xs: number[], fmt: (x: number) => string): string {
  if (xs.length === 0) return "–";
  if (xs.length === 1) return fmt(xs[0]!);
  return `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`;
}

/** Broker and client CPU of a throughput phase: seconds, share of one core, seconds per GB moved. */
function cpuLine(r: { brokerCpuSeconds: number; clientCpuSeconds: number; seconds: number; bytes: number }): string {
  const gb = r.bytes / 1e9;
  const client = Number.isNaN(r.clientCpuSeconds) ? "client CPU unknown" : `client CPU ${r.clientCpuSeconds.toFixed(1)} s (${(r.clientCpuSeconds / gb).toFixed(1)} s/GB)`;
  return `broker CPU ${r.brokerCpuSeconds.toFixed(1)} s (${f0((r.brokerCpuSeconds / r.seconds) * 100)} % of one core, ${(r.brokerCpuSeconds / gb).toFixed(1)} s/GB), ${client}`;
}

function log(line = ""): void {
  process.stdout.write(`${line}\n`);
}

// ---------------------------------------------------------------- machine

function machine(): Record<string, string> {
  const cpuinfo = safe(() => readFileSync("/proc/cpuinfo", "utf8"), "");
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? "?";
  const lsblk = spawnSync("lsblk", ["-d", "-n", "-o", "NAME,ROTA,SIZE,TYPE"], { encoding: "utf8" });
  const df = spawnSync("df", ["--output=source,fstype", TMP], { encoding: "utf8" });
  const v = clientVersions();
  return {
    nproc: String(os.availableParallelism()),
    cpu: model,
    ram: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: `${process.version} (V8 ${process.versions.v8})`,
    disk: `${(df.stdout ?? "").trim().split("\n").at(-1)?.replace(/\s+/g, " ") ?? "?"}; lsblk: ${(lsblk.stdout ?? "").trim().replace(/\n/g, "; ").replace(/\s+/g, " ")}`,
    kcat: `${v.kcat} (librdkafka ${v.librdkafkaKcat})`,
    confluentKafka: `${v.confluentKafka} (librdkafka ${v.librdkafkaPython})`,
  };
}

function safe<T>(fn: () => T, dflt: T): T {
  try {
    return fn();
  } catch {
    return dflt;
  }
}

// ---------------------------------------------------------------- one run

interface PhaseCpu {
  brokerCpuSeconds: number;
  maxRssBytes: number;
}

interface RunResult {
  run: number;
  loadAvgAtStart: number[];
  produceAll?: ProduceResult & PhaseCpu;
  produceOne?: ProduceResult & PhaseCpu;
  consume?: ConsumeResult & PhaseCpu;
  latency?: LatencyResult & PhaseCpu;
  maxRssBytes: number;
  peakRssBytes: number;
  rssSamples: number;
  brokerCpuSeconds: number;
  wallSeconds: number;
  profile?: string | undefined;
  brokerExitCode: number | null;
}

async function oneRun(run: number, linesFile: string | null): Promise<RunResult> {
  const t0 = performance.now();
  const dir = mkdtempSync(join(TMP, "kafscale-bench-broker-"));
  const loadAvgAtStart = os.loadavg();
  log(`\n## run ${run}: data dir ${dir}; load average ${loadAvgAtStart.map((l) => l.toFixed(2)).join(" ")}`);
  const profDir = CPU_PROF === undefined ? undefined : resolve(CPU_PROF);
  if (profDir !== undefined) mkdirSync(profDir, { recursive: true });
  const before = profDir === undefined ? [] : readdirSync(profDir);
  const broker = await BrokerProcess.start({
    mainJs: MAIN_JS,
    dataDir: join(dir, "data"),
    logFile: join(dir, "broker.log"),
    env: {
      KAFSCALE_FLUSH_AGE_MS: String(FLUSH_AGE_MS),
      KAFSCALE_LOG_LEVEL: process.env.KAFSCALE_LOG_LEVEL ?? "warn",
    },
    nodeArgs: profDir === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${profDir}`],
  });
  const result: RunResult = {
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
    const topicLat = "bench-latency";
    await createTopics(broker.bootstrap, PARTITIONS, [topicAll, topicOne, topicLat]);

    const phase = async <T>(label: string, fn: () => Promise<T>): Promise<T & PhaseCpu> => {
      broker.phase = label;
      const cpu0 = broker.cpuSeconds();
      const r = await fn();
      const cpu1 = broker.cpuSeconds();
      const maxRssBytes = broker.phaseMaxRss.get(label) ?? 0;
      broker.phase = "between";
      return { ...r, brokerCpuSeconds: cpu1 - cpu0, maxRssBytes };
    };
    const produce = (topic: string, acks: "all" | "1") =>
      PRODUCER === "kcat"
        ? kcatProduce(broker.bootstrap, topic, linesFile!, MESSAGES, SIZE, { ...PRODUCER_SETTINGS, acks })
        : pythonProduce(broker.bootstrap, topic, MESSAGES, SIZE, { ...PRODUCER_SETTINGS, acks });
    const reportProduce = async (name: string, topic: string, r: ProduceResult & PhaseCpu) => {
      const stored = await topicMessages(broker.bootstrap, topic);
      if (stored < MESSAGES) throw new Error(`${name}: the topic holds ${stored} messages, ${MESSAGES} were produced`);
      log(
        `${name.padEnd(16)} ${f0(r.messages)} msgs in ${r.seconds.toFixed(2)} s: ${f1(mbps(r.bytes, r.seconds))} MB/s, ` +
          `${f0(r.messages / r.seconds)} msg/s; ${cpuLine(r)}; max RSS ${f0(r.maxRssBytes / MiB)} MiB; stored ${f0(stored)}; errors ${r.errors}`,
      );
    };

    if (PHASES.has("produce-all")) {
      result.produceAll = await phase("produce-all", () => produce(topicAll, "all"));
      await reportProduce("produce acks=-1", topicAll, result.produceAll);
    }
    if (PHASES.has("produce-1")) {
      result.produceOne = await phase("produce-1", () => produce(topicOne, "1"));
      await reportProduce("produce acks=1", topicOne, result.produceOne);
    }
    if (PHASES.has("consume")) {
      if (!PHASES.has("produce-all")) throw new Error("the consume phase reads what produce-all wrote");
      const r = await phase("consume", () => (CONSUMER === "kcat" ? kcatConsume(broker.bootstrap, topicAll, SIZE) : pythonConsume(broker.bootstrap, topicAll, MESSAGES)));
      result.consume = r;
      if (r.messages < MESSAGES) throw new Error(`consume: got ${r.messages} messages, expected ${MESSAGES}`);
      log(
        `${"consume".padEnd(16)} ${f0(r.messages)} msgs in ${r.seconds.toFixed(2)} s: ${f1(mbps(r.bytes, r.seconds))} MB/s, ` +
          `${f0(r.messages / r.seconds)} msg/s; ${cpuLine(r)}; max RSS ${f0(r.maxRssBytes / MiB)} MiB`,
      );
    }
    if (PHASES.has("latency")) {
      const r = await phase("latency", () => pythonLatency(broker.bootstrap, topicLat, LAT_RATE, LAT_SECONDS, SIZE));
      result.latency = r;
      if (r.delivered !== r.sent || r.errors > 0) throw new Error(`latency: ${r.delivered} of ${r.sent} delivered, ${r.errors} errors`);
      log(
        `${"latency".padEnd(16)} ${f0(r.sent)} msgs at ${f0(r.rate)} msg/s: p50 ${f1(r.p50_ms)} ms, p90 ${f1(r.p90_ms)} ms, p99 ${f1(r.p99_ms)} ms, ` +
          `p99.9 ${f1(r.p999_ms)} ms, max ${f1(r.max_ms)} ms (flush age ${FLUSH_AGE_MS} ms; client send lag max ${f1(r.max_send_lag_ms)} ms); broker CPU ${r.brokerCpuSeconds.toFixed(1)} s, client CPU ${r.client_cpu_seconds.toFixed(1)} s; max RSS ${f0(r.maxRssBytes / MiB)} MiB`,
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
    rmSync(dir, { recursive: true, force: true });
    result.wallSeconds = (performance.now() - t0) / 1000;
    log(
      `broker: max RSS ${f0(result.maxRssBytes / MiB)} MiB sampled (${result.rssSamples} samples every 100 ms), peak ${f0(result.peakRssBytes / MiB)} MiB (VmHWM); ` +
        `CPU ${result.brokerCpuSeconds.toFixed(1)} s; data written ${f0(dataBytes / MiB)} MiB; exit code ${result.brokerExitCode}; run took ${result.wallSeconds.toFixed(1)} s` +
        (result.profile === undefined ? "" : `; profile ${result.profile}`),
    );
  }
  return result;
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
  const m = machine();
  log("# Kafscale broker benchmark (embedded broker, file:// segments and metadata)");
  log();
  for (const [k, v] of Object.entries(m)) log(`${k.padEnd(15)} ${v}`);
  log(
    `\nworkload: ${f0(MESSAGES)} messages of ${SIZE} B per throughput phase (${f1((MESSAGES * SIZE) / MB)} MB), ${PARTITIONS} partitions, ` +
      `producer ${PRODUCER === "kcat" ? "kcat" : "confluent-kafka"} (linger.ms=${PRODUCER_SETTINGS.lingerMs}, batch.num.messages=${PRODUCER_SETTINGS.batchMessages}, ` +
      `queue.buffering.max.kbytes=${PRODUCER_SETTINGS.queueKBytes}), consumer ${CONSUMER === "kcat" ? "kcat" : "confluent-kafka"} (${CONSUMER_PROPS.join(", ")}); ` +
      `latency: confluent-kafka, ${LAT_RATE} msg/s for ${LAT_SECONDS} s, acks=all, linger.ms=0; broker KAFSCALE_FLUSH_AGE_MS=${FLUSH_AGE_MS}; ${RUNS} run(s)`,
  );
  log("MB = 10^6 bytes of message values (protocol overhead not counted); MiB = 2^20 bytes.");

  let linesFile: string | null = null;
  let linesDir: string | null = null;
  const runs: RunResult[] = [];
  try {
    if (PRODUCER === "kcat" && (PHASES.has("produce-all") || PHASES.has("produce-1"))) {
      linesDir = mkdtempSync(join(TMP, "kafscale-bench-input-"));
      linesFile = join(linesDir, "messages.txt");
      const g0 = performance.now();
      writeLinesFile(linesFile, MESSAGES, SIZE);
      log(`kcat input: ${linesFile} (${f0(statSync(linesFile).size / MiB)} MiB) written in ${((performance.now() - g0) / 1000).toFixed(1)} s`);
    }
    for (let i = 1; i <= RUNS; i++) runs.push(await oneRun(i, linesFile));
  } finally {
    if (linesDir !== null) rmSync(linesDir, { recursive: true, force: true });
  }

  // ------------------------------------------------------------ summary
  const pick = <T>(f: (r: RunResult) => T | undefined): T[] => runs.map(f).filter((x): x is T => x !== undefined);
  const prodAll = pick((r) => r.produceAll);
  const prodOne = pick((r) => r.produceOne);
  const cons = pick((r) => r.consume);
  const lat = pick((r) => r.latency);
  const rssMax = Math.max(...runs.map((r) => Math.max(r.maxRssBytes, r.peakRssBytes)));
  const status = (ok: boolean) => (ok ? "met" : "NOT met");
  const rows: string[][] = [];
  const tput = (xs: { bytes: number; seconds: number; messages: number; brokerCpuSeconds: number; clientCpuSeconds: number }[]) => [
    spread(xs.map((x) => mbps(x.bytes, x.seconds)), f1),
    spread(xs.map((x) => x.bytes / x.seconds / MiB), f1),
    spread(xs.map((x) => x.messages / x.seconds), f0),
    spread(xs.map((x) => (x.brokerCpuSeconds / x.seconds) * 100), f0),
    spread(xs.map((x) => x.brokerCpuSeconds / (x.bytes / 1e9)), f1),
    spread(xs.filter((x) => !Number.isNaN(x.clientCpuSeconds)).map((x) => x.clientCpuSeconds / (x.bytes / 1e9)), f1),
  ];
  if (prodAll.length > 0) {
    const best = Math.max(...prodAll.map((x) => mbps(x.bytes, x.seconds)));
    rows.push(["produce acks=-1", ...tput(prodAll), `≥ ${TARGET.produceAllMBps} MB/s`, status(median(prodAll.map((x) => mbps(x.bytes, x.seconds))) >= TARGET.produceAllMBps) + (best >= TARGET.produceAllMBps ? "" : ` (best ${f1(best)})`)]);
  }
  if (prodOne.length > 0) rows.push(["produce acks=1", ...tput(prodOne), "–", "–"]);
  if (cons.length > 0) {
    const best = Math.max(...cons.map((x) => mbps(x.bytes, x.seconds)));
    rows.push(["consume", ...tput(cons), `≥ ${TARGET.consumeMBps} MB/s`, status(median(cons.map((x) => mbps(x.bytes, x.seconds))) >= TARGET.consumeMBps) + (best >= TARGET.consumeMBps ? "" : ` (best ${f1(best)})`)]);
  }
  log("\n## Summary" + (runs.length > 1 ? ` (median of ${runs.length} runs, range in brackets)` : ""));
  log();
  log("| phase | MB/s | MiB/s | msg/s | broker CPU, % of one core | broker CPU s/GB | client CPU s/GB | target | status |");
  log("|---|--:|--:|--:|--:|--:|--:|---|---|");
  for (const r of rows) log(`| ${r.join(" | ")} |`);
  if (lat.length > 0) {
    const p99 = median(lat.map((x) => x.p99_ms));
    log();
    log(`| latency (${f0(LAT_RATE)} msg/s, acks=all, linger.ms=0) | p50 ms | p99 ms | p99.9 ms | max ms | target | status |`);
    log("|---|--:|--:|--:|--:|---|---|");
    log(
      `| produce() → delivery report | ${spread(lat.map((x) => x.p50_ms), f1)} | ${spread(lat.map((x) => x.p99_ms), f1)} | ${spread(lat.map((x) => x.p999_ms), f1)} | ${spread(lat.map((x) => x.max_ms), f1)} | ` +
        `p99 ≤ ${FLUSH_AGE_MS} + ${TARGET.p99OverFlushAgeMs} = ${FLUSH_AGE_MS + TARGET.p99OverFlushAgeMs} ms | ${status(p99 <= FLUSH_AGE_MS + TARGET.p99OverFlushAgeMs)} |`,
    );
  }
  log();
  log(
    `broker memory: max ${f0(rssMax / MiB)} MiB (largest of the 100 ms VmRSS samples and VmHWM over ${runs.length} run(s); ` +
      `per run ${runs.map((r) => f0(Math.max(r.maxRssBytes, r.peakRssBytes) / MiB)).join(", ")} MiB); target < 1024 MiB: ${status(rssMax < TARGET.rssBytes)}`,
  );
  log(`load average (1 min) at the start of each run: ${runs.map((r) => r.loadAvgAtStart[0]!.toFixed(2)).join(", ")} (${m.nproc} CPUs; other work on the machine slows every phase)`);
  const wall = (performance.now() - t0) / 1000;
  log(`total wall time ${wall.toFixed(1)} s`);

  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(
    OUT,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: m,
        settings: { MESSAGES, SIZE, PARTITIONS, PRODUCER, CONSUMER, LAT_RATE, LAT_SECONDS, FLUSH_AGE_MS, RUNS, PRODUCER_SETTINGS, CONSUMER_PROPS },
        runs,
        wallSeconds: wall,
      },
      null,
      2,
    ),
  );
  log(`results: ${OUT}`);
  const failedExit = runs.some((r) => r.brokerExitCode !== 0);
  if (failedExit) {
    log("the broker did not exit cleanly on SIGTERM in some run");
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`broker bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
