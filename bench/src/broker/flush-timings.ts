/**
 * Per-flush timings of the broker on S3, reconstructed from the counting proxy's records: a flush
 * of a partition PUTs `segment-{base}.kfs` and `segment-{base}.index` (in parallel), then commits
 * to etcd, and only then may the partition's next flush start. So for each partition, in order:
 *
 *   put    = first PUT start → last PUT end of the flush (what the gateway takes)
 *   gap    = last PUT end → the next flush's first PUT start (the etcd commit, building and
 *            signing the next segment, the event loop; nothing of this partition is on the wire)
 *   cycle  = put + gap; bytes per cycle is what one partition can move
 *
 * The last flush of each partition has no next one: it has a put but no gap or cycle.
 */
import type { ProxiedRequest } from "./request-counts.js";
import { mean, percentile } from "./stats.js";

const OBJECT = /^(.*\/)segment-(\d{20})\.(kfs|index)$/;

export interface Flush {
  partition: string;
  baseOffset: string;
  segmentBytes: number;
  indexBytes: number;
  startMs: number;
  endMs: number;
  segmentPutMs: number;
  indexPutMs: number;
}

export interface Distribution {
  p50: number;
  p90: number;
  p99: number;
  mean: number;
}

export interface FlushTimings {
  flushes: number;
  partitions: number;
  /** Average `.kfs` object, bytes. */
  avgSegmentBytes: number;
  avgIndexBytes: number;
  segmentBytes: Distribution;
  segmentPutMs: Distribution;
  indexPutMs: Distribution;
  putMs: Distribution;
  gapMs: Distribution;
  cycleMs: Distribution;
  /** Share of the partitions' time with a PUT on the wire: Σ put ÷ Σ (put + gap). */
  putShare: number;
}

const dist = (xs: number[]): Distribution => ({ p50: percentile(xs, 0.5), p90: percentile(xs, 0.9), p99: percentile(xs, 0.99), mean: mean(xs) });

/** The flushes among `requests` (successful PUTs of segment and index objects), grouped per partition. */
export function flushesOf(requests: readonly ProxiedRequest[]): Flush[] {
  const byObject = new Map<string, Flush>();
  for (const r of requests) {
    if (r.op !== "PUT" || r.status !== 200) continue;
    const m = OBJECT.exec(r.key);
    if (m === null) continue;
    const id = `${m[1]}${m[2]}`;
    let f = byObject.get(id);
    if (f === undefined) {
      f = { partition: m[1]!, baseOffset: m[2]!, segmentBytes: 0, indexBytes: 0, startMs: r.startMs, endMs: r.endMs, segmentPutMs: Number.NaN, indexPutMs: Number.NaN };
      byObject.set(id, f);
    }
    f.startMs = Math.min(f.startMs, r.startMs);
    f.endMs = Math.max(f.endMs, r.endMs);
    if (m[3] === "kfs") {
      f.segmentBytes = r.bytesIn;
      f.segmentPutMs = r.endMs - r.startMs;
    } else {
      f.indexBytes = r.bytesIn;
      f.indexPutMs = r.endMs - r.startMs;
    }
  }
  return [...byObject.values()];
}

export function flushTimings(requests: readonly ProxiedRequest[]): FlushTimings | undefined {
  const flushes = flushesOf(requests);
  if (flushes.length === 0) return undefined;
  const perPartition = new Map<string, Flush[]>();
  for (const f of flushes) perPartition.set(f.partition, [...(perPartition.get(f.partition) ?? []), f]);
  const gaps: number[] = [];
  const cycles: number[] = [];
  let putTime = 0;
  let cycleTime = 0;
  for (const list of perPartition.values()) {
    list.sort((a, b) => a.startMs - b.startMs);
    for (let i = 0; i + 1 < list.length; i++) {
      const f = list[i]!;
      const next = list[i + 1]!;
      gaps.push(next.startMs - f.endMs);
      cycles.push(next.startMs - f.startMs);
      putTime += f.endMs - f.startMs;
      cycleTime += next.startMs - f.startMs;
    }
  }
  const seg = flushes.filter((f) => f.segmentBytes > 0);
  return {
    flushes: flushes.length,
    partitions: perPartition.size,
    avgSegmentBytes: mean(seg.map((f) => f.segmentBytes)),
    avgIndexBytes: mean(flushes.filter((f) => f.indexBytes > 0).map((f) => f.indexBytes)),
    segmentBytes: dist(seg.map((f) => f.segmentBytes)),
    segmentPutMs: dist(seg.map((f) => f.segmentPutMs)),
    indexPutMs: dist(flushes.filter((f) => !Number.isNaN(f.indexPutMs)).map((f) => f.indexPutMs)),
    putMs: dist(flushes.map((f) => f.endMs - f.startMs)),
    gapMs: dist(gaps),
    cycleMs: dist(cycles),
    putShare: cycleTime > 0 ? putTime / cycleTime : Number.NaN,
  };
}
