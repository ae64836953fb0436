/** A small layer over tinybench: batches fast operations, measures retained memory, prints tables. */
import { Bench } from "tinybench";

export type CodecName = "kafscale" | "kafkajs" | "platformatic";

export interface Case {
  /** Rows with the same group are compared with each other. */
  group: string;
  /** Short id, unique in the group (used by `compareTo`). */
  id: string;
  codec: CodecName;
  /** What the row measures, in a few words. */
  label: string;
  fn: () => unknown;
  async?: boolean;
  /** Records bytes copied on this path? "no" / "yes (...)". */
  copied: string;
  /** The kafscale row of the same group this row is compared with (ours / theirs). */
  compareTo?: string;
}

export interface Result extends Omit<Case, "fn"> {
  /** ops/s of the fastest round. */
  opsPerSec: number;
  /** ops/s of the median round. */
  medianOpsPerSec: number;
  /** Median absolute deviation of the rounds, % of the median. */
  rmePct: number;
  /** ops/s of each round. */
  roundsOpsPerSec: number[];
  gbPerSec: number;
  meanMicros: number;
  samples: number;
  batch: number;
  retainedBytesPerOp: number;
  ratio?: number;
}

/** Results land here so the engine cannot drop the calls. */
let sink: unknown;
export function lastSink(): unknown {
  return sink;
}

const gc = (globalThis as { gc?: () => void }).gc;

async function timeOnce(c: Case, n: number): Promise<number> {
  const t0 = performance.now();
  if (c.async) for (let i = 0; i < n; i++) sink = await c.fn();
  else for (let i = 0; i < n; i++) sink = c.fn();
  return (performance.now() - t0) / n;
}

/**
 * Heap + ArrayBuffer bytes still referenced by the results, per result (NaN without --expose-gc):
 * 32 results first; when they are small, 2000 more, so the figure rises above the noise floor.
 */
async function retainedPerOp(c: Case): Promise<number> {
  const first = await retainedBy(c, 32);
  return first < 64 * 1024 ? retainedBy(c, 2000) : first;
}

async function retainedBy(c: Case, n: number): Promise<number> {
  if (gc === undefined) return Number.NaN;
  const keep: unknown[] = new Array(n);
  gc();
  gc();
  const m0 = process.memoryUsage();
  for (let i = 0; i < n; i++) keep[i] = c.async ? await c.fn() : c.fn();
  gc();
  gc();
  const m1 = process.memoryUsage();
  sink = keep;
  const delta = m1.heapUsed - m0.heapUsed + (m1.arrayBuffers - m0.arrayBuffers);
  return Math.max(0, delta / n);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface RunOptions {
  /** tinybench time budget per row and round. */
  timeMs: number;
  warmupMs: number;
  /**
   * Every row runs once per round; rounds interleave the rows (each round starting at a
   * different row), so a slow moment of the machine does not hit one codec only.
   */
  rounds: number;
  recordsBytes: number;
  onResult?: (r: Result) => void;
  onRound?: (round: number) => void;
}

interface Prepared {
  c: Case;
  batch: number;
  bench: Bench;
  periods: number[];
  samples: number;
}

export async function runCases(cases: readonly Case[], o: RunOptions): Promise<Result[]> {
  const prepared: Prepared[] = [];
  for (const c of cases) {
    // Warm the function up, then choose how many calls one timed sample holds, so that
    // a sample lasts at least ~200 µs and timer overhead stays well under 1 %.
    await timeOnce(c, 20);
    const single = await timeOnce(c, 50);
    const batch = Math.max(1, Math.min(10_000, Math.ceil(0.2 / Math.max(single, 1e-6))));
    const bench = new Bench({ time: o.timeMs, warmupTime: o.warmupMs, iterations: 16, throws: true });
    if (c.async) {
      bench.add(c.id, async () => {
        for (let i = 0; i < batch; i++) sink = await c.fn();
      });
    } else {
      bench.add(c.id, () => {
        for (let i = 0; i < batch; i++) sink = c.fn();
      });
    }
    prepared.push({ c, batch, bench, periods: [], samples: 0 });
  }
  for (let round = 1; round <= o.rounds; round++) {
    o.onRound?.(round);
    // Each round starts at a different row, so no row always follows the same (allocation-heavy) one.
    const start = Math.floor(((round - 1) * prepared.length) / o.rounds);
    for (let k = 0; k < prepared.length; k++) {
      const p = prepared[(start + k) % prepared.length]!;
      // Collect what the previous row left behind, so its garbage is not charged to this row.
      gc?.();
      p.bench.reset();
      await p.bench.run();
      const r = p.bench.tasks[0]!.result;
      if (r.state !== "completed") throw new Error(`${p.c.group} / ${p.c.id}: ${r.state}${"error" in r ? `: ${String(r.error)}` : ""}`);
      p.periods.push(r.period / p.batch);
      p.samples += r.latency.samplesCount;
    }
  }
  const results: Result[] = [];
  for (const p of prepared) {
    const sorted = [...p.periods].sort((a, b) => a - b);
    const medianMs = median(sorted);
    // The headline figure is the best round: other load on the machine only ever adds time,
    // so the fastest round is the closest to the cost of the code itself. The median is kept too.
    const bestMs = sorted[0]!;
    const opsPerSec = 1000 / bestMs;
    const { fn: _fn, ...meta } = p.c;
    const result: Result = {
      ...meta,
      opsPerSec,
      medianOpsPerSec: 1000 / medianMs,
      // Median absolute deviation of the per-round means, in % of the median.
      rmePct: (100 * median(sorted.map((x) => Math.abs(x - medianMs)))) / medianMs,
      roundsOpsPerSec: p.periods.map((ms) => Math.round(1000 / ms)),
      gbPerSec: (opsPerSec * o.recordsBytes) / 1e9,
      meanMicros: bestMs * 1000,
      samples: p.samples,
      batch: p.batch,
      retainedBytesPerOp: await retainedPerOp(p.c),
    };
    results.push(result);
    o.onResult?.(result);
  }
  for (const r of results) {
    if (r.compareTo === undefined) continue;
    const ours = results.find((x) => x.group === r.group && x.id === r.compareTo);
    if (ours !== undefined) r.ratio = ours.opsPerSec / r.opsPerSec;
  }
  return results;
}

// ---------------------------------------------------------------- formatting

export function fmtOps(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return n.toFixed(1);
}
export function fmtGB(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
}
export function fmtRatio(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
}
export function fmtBytes(n: number): string {
  if (!Number.isFinite(n)) return "n/a";
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(2)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
  return `${Math.round(n)} B`;
}

export function markdownTable(results: readonly Result[]): string {
  const lines = [
    "| group | codec | what | ops/s (best round) | ops/s (median round) | ± (MAD of rounds) | µs/op (best) | GB/s of records (best) | ours ÷ theirs (best) | records copied | retained/op |",
    "|---|---|---|---:|---:|---:|---:|---:|---:|---|---:|",
  ];
  for (const r of results) {
    lines.push(
      `| ${r.group} | ${r.codec} | ${r.label} | ${fmtOps(r.opsPerSec)} | ${fmtOps(r.medianOpsPerSec)} | ${r.rmePct.toFixed(1)}% | ${r.meanMicros.toFixed(r.meanMicros < 10 ? 2 : 1)} | ${fmtGB(r.gbPerSec)} | ${r.ratio === undefined ? "" : `${fmtRatio(r.ratio)}×`} | ${r.copied} | ${fmtBytes(r.retainedBytesPerOp)} |`,
    );
  }
  return lines.join("\n");
}
