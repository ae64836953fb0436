/**
 * The S3 + etcd part of the broker benchmark's summary: produce throughput against the gateway's
 * raw PUT throughput (target: ≥ 0.8×), S3 requests and etcd writes per GiB produced, object sizes,
 * and per-flush timings. Medians over the runs, ranges in brackets.
 */
import { f0, f1, f2, GiB, log, mbps, MiB, spread, status } from "./format.js";
import type { Distribution } from "./flush-timings.js";
import type { CpuSnapshot } from "./process-cpu.js";
import type { S3Op } from "./request-counts.js";
import type { S3PhaseStats, S3RunStats } from "./s3-run.js";
import { median } from "./stats.js";

/** The raw PUT ratio target of the issue. */
export const RAW_PUT_RATIO_TARGET = 0.8;

/** What the report needs of a run: the clients' produce figures and the S3 stats. */
export interface S3ReportRun {
  produceAll?: { bytes: number; seconds: number; clientCpuSeconds: number } | undefined;
  produceOne?: { bytes: number; seconds: number } | undefined;
  consume?: { bytes: number; seconds: number } | undefined;
  latency?: { sent: number } | undefined;
  s3?: S3RunStats | undefined;
}

const REPORTED_OPS: readonly S3Op[] = ["PUT", "GET", "HEAD", "LIST", "DELETE", "OTHER"];

export function reportS3(runs: readonly S3ReportRun[], o: { partitions: number; valueBytes: number }): void {
  const partitions = o.partitions;
  const withS3 = runs.filter((r): r is S3ReportRun & { s3: S3RunStats } => r.s3 !== undefined);
  if (withS3.length === 0) return;
  const s = (f: (r: S3ReportRun & { s3: S3RunStats }) => number | undefined, fmt: (x: number) => string): string =>
    spread(
      withS3.map(f).filter((x): x is number => x !== undefined),
      fmt,
    );
  const ms = (x: number) => `${f1(x)} ms`;

  // ---- produce vs raw PUT
  const produceMBps = (r: S3ReportRun) => (r.produceAll === undefined ? undefined : mbps(r.produceAll.bytes, r.produceAll.seconds));
  const wireMBps = (r: S3ReportRun & { s3: S3RunStats }) => {
    const p = r.s3.phases["produce-all"];
    return p === undefined || r.produceAll === undefined || p.putBytes === 0 ? undefined : mbps(p.putBytes, r.produceAll.seconds);
  };
  const raw = (r: S3ReportRun & { s3: S3RunStats }) => r.s3.rawPut?.mbps;
  const ratio = (r: S3ReportRun & { s3: S3RunStats }) => {
    const p = produceMBps(r);
    const q = raw(r);
    return p === undefined || q === undefined ? undefined : p / q;
  };
  const ratios = withS3.map(ratio).filter((x): x is number => x !== undefined);
  log();
  log(`### S3 + etcd: produce acks=-1 against the gateway's raw PUT throughput (same run, same object size, ${partitions} streams = partitions)`);
  log();
  log("| figure | value | target | status |");
  log("|---|--:|---|---|");
  log(`| produce acks=-1, MB/s of message values | ${s(produceMBps, f1)} | | |`);
  log(`| produce acks=-1, MB/s PUT to S3 (segments + indexes) | ${s(wireMBps, f1)} | | |`);
  log(`| raw PUT straight to the gateway, MB/s (object ${s((r) => r.s3.rawPut?.objectBytes, (x) => f2(x / MiB))} MiB, If-None-Match: *) | ${s(raw, f1)} | | |`);
  log(`| raw PUT through the counting proxy, MB/s | ${s((r) => r.s3.rawPutViaProxy?.mbps, f1)} | | |`);
  log(
    `| **produce ÷ raw PUT** | **${spread(ratios, f2)}** | ≥ ${RAW_PUT_RATIO_TARGET} | ${ratios.length === 0 ? "–" : status(median(ratios) >= RAW_PUT_RATIO_TARGET) + (Math.max(...ratios) >= RAW_PUT_RATIO_TARGET ? "" : ` (best ${f2(Math.max(...ratios))})`)} |`,
  );
  log(`| bytes PUT by the broker ÷ raw PUT | ${s((r) => { const w = wireMBps(r); const q = raw(r); return w === undefined || q === undefined ? undefined : w / q; }, f2)} | | |`);
  log(`| produce ÷ raw PUT through the proxy | ${s((r) => { const p = produceMBps(r); const q = r.s3.rawPutViaProxy?.mbps; return p === undefined || q === undefined ? undefined : p / q; }, f2)} | | |`);
  log(`| raw PUT latency p50 / p90 / p99 | ${s((r) => r.s3.rawPut?.p50Ms, ms)} / ${s((r) => r.s3.rawPut?.p90Ms, ms)} / ${s((r) => r.s3.rawPut?.p99Ms, ms)} | | |`);

  // ---- requests and etcd writes
  log();
  log("### S3 requests and etcd writes per GiB of message values produced (consumed, for consume)");
  log();
  log(`| phase | ${REPORTED_OPS.join(" | ")} | not 2xx | etcd writes (raft proposals) | etcd keys put | etcd txns |`);
  log(`|---|${REPORTED_OPS.map(() => "--:|").join("")}--:|--:|--:|--:|`);
  const row = (label: string, phase: string, gib: (r: S3ReportRun) => number | undefined) => {
    const per = (f: (p: S3PhaseStats) => number) =>
      s((r) => {
        const p = r.s3.phases[phase];
        const g = gib(r);
        return p === undefined || g === undefined ? undefined : f(p) / g;
      }, f0);
    if (!withS3.some((r) => r.s3.phases[phase] !== undefined)) return;
    log(
      `| ${label} | ${REPORTED_OPS.map((op) => per((p) => p.requests[op])).join(" | ")} | ${per((p) => p.non2xx)} | ${per((p) => p.etcd.proposalsCommitted)} | ${per((p) => p.etcd.mvccPut)} | ${per((p) => p.etcd.mvccTxn)} |`,
    );
  };
  row("produce acks=-1, per GiB", "produce-all", (r) => (r.produceAll === undefined ? undefined : r.produceAll.bytes / GiB));
  row("produce acks=1, per GiB", "produce-1", (r) => (r.produceOne === undefined ? undefined : r.produceOne.bytes / GiB));
  row("consume, per GiB", "consume", (r) => (r.consume === undefined ? undefined : r.consume.bytes / GiB));
  row(`latency phase (${f0(withS3[0]?.latency?.sent ?? 0)} messages, low load), per GiB`, "latency", (r) => (r.latency === undefined ? undefined : (r.latency.sent * o.valueBytes) / GiB));

  // ---- objects and flushes
  const flush = (r: S3ReportRun & { s3: S3RunStats }) => r.s3.phases["produce-all"]?.flush;
  if (!withS3.some((r) => flush(r) !== undefined)) return;
  const d = (f: (x: NonNullable<ReturnType<typeof flush>>) => Distribution, fmt: (x: number) => string) =>
    (["p50", "p90", "p99", "mean"] as const).map((k) => s((r) => { const x = flush(r); return x === undefined ? undefined : f(x)[k]; }, fmt)).join(" | ");
  const mib = (x: number) => f2(x / MiB);
  log();
  log("### Segments and per-flush timings, produce acks=-1 (from the proxy's request log)");
  log();
  log(`flushes ${s((r) => flush(r)?.flushes, f0)} over ${partitions} partitions; average segment object ${s((r) => flush(r)?.avgSegmentBytes, mib)} MiB, index object ${s((r) => flush(r)?.avgIndexBytes, f0)} B; a partition had a PUT on the wire ${s((r) => (flush(r)?.putShare ?? Number.NaN) * 100, f0)} % of its time`);
  log();
  log("| per flush | p50 | p90 | p99 | mean |");
  log("|---|--:|--:|--:|--:|");
  log(`| segment object, MiB | ${d((x) => x.segmentBytes, mib)} |`);
  log(`| segment PUT, ms | ${d((x) => x.segmentPutMs, f1)} |`);
  log(`| index PUT, ms | ${d((x) => x.indexPutMs, f1)} |`);
  log(`| both PUTs (first start → last end), ms | ${d((x) => x.putMs, f1)} |`);
  log(`| gap to the partition's next flush (etcd commit, next segment built and signed), ms | ${d((x) => x.gapMs, f1)} |`);
  log(`| flush cycle, ms | ${d((x) => x.cycleMs, f1)} |`);
  const etcdMean = (f: (e: S3PhaseStats["etcd"]) => [number, number]) =>
    s((r) => {
      const e = r.s3.phases["produce-all"]?.etcd;
      if (e === undefined) return undefined;
      const [sum, n] = f(e);
      return n > 0 ? (sum / n) * 1000 : undefined;
    }, (x) => f2(x));
  log();
  log(
    `etcd during produce acks=-1: Txn handled in ${etcdMean((e) => [e.grpcTxnSeconds, e.grpcTxn])} ms on average (server side), WAL fsync ${etcdMean((e) => [e.walFsyncSeconds, e.walFsyncs])} ms, backend commit ${etcdMean((e) => [e.backendCommitSeconds, e.backendCommits])} ms`,
  );
  reportCpu(withS3);
  const contents = withS3.map((r) => r.s3.contents).filter((c) => c !== undefined);
  if (contents.length > 0) {
    log();
    log(
      `bucket after the run (all topics): ${spread(contents.map((c) => c.segments), f0)} segment objects averaging ${spread(contents.map((c) => c.segmentBytes / Math.max(1, c.segments) / MiB), f2)} MiB, ` +
        `${spread(contents.map((c) => c.indexes), f0)} index objects averaging ${spread(contents.map((c) => c.indexBytes / Math.max(1, c.indexes)), f0)} B, ${spread(contents.map((c) => c.other), f0)} other`,
    );
  }
}

/**
 * Where the machine's cores went during produce acks=-1 and during the raw PUT: CPU seconds per
 * GB PUT to S3 by process, and the machine's busy share (everything, other users' work included).
 */
function reportCpu(runs: readonly (S3ReportRun & { s3: S3RunStats })[]): void {
  const rows: [string, (c: CpuSnapshot) => number][] = [
    ["broker", (c) => c.processes.broker ?? Number.NaN],
    ["radosgw", (c) => c.processes.radosgw ?? Number.NaN],
    ["ceph-osd", (c) => c.processes["ceph-osd"] ?? Number.NaN],
    ["ceph-mon", (c) => c.processes["ceph-mon"] ?? Number.NaN],
    ["etcd", (c) => c.processes.etcd ?? Number.NaN],
    ["bench process (counting proxy; the raw PUT client)", (c) => c.self],
  ];
  type Side = { cpu: CpuSnapshot; seconds: number; gb: number; client: number };
  const produce = (r: S3ReportRun & { s3: S3RunStats }): Side | undefined => {
    const p = r.s3.phases["produce-all"];
    return p === undefined || r.produceAll === undefined ? undefined : { cpu: p.cpu, seconds: r.produceAll.seconds, gb: p.putBytes / 1e9, client: r.produceAll.clientCpuSeconds };
  };
  const raw = (r: S3ReportRun & { s3: S3RunStats }): Side | undefined => {
    const q = r.s3.rawPut;
    return q === undefined ? undefined : { cpu: q.cpu, seconds: q.seconds, gb: q.bytes / 1e9, client: 0 };
  };
  const cell = (side: typeof produce, f: (x: Side) => number) => spread(runs.map(side).filter((x): x is Side => x !== undefined).map(f), f1);
  const perGb = (side: typeof produce, f: (c: CpuSnapshot) => number) => `${cell(side, (x) => f(x.cpu) / x.gb)} | ${cell(side, (x) => (f(x.cpu) / x.seconds) * 100)}`;
  log();
  log("### Where the cores went (CPU seconds per GB PUT to S3, and % of one core)");
  log();
  log("| process | produce acks=-1: s/GB | % of a core | raw PUT: s/GB | % of a core |");
  log("|---|--:|--:|--:|--:|");
  for (const [label, f] of rows) log(`| ${label} | ${perGb(produce, f)} | ${perGb(raw, f)} |`);
  log(`| producer (confluent-kafka) | ${cell(produce, (x) => x.client / x.gb)} | ${cell(produce, (x) => (x.client / x.seconds) * 100)} | – | – |`);
  log(`| whole machine, busy (all processes, other users' included) | ${perGb(produce, (c) => c.machineBusy)} | ${perGb(raw, (c) => c.machineBusy)} |`);
  log(`| whole machine, capacity | | ${cell(produce, (x) => (x.cpu.machineTotal / x.seconds) * 100)} | | ${cell(raw, (x) => (x.cpu.machineTotal / x.seconds) * 100)} |`);
}
