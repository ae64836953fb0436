/**
 * The real Kafka clients the broker benchmark drives: kcat (librdkafka, C) and confluent-kafka
 * for Python (librdkafka too), through bench/src/broker/kafka_client.py.
 */
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
/** Debian's python: the pyenv python3 on PATH cannot import apt's confluent_kafka. */
export const PYTHON = process.env.BENCH_PYTHON ?? "/usr/bin/python3";
export const KCAT = process.env.BENCH_KCAT ?? "kcat";
const HELPER = join(here, "kafka_client.py");

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, seconds. */
  wallSeconds: number;
}

/** Runs a command to completion; stdout is captured unless `stdoutFd` is given (e.g. /dev/null). */
export function run(cmd: string, args: string[], options: { stdoutFd?: number | undefined; timeoutMs?: number | undefined } = {}): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { stdio: ["ignore", options.stdoutFd ?? "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 600_000);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, wallSeconds: (performance.now() - t0) / 1000 });
    });
  });
}

/** GNU time, to get kcat's CPU time; absent on some systems (then kcat's CPU is not reported). */
const GNU_TIME = "/usr/bin/time";

/** Runs kcat, under GNU time when it is there; returns its CPU seconds (user + system) or NaN. */
async function runKcat(args: string[], options: { stdoutFd?: number | undefined } = {}): Promise<Finished & { cpuSeconds: number }> {
  const timed = existsSync(GNU_TIME);
  const r = timed ? await run(GNU_TIME, ["-f", "KCAT_CPU %U %S", KCAT, ...args], options) : await run(KCAT, args, options);
  const m = /KCAT_CPU ([\d.]+) ([\d.]+)/.exec(r.stderr);
  return { ...r, cpuSeconds: m === null ? Number.NaN : Number(m[1]) + Number(m[2]) };
}

/** Runs a kafka_client.py subcommand and returns its JSON line. */
export async function python<T>(args: string[], timeoutMs?: number): Promise<T & { wallSeconds: number }> {
  const r = await run(PYTHON, [HELPER, ...args], { timeoutMs });
  const line = r.stdout.trim().split("\n").at(-1) ?? "";
  if (r.code !== 0 || !line.startsWith("{")) {
    throw new Error(`kafka_client.py ${args[0]} failed (exit ${r.code}): ${r.stderr.trim().slice(-2000)}`);
  }
  return { ...(JSON.parse(line) as T), wallSeconds: r.wallSeconds };
}

/** "2.0.2" etc., or "?" when the tool is missing. */
export function clientVersions(): { kcat: string; librdkafkaKcat: string; confluentKafka: string; librdkafkaPython: string } {
  const k = spawnSync(KCAT, ["-V"], { encoding: "utf8" });
  const kv = /Version (\S+) .*librdkafka (\S+)/.exec(`${k.stdout}${k.stderr}`);
  const p = spawnSync(PYTHON, ["-c", "import confluent_kafka as c; print(c.version()[0], c.libversion()[0])"], { encoding: "utf8" });
  const [ck, lr] = p.status === 0 ? p.stdout.trim().split(" ") : ["?", "?"];
  return { kcat: kv?.[1] ?? "?", librdkafkaKcat: kv?.[2] ?? "?", confluentKafka: ck ?? "?", librdkafkaPython: lr ?? "?" };
}

/**
 * The kcat producer's input: `count` lines of `size` bytes, each followed by "\n". kcat -l splits
 * on the delimiter and does not send it, so every message value is exactly `size` bytes.
 */
export function writeLinesFile(path: string, count: number, size: number): void {
  const perBlock = 1000;
  const line = Buffer.alloc(size + 1, "x".charCodeAt(0));
  line[size] = 0x0a;
  const block = Buffer.alloc(perBlock * (size + 1));
  for (let i = 0; i < perBlock; i++) line.copy(block, i * (size + 1));
  const fd = openSync(path, "w");
  try {
    for (let written = 0; written < count; ) {
      const n = Math.min(perBlock, count - written);
      for (let i = 0; i < n; i++) {
        // A sequence number at the start of each value, so the messages are not all identical.
        const at = i * (size + 1);
        block.write(String(written + i).padStart(Math.min(10, size), "0").slice(-Math.min(10, size)), at, "latin1");
      }
      writeSync(fd, block, 0, n * (size + 1));
      written += n;
    }
  } finally {
    closeSync(fd);
  }
}

export interface ProduceResult {
  client: string;
  messages: number;
  bytes: number;
  seconds: number;
  errors: number;
  /** CPU time of the client process (all its threads), seconds; NaN when unknown. */
  clientCpuSeconds: number;
}

export interface ProducerSettings {
  acks: "all" | "1";
  lingerMs: number;
  batchMessages: number;
  queueKBytes: number;
}

function producerProps(s: ProducerSettings): string[] {
  return [
    `acks=${s.acks}`,
    `linger.ms=${s.lingerMs}`,
    `batch.num.messages=${s.batchMessages}`,
    `queue.buffering.max.kbytes=${s.queueKBytes}`,
    "queue.buffering.max.messages=1000000",
    "enable.idempotence=false",
  ];
}

/** kcat -P -l FILE: timed from spawn to exit (kcat waits for every delivery report before exiting). */
export async function kcatProduce(bootstrap: string, topic: string, file: string, count: number, size: number, s: ProducerSettings): Promise<ProduceResult> {
  const args = ["-P", "-b", bootstrap, "-t", topic, "-l", ...producerProps(s).flatMap((p) => ["-X", p]), file];
  const r = await runKcat(args);
  const errors = (r.stderr.match(/Delivery failed|ERROR/g) ?? []).length;
  if (r.code !== 0) throw new Error(`kcat -P failed (exit ${r.code}): ${r.stderr.trim().slice(-2000)}`);
  return { client: "kcat", messages: count, bytes: count * size, seconds: r.wallSeconds, errors, clientCpuSeconds: r.cpuSeconds };
}

/** confluent-kafka Producer.produce in a tight loop, poll(0) every 1024, flush: timed from the first produce() to the end of flush(). */
export async function pythonProduce(bootstrap: string, topic: string, count: number, size: number, s: ProducerSettings): Promise<ProduceResult> {
  const [acks, ...extra] = producerProps(s);
  const r = await python<{ seconds: number; messages: number; errors: number; undelivered: number; bytes: number; client_cpu_seconds: number }>([
    "produce",
    bootstrap,
    topic,
    String(count),
    String(size),
    acks!.slice("acks=".length),
    ...extra,
  ]);
  return {
    client: "confluent-kafka",
    messages: r.messages,
    bytes: r.bytes,
    seconds: r.seconds,
    errors: r.errors + r.undelivered,
    clientCpuSeconds: r.client_cpu_seconds,
  };
}

export interface ConsumeResult {
  client: string;
  messages: number;
  bytes: number;
  seconds: number;
  /** CPU time of the client process (all its threads), seconds; NaN when unknown. */
  clientCpuSeconds: number;
}

export const CONSUMER_PROPS = ["fetch.max.bytes=52428800", "max.partition.fetch.bytes=10485760", "queued.max.messages.kbytes=262144", "fetch.wait.max.ms=100"];

/**
 * kcat -C -e -o beginning, values to /dev/null: timed from spawn to exit. The message count is
 * the sum of the end offsets kcat reports on stderr ("Reached end of topic T [p] at offset N").
 */
export async function kcatConsume(bootstrap: string, topic: string, size: number): Promise<ConsumeResult> {
  const devNull = openSync("/dev/null", "w");
  let r: Finished & { cpuSeconds: number };
  try {
    r = await runKcat(["-C", "-b", bootstrap, "-t", topic, "-o", "beginning", "-e", ...CONSUMER_PROPS.flatMap((p) => ["-X", p])], { stdoutFd: devNull });
  } finally {
    closeSync(devNull);
  }
  if (r.code !== 0) throw new Error(`kcat -C failed (exit ${r.code}): ${r.stderr.trim().slice(-2000)}`);
  let messages = 0;
  for (const m of r.stderr.matchAll(/Reached end of topic \S+ \[\d+\] at offset (\d+)/g)) messages += Number(m[1]);
  return { client: "kcat", messages, bytes: messages * size, seconds: r.wallSeconds, clientCpuSeconds: r.cpuSeconds };
}

/** confluent-kafka Consumer (assign at the beginning, consume(10000) batches, bytes counted): timed from the first message to the last. */
export async function pythonConsume(bootstrap: string, topic: string, expected: number): Promise<ConsumeResult> {
  const r = await python<{ seconds: number; messages: number; bytes: number; client_cpu_seconds: number }>([
    "consume",
    bootstrap,
    topic,
    String(expected),
    ...CONSUMER_PROPS,
  ]);
  return { client: "confluent-kafka", messages: r.messages, bytes: r.bytes, seconds: r.seconds, clientCpuSeconds: r.client_cpu_seconds };
}

export interface LatencyResult {
  sent: number;
  delivered: number;
  errors: number;
  seconds: number;
  rate: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  p999_ms: number;
  max_ms: number;
  min_ms: number;
  mean_ms: number;
  max_send_lag_ms: number;
  client_cpu_seconds: number;
}

/**
 * Fixed-rate produce (acks=all, linger.ms=0) with confluent-kafka; latency = produce() to delivery
 * report. `extra`: more librdkafka settings, `key=value`.
 */
export function pythonLatency(bootstrap: string, topic: string, rate: number, seconds: number, size: number, extra: readonly string[] = []): Promise<LatencyResult> {
  return python<LatencyResult>(["latency", bootstrap, topic, String(rate), String(seconds), String(size), ...extra]);
}

export function createTopics(bootstrap: string, partitions: number, topics: string[]): Promise<{ ready: boolean }> {
  return python<{ ready: boolean }>(["create", bootstrap, String(partitions), ...topics]);
}

/** Sum over partitions of high watermark - log start offset. */
export async function topicMessages(bootstrap: string, topic: string): Promise<number> {
  const r = await python<{ total: number }>(["offsets", bootstrap, topic]);
  return r.total;
}
