import { join } from "node:path";
import { startCephRgw, startEtcd, startS3FaultProxy, type CephRgw, type EtcdServer, type S3FaultProxy } from "@kafscale/test-servers";
import { expect } from "vitest";
import type { BrokerProcessOptions } from "./broker-process.js";
import { run } from "./processes.js";
import { useBrokerOn, type BrokerFixture } from "./suite.js";

/** Where a broker keeps its segments and metadata, and what the broker is told about it. */
export interface Backend {
  readonly name: string;
  /** KAFSCALE_* variables that point the broker at the backend. */
  readonly env: Record<string, string>;
  /** Nothing is kept in the data directory: a restart may start with an empty one. */
  readonly stateless: boolean;
  readonly etcd?: EtcdServer;
  readonly rgw?: CephRgw;
  readonly bucket?: string;
  /** The fault-injecting proxy between the broker and the RGW ("s3-faults+etcd"). */
  readonly proxy?: S3FaultProxy;
  /** Stops the servers. */
  stop(): Promise<void>;
}

export type BackendName = "embedded" | "s3+etcd" | "s3-faults+etcd" | "etcd+embedded-segments";

let buckets = 0;

/** A fresh bucket name (S3 rules: lowercase, digits, dashes). */
export function bucketName(prefix: string): string {
  return `${prefix}-${process.pid}-${++buckets}-${Date.now().toString(36)}`;
}

/** Settings for a broker on etcd: a short registration lease, so a restart after SIGKILL does not wait 10 s. */
export function etcdEnv(etcd: EtcdServer): Record<string, string> {
  return { KAFSCALE_ETCD_ENDPOINTS: etcd.endpoint, KAFSCALE_BROKER_LEASE_TTL_MS: "3000" };
}

/** Settings for a broker on S3 at `endpoint` (the RGW itself or a proxy in front of it). */
export function s3Env(rgw: CephRgw, bucket: string, endpoint = rgw.endpoint): Record<string, string> {
  return {
    KAFSCALE_S3_BUCKET: bucket,
    KAFSCALE_S3_ENDPOINT: endpoint,
    KAFSCALE_S3_REGION: rgw.region,
    KAFSCALE_S3_PATH_STYLE: "true",
    KAFSCALE_S3_ACCESS_KEY_ID: rgw.accessKeyId,
    KAFSCALE_S3_SECRET_ACCESS_KEY: rgw.secretAccessKey,
  };
}

/**
 * Starts a backend: "embedded" (the data directory), "s3+etcd" (Ceph RGW + etcd), "s3-faults+etcd"
 * (the same with the fault proxy in front of the RGW, no faults yet), "etcd+embedded-segments".
 */
export async function startBackend(name: BackendName): Promise<Backend> {
  if (name === "embedded") return { name, env: {}, stateless: false, stop: async () => {} };
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => {});
  };
  try {
    if (name === "etcd+embedded-segments") {
      const etcd = await startEtcd();
      stops.push(() => etcd.stop());
      return { name, env: etcdEnv(etcd), stateless: false, etcd, stop };
    }
    const [etcdStart, rgwStart] = await Promise.allSettled([startEtcd(), startCephRgw()]);
    if (etcdStart.status === "fulfilled") stops.push(() => etcdStart.value.stop());
    if (rgwStart.status === "fulfilled") stops.push(() => rgwStart.value.stop());
    if (etcdStart.status === "rejected") throw etcdStart.reason;
    if (rgwStart.status === "rejected") throw rgwStart.reason;
    const [etcd, rgw] = [etcdStart.value, rgwStart.value];
    const bucket = bucketName(name.startsWith("s3-faults") ? "faults" : "durability");
    await rgw.createBucket(bucket);
    if (name === "s3+etcd") return { name, env: { ...etcdEnv(etcd), ...s3Env(rgw, bucket) }, stateless: true, etcd, rgw, bucket, stop };
    const proxy = await startS3FaultProxy({ target: rgw.endpoint });
    stops.push(() => proxy.close());
    return { name, env: { ...etcdEnv(etcd), ...s3Env(rgw, bucket, proxy.endpoint) }, stateless: true, etcd, rgw, bucket, proxy, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The backends the durability test runs on: the embedded default, and S3 + etcd. */
export function durabilityBackends(): BackendName[] {
  return ["embedded", "s3+etcd"];
}

/** A broker on a backend; see useBrokerOn(). */
export type BackendFixture = BrokerFixture & { readonly backend: Backend };

/** useBroker() with the broker on `start()`'s backend, stopped after it (see useBrokerOn()). */
export function useBackendBroker(start: () => Promise<Backend>, options: BrokerProcessOptions = {}): BackendFixture {
  return useBrokerOn(start, options);
}

/** Keys under `prefix` in etcd (through its JSON gateway): proof that the broker keeps its metadata there. */
export async function etcdKeyCount(endpoint: string, prefix = "/kafscale/"): Promise<number> {
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
  const res = await fetch(`${endpoint}/v3/kv/range`, {
    method: "POST",
    body: JSON.stringify({ key: b64(prefix), range_end: b64(end), count_only: true }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`etcd range ${prefix}: HTTP ${res.status} ${await res.text()}`);
  return Number(((await res.json()) as { count?: string }).count ?? 0);
}

/** Object keys in a bucket of the RGW (radosgw-admin, first `max`): proof that segments go to S3. */
export async function bucketKeys(rgw: CephRgw, bucket: string, max = 50): Promise<string[]> {
  const r = await run("radosgw-admin", ["-c", join(rgw.dataDir, "ceph.conf"), "bucket", "list", `--bucket=${bucket}`, `--max-entries=${max}`], { timeoutMs: 30_000 });
  return (JSON.parse(r.stdout) as { name: string }[]).map((o) => o.name);
}

/**
 * The broker really used the backend (not its data directory): etcd holds /kafscale/ keys and
 * the bucket holds objects of `topic`. Returns a line for the test log.
 */
export async function expectBackendUsed(backend: Backend, topic: string): Promise<string> {
  const seen: string[] = [];
  if (backend.etcd !== undefined) {
    const keys = await etcdKeyCount(backend.etcd.endpoint);
    expect(keys, "keys under /kafscale/ in etcd").toBeGreaterThan(0);
    seen.push(`${keys} etcd keys`);
  }
  if (backend.rgw !== undefined && backend.bucket !== undefined) {
    const objects = await bucketKeys(backend.rgw, backend.bucket, 1000);
    expect(objects.filter((k) => k.includes(`/${topic}/`)).length, `objects of ${topic} in bucket ${backend.bucket}: ${objects.slice(0, 5).join(", ")}`).toBeGreaterThan(0);
    seen.push(`${objects.length}${objects.length === 1000 ? "+" : ""} S3 objects`);
  }
  return seen.length === 0 ? "data directory" : seen.join(", ");
}
