/**
 * The gateway's raw PUT throughput: what the object store can take with no broker in between, for
 * objects of the size the broker wrote and with the concurrency the broker had (one flush in flight
 * per partition, so one PUT stream per partition). The broker's produce throughput is judged
 * against this figure, measured in the same run on the same gateway.
 */
import { randomBytes } from "node:crypto";
import { Agent } from "node:http";
import { s3Request, type S3Credentials } from "./s3-http.js";
import { percentile } from "./stats.js";

export interface RawPutOptions {
  creds: S3Credentials;
  bucket: string;
  /** Size of every object, bytes (the broker's average segment object). */
  objectBytes: number;
  /** PUT streams, each with one request in flight. */
  concurrency: number;
  /** Keep going at least this long… */
  minSeconds: number;
  /** …and until this many bytes are written (unless `maxSeconds` passes first). */
  targetBytes: number;
  maxSeconds: number;
  /** Key prefix of the objects (they are left in the bucket; the caller deletes them). */
  keyPrefix: string;
  /** `If-None-Match: *` on every PUT, as the broker's segment writes have. */
  conditional: boolean;
  /** The body's SHA-256 in the signature, as the broker's AWS SDK sends it (else `UNSIGNED-PAYLOAD`). */
  signPayload: boolean;
}

export interface RawPutResult {
  endpoint: string;
  signPayload: boolean;
  objectBytes: number;
  concurrency: number;
  objects: number;
  bytes: number;
  seconds: number;
  /** 10^6 bytes per second. */
  mbps: number;
  /** Per-PUT latency, ms. */
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  meanMs: number;
  keys: string[];
}

/** Runs `concurrency` PUT loops of fresh keys (the same random body each time) and times them. */
export async function measureRawPut(o: RawPutOptions): Promise<RawPutResult> {
  const body = randomBytes(Math.max(1, Math.round(o.objectBytes)));
  const agent = new Agent({ keepAlive: true, maxSockets: o.concurrency });
  const latencies: number[] = [];
  const keys: string[] = [];
  let bytes = 0;
  let seq = 0;
  const t0 = performance.now();
  const elapsed = () => (performance.now() - t0) / 1000;
  const more = () => elapsed() < o.maxSeconds && (elapsed() < o.minSeconds || bytes < o.targetBytes);
  const stream = async (id: number): Promise<void> => {
    while (more()) {
      const key = `${o.keyPrefix}/${id}/${String(seq++).padStart(8, "0")}`;
      const s = performance.now();
      const r = await s3Request(o.creds, {
        method: "PUT",
        bucket: o.bucket,
        key,
        body,
        agent,
        signPayload: o.signPayload,
        ...(o.conditional ? { extraHeaders: { "if-none-match": "*" } } : {}),
      });
      if (r.status !== 200) throw new Error(`raw PUT ${key}: HTTP ${r.status} ${r.body.toString("utf8").slice(0, 300)}`);
      latencies.push(performance.now() - s);
      keys.push(key);
      bytes += body.length;
    }
  };
  try {
    await Promise.all(Array.from({ length: o.concurrency }, (_, i) => stream(i)));
  } finally {
    agent.destroy();
  }
  const seconds = elapsed();
  return {
    endpoint: o.creds.endpoint,
    signPayload: o.signPayload,
    objectBytes: body.length,
    concurrency: o.concurrency,
    objects: keys.length,
    bytes,
    seconds,
    mbps: bytes / seconds / 1e6,
    p50Ms: percentile(latencies, 0.5),
    p90Ms: percentile(latencies, 0.9),
    p99Ms: percentile(latencies, 0.99),
    meanMs: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length),
    keys,
  };
}
