import { randomBytes } from "node:crypto";
import { startCephRgw, startS3FaultProxy, type CephRgw, type S3FaultProxy } from "@kafscale/test-servers";
import { afterAll, beforeAll } from "vitest";
import type { StorageLogger } from "../../logger.js";
import { createS3ObjectStore } from "./s3-object-store.js";
import type { S3ObjectStoreOptions } from "./s3-options.js";

/** The Ceph gateway a test file shares, with one bucket and helpers; see {@link useCephRgw}. */
export interface CephTestEnv {
  rgw: CephRgw;
  bucket: string;
  /** Store options for the gateway (or `endpoint`, e.g. a fault proxy) under a fresh key prefix. */
  options(overrides?: Partial<S3ObjectStoreOptions>, endpoint?: string): S3ObjectStoreOptions;
  /** A fault proxy in front of the gateway, closed after the file. */
  proxy(): Promise<S3FaultProxy>;
  /** Deletes every object under `prefix` (tests clean up after themselves: the OSD keeps objects in RAM). */
  removePrefix(prefix: string): Promise<void>;
}

/** How long starting Ceph may take in a test's `beforeAll` (the machine may be busy). */
export const CEPH_START_TIMEOUT_MS = 120_000;

/**
 * Starts one Ceph RGW for the calling test file (in `beforeAll`, stopped in
 * `afterAll`) and creates a bucket; the returned getter works inside tests.
 */
export function useCephRgw(): () => CephTestEnv {
  let env: CephTestEnv | undefined;
  const proxies: S3FaultProxy[] = [];
  beforeAll(async () => {
    const started = Date.now();
    const rgw = await startCephRgw({ memstoreBytes: 1024 * 1024 * 1024 });
    const bucket = `kafscale-${randomBytes(4).toString("hex")}`;
    await rgw.createBucket(bucket);
    console.log(`Ceph RGW up in ${Date.now() - started} ms (${rgw.endpoint})`);
    const base = { bucket, region: rgw.region, forcePathStyle: true, credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey } };
    env = {
      rgw,
      bucket,
      options: (overrides = {}, endpoint = rgw.endpoint) => ({ ...base, endpoint, prefix: `t-${randomBytes(6).toString("hex")}`, ...overrides }),
      async proxy() {
        const proxy = await startS3FaultProxy({ target: rgw.endpoint });
        proxies.push(proxy);
        return proxy;
      },
      async removePrefix(prefix) {
        const store = createS3ObjectStore({ ...base, endpoint: rgw.endpoint, prefix });
        try {
          const keys: string[] = [];
          for await (const entry of store.list("")) keys.push(entry.key);
          await Promise.all(keys.map((key) => store.delete(key)));
        } finally {
          await store.close();
        }
      },
    };
  }, CEPH_START_TIMEOUT_MS);
  afterAll(async () => {
    await Promise.all(proxies.map((p) => p.close()));
    await env?.rgw.stop();
  }, 30_000);
  return () => {
    if (env === undefined) throw new Error("Ceph RGW is not running (did beforeAll fail?)");
    return env;
  };
}

/** One captured log line. */
export interface LogEntry {
  level: "debug" | "info" | "warn" | "error";
  fields: Record<string, unknown>;
  message: string;
}

/** A logger that keeps every line, for assertions. */
export function capturingLogger(): StorageLogger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at = (level: LogEntry["level"]) => (fields: Record<string, unknown>, message: string) => void entries.push({ level, fields, message });
  return { entries, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
