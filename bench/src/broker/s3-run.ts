/**
 * What one s3-etcd run of the broker benchmark measures besides the clients' figures: per phase,
 * the S3 requests the broker made (by operation, from the counting proxy) and the etcd writes
 * (from etcd's metrics), the per-flush timings of the produce phases, the objects left in the
 * bucket, and — right after produce acks=-1 — the gateway's raw PUT throughput for objects of the
 * size the broker wrote, with the broker's concurrency.
 */
import { diffCounters, readEtcdCounters, type EtcdCounters } from "./etcd-metrics.js";
import { cpuDelta, cpuSnapshot, type CpuSnapshot } from "./process-cpu.js";
import { flushTimings, type FlushTimings } from "./flush-timings.js";
import { measureRawPut, type RawPutResult } from "./raw-put.js";
import { S3_OPS, type ProxiedRequest, type S3Op } from "./request-counts.js";
import type { S3EtcdBackend } from "./s3-backend.js";
import { deleteObjects } from "./s3-http.js";

export interface S3PhaseStats {
  /** Wall time of the phase as the recorder saw it, s. */
  seconds: number;
  requests: Record<S3Op, number>;
  /** Request bytes of the PUTs and response bytes of the GETs. */
  putBytes: number;
  getBytes: number;
  /** Requests that did not get a 2xx (412s of conditional PUTs included). */
  non2xx: number;
  etcd: EtcdCounters;
  /** CPU seconds of the broker, the servers, this process (proxy) and the machine during the phase. */
  cpu: CpuSnapshot;
  /** Produce phases only. */
  flush?: FlushTimings | undefined;
}

/** A raw PUT measurement and the CPU it took (the servers, this process as the client, the machine). */
export type RawPut = Omit<RawPutResult, "keys"> & { cpu: CpuSnapshot };

export interface BucketContents {
  segments: number;
  segmentBytes: number;
  indexes: number;
  indexBytes: number;
  other: number;
}

export interface S3RunStats {
  bucket: string;
  phases: Record<string, S3PhaseStats>;
  /** Straight to the gateway (the figure the target is about). */
  rawPut?: RawPut;
  /** Through the counting proxy, as the broker's requests go (what the proxy hop costs). */
  rawPutViaProxy?: RawPut;
  contents?: BucketContents;
}

export interface RawPutSettings {
  minSeconds: number;
  maxSeconds: number;
  viaProxy: boolean;
  /** Sign the body's SHA-256 as the broker's AWS SDK does (else `UNSIGNED-PAYLOAD`). */
  signPayload: boolean;
}

/** Phase boundaries and counters of one run; each phase gets the proxy records that started within it. */
export class S3RunRecorder {
  readonly stats: S3RunStats;
  readonly #backend: S3EtcdBackend;
  readonly #open = new Map<string, { t0: number; etcd: EtcdCounters; cpu: CpuSnapshot }>();
  readonly #firstRecord: number;
  readonly #pids: Record<string, number>;

  constructor(backend: S3EtcdBackend, bucket: string, brokerPid: number) {
    this.#backend = backend;
    this.stats = { bucket, phases: {} };
    this.#firstRecord = backend.proxy.requests.length;
    this.#pids = { broker: brokerPid, ...backend.pids };
  }

  async begin(label: string): Promise<void> {
    const etcd = await readEtcdCounters(this.#backend.etcd.endpoint);
    this.#open.set(label, { t0: performance.now(), etcd, cpu: cpuSnapshot(this.#pids) });
  }

  async end(label: string): Promise<void> {
    const t1 = performance.now();
    const cpu = cpuSnapshot(this.#pids);
    const open = this.#open.get(label);
    if (open === undefined) throw new Error(`phase ${label} was not begun`);
    const etcd = diffCounters(open.etcd, await readEtcdCounters(this.#backend.etcd.endpoint));
    this.stats.phases[label] = {
      ...phaseStats(this.#requestsIn(open.t0, t1), (t1 - open.t0) / 1000, etcd, label.startsWith("produce")),
      cpu: cpuDelta(open.cpu, cpu),
    };
  }

  /**
   * The gateway's PUT throughput for objects of the phase's average segment size, with one stream
   * per partition, for at least `minSeconds` and about as many bytes as the phase PUT. The
   * objects are deleted afterwards.
   */
  async rawPut(afterPhase: string, concurrency: number, s: RawPutSettings): Promise<void> {
    const phase = this.stats.phases[afterPhase];
    if (phase === undefined) return;
    const b = this.#backend;
    let size = phase.flush?.avgSegmentBytes ?? Number.NaN;
    let target = phase.putBytes;
    if (!(size > 0)) {
      // The broker did not go through the proxy: size the objects from the bucket (only this phase's topic is in it yet).
      const objects = await b.list(this.stats.bucket);
      const segments = objects.filter((o) => o.key.endsWith(".kfs"));
      size = segments.reduce((a, o) => a + o.size, 0) / segments.length;
      target = objects.reduce((a, o) => a + o.size, 0);
    }
    if (!(size > 0)) return;
    const run = async (endpoint: string, tag: string): Promise<RawPut> => {
      const cpu0 = cpuSnapshot(this.#pids);
      const r = await measureRawPut({
        creds: { ...b.direct, endpoint },
        bucket: this.stats.bucket,
        objectBytes: size,
        concurrency,
        minSeconds: s.minSeconds,
        maxSeconds: s.maxSeconds,
        targetBytes: target,
        keyPrefix: `raw-put-${tag}`,
        conditional: true,
        signPayload: s.signPayload,
      });
      const cpu = cpuDelta(cpu0, cpuSnapshot(this.#pids));
      await deleteObjects(b.direct, this.stats.bucket, r.keys);
      const { keys: _keys, ...rest } = r;
      return { ...rest, cpu };
    };
    this.stats.rawPut = await run(b.direct.endpoint, "direct");
    if (s.viaProxy) this.stats.rawPutViaProxy = await run(b.proxy.endpoint, "proxy");
  }

  /** Sizes of what the broker left in the bucket (segments and indexes of every topic). */
  async listContents(): Promise<void> {
    const c: BucketContents = { segments: 0, segmentBytes: 0, indexes: 0, indexBytes: 0, other: 0 };
    for (const o of await this.#backend.list(this.stats.bucket)) {
      if (o.key.endsWith(".kfs")) {
        c.segments++;
        c.segmentBytes += o.size;
      } else if (o.key.endsWith(".index")) {
        c.indexes++;
        c.indexBytes += o.size;
      } else c.other++;
    }
    this.stats.contents = c;
  }

  /** The broker's requests (raw PUTs excluded: they go straight to the gateway or carry `raw-put-` keys). */
  #requestsIn(t0: number, t1: number): ProxiedRequest[] {
    return this.#backend.proxy.requests.slice(this.#firstRecord).filter((r) => r.startMs >= t0 && r.startMs < t1 && !r.key.startsWith("raw-put-"));
  }
}

function phaseStats(requests: ProxiedRequest[], seconds: number, etcd: EtcdCounters, produce: boolean): Omit<S3PhaseStats, "cpu"> {
  const counts = Object.fromEntries(S3_OPS.map((op) => [op, 0])) as Record<S3Op, number>;
  let putBytes = 0;
  let getBytes = 0;
  let non2xx = 0;
  for (const r of requests) {
    counts[r.op]++;
    if (r.op === "PUT") putBytes += r.bytesIn;
    if (r.op === "GET") getBytes += r.bytesOut;
    if (r.status < 200 || r.status > 299) non2xx++;
  }
  return { seconds, requests: counts, putBytes, getBytes, non2xx, etcd, ...(produce ? { flush: flushTimings(requests) } : {}) };
}
