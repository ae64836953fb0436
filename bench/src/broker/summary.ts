/**
 * The throughput, latency and memory tables of the broker benchmark (every backend): medians over
 * the runs, ranges in brackets, against the targets.
 */
import type { ConsumeResult, LatencyResult, ProduceResult } from "./clients.js";
import { f0, f1, log, mbps, MiB, spread, status } from "./format.js";
import { median } from "./stats.js";

/** Targets of the issue, on this 2-core machine. */
export const TARGET = { produceAllMBps: 200, consumeMBps: 300, p99OverFlushAgeMs: 20, rssBytes: 1024 ** 3 };

export interface PhaseCpu {
  brokerCpuSeconds: number;
  maxRssBytes: number;
}

/** What the summary reads of a run. */
export interface SummaryRun {
  loadAvgAtStart: number[];
  produceAll?: (ProduceResult & PhaseCpu) | undefined;
  produceOne?: (ProduceResult & PhaseCpu) | undefined;
  consume?: (ConsumeResult & PhaseCpu) | undefined;
  latency?: (LatencyResult & PhaseCpu) | undefined;
  /** The latency phase with librdkafka's default Nagle (not judged). */
  latencyNagle?: (LatencyResult & PhaseCpu) | undefined;
  maxRssBytes: number;
  peakRssBytes: number;
}

type Throughput = { bytes: number; seconds: number; messages: number; brokerCpuSeconds: number; clientCpuSeconds: number };

function tput(xs: Throughput[]): string[] {
  return [
    spread(xs.map((x) => mbps(x.bytes, x.seconds)), f1),
    spread(xs.map((x) => x.bytes / x.seconds / MiB), f1),
    spread(xs.map((x) => x.messages / x.seconds), f0),
    spread(xs.map((x) => (x.brokerCpuSeconds / x.seconds) * 100), f0),
    spread(xs.map((x) => x.brokerCpuSeconds / (x.bytes / 1e9)), f1),
    spread(xs.filter((x) => !Number.isNaN(x.clientCpuSeconds)).map((x) => x.clientCpuSeconds / (x.bytes / 1e9)), f1),
  ];
}

function targetCell(xs: Throughput[], target: number): string {
  const rates = xs.map((x) => mbps(x.bytes, x.seconds));
  const best = Math.max(...rates);
  return status(median(rates) >= target) + (best >= target ? "" : ` (best ${f1(best)})`);
}

export function reportThroughput(title: string, runs: readonly SummaryRun[], o: { latencyRate: number; flushAgeMs: number; nproc: string }): void {
  const pick = <T>(f: (r: SummaryRun) => T | undefined): T[] => runs.map(f).filter((x): x is T => x !== undefined);
  const prodAll = pick((r) => r.produceAll);
  const prodOne = pick((r) => r.produceOne);
  const cons = pick((r) => r.consume);
  const lat = pick((r) => r.latency);
  const latNagle = pick((r) => r.latencyNagle);
  const rows: string[][] = [];
  if (prodAll.length > 0) rows.push(["produce acks=-1", ...tput(prodAll), `≥ ${TARGET.produceAllMBps} MB/s`, targetCell(prodAll, TARGET.produceAllMBps)]);
  if (prodOne.length > 0) rows.push(["produce acks=1", ...tput(prodOne), "–", "–"]);
  if (cons.length > 0) rows.push(["consume", ...tput(cons), `≥ ${TARGET.consumeMBps} MB/s`, targetCell(cons, TARGET.consumeMBps)]);
  log(`\n## ${title}` + (runs.length > 1 ? ` (median of ${runs.length} runs, range in brackets)` : ""));
  log();
  log("| phase | MB/s | MiB/s | msg/s | broker CPU, % of one core | broker CPU s/GB | client CPU s/GB | target | status |");
  log("|---|--:|--:|--:|--:|--:|--:|---|---|");
  for (const r of rows) log(`| ${r.join(" | ")} |`);
  if (lat.length > 0 || latNagle.length > 0) {
    const limit = o.flushAgeMs + TARGET.p99OverFlushAgeMs;
    const row = (label: string, xs: LatencyResult[], judged: boolean): void =>
      log(
        `| ${label} | ${spread(xs.map((x) => x.p50_ms), f1)} | ${spread(xs.map((x) => x.p99_ms), f1)} | ${spread(xs.map((x) => x.p999_ms), f1)} | ${spread(xs.map((x) => x.max_ms), f1)} | ` +
          (judged ? `p99 ≤ ${o.flushAgeMs} + ${TARGET.p99OverFlushAgeMs} = ${limit} ms | ${status(median(xs.map((x) => x.p99_ms)) <= limit)} |` : "– | – |"),
      );
    log();
    log(`| latency (${f0(o.latencyRate)} msg/s, acks=all, linger.ms=0) | p50 ms | p99 ms | p99.9 ms | max ms | target | status |`);
    log("|---|--:|--:|--:|--:|---|---|");
    if (lat.length > 0) row("produce() → delivery report, TCP_NODELAY (socket.nagle.disable=true)", lat, true);
    if (latNagle.length > 0) row("the same with librdkafka's default Nagle (socket.nagle.disable=false)", latNagle, false);
  }
  const rssMax = Math.max(...runs.map((r) => Math.max(r.maxRssBytes, r.peakRssBytes)));
  log();
  log(
    `broker memory: max ${f0(rssMax / MiB)} MiB (largest of the 100 ms VmRSS samples and VmHWM over ${runs.length} run(s); ` +
      `per run ${runs.map((r) => f0(Math.max(r.maxRssBytes, r.peakRssBytes) / MiB)).join(", ")} MiB); target < 1024 MiB: ${status(rssMax < TARGET.rssBytes)}`,
  );
  log(`load average (1 min) at the start of each run: ${runs.map((r) => r.loadAvgAtStart[0]!.toFixed(2)).join(", ")} (${o.nproc} CPUs; other work on the machine slows every phase)`);
}
