// For this package's tests only (not exported): a real etcd per test file, and stores on it
// isolated by a unique key prefix each.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { startEtcd, type EtcdServer, type StartEtcdOptions } from "@kafscale/test-servers";
import { afterAll, beforeAll, vi } from "vitest";
import type { KvStore } from "../kv-store.js";
import { createEtcdKvStore } from "./etcd-kv-store.js";
import type { EtcdKvStoreOptions } from "./etcd-options.js";

/** Test timing on a shared 2-core machine: generous. */
export const TEST_TIMEOUT_MS = 60_000;

/**
 * Starts one etcd for the calling test file (beforeAll) and stops it afterwards; call at the top
 * level. Also gives the file's tests and hooks generous timeouts (the contracts set none).
 */
export function useEtcd(options: StartEtcdOptions = {}): () => EtcdServer {
  vi.setConfig({ testTimeout: TEST_TIMEOUT_MS, hookTimeout: TEST_TIMEOUT_MS });
  let server: EtcdServer | undefined;
  beforeAll(async () => {
    server = await startEtcd(options);
  }, TEST_TIMEOUT_MS);
  afterAll(async () => {
    await server?.stop();
  }, TEST_TIMEOUT_MS);
  return () => {
    if (server === undefined) throw new Error("etcd is not running (useEtcd() must be called at the top level of the test file)");
    return server;
  };
}

/** A key prefix no other test uses. */
export function uniquePrefix(): string {
  return `/test-${randomUUID().slice(0, 8)}`;
}

/** A store on `server` inside `prefix`. */
export function openEtcdStore(server: EtcdServer, prefix: string, options: Partial<EtcdKvStoreOptions> = {}): Promise<KvStore> {
  return createEtcdKvStore({ endpoints: [server.endpoint], prefix, ...options });
}

/** Deletes every key under `prefix` with a client of its own (so lease expiries later change nothing). */
export async function wipe(server: EtcdServer, prefix: string): Promise<void> {
  const admin = await openEtcdStore(server, "");
  try {
    await admin.txn({ success: [{ type: "deletePrefix", prefix }] });
  } finally {
    await admin.close();
  }
}

const run = promisify(execFile);

/** Runs `etcdctl` (API v3) against `server`, as an operator would, and returns its stdout. */
export async function etcdctl(server: EtcdServer, ...args: string[]): Promise<string> {
  const { stdout } = await run("/usr/bin/etcdctl", [`--endpoints=${server.endpoint}`, "--dial-timeout=5s", "--command-timeout=10s", ...args], {
    env: { ...process.env, ETCDCTL_API: "3" },
  });
  return stdout;
}

/** A fresh prefix on `server` with a store on it, reopened as a new client on the same prefix (for the contract suites). */
export async function etcdHarness(server: EtcdServer): Promise<{ store: KvStore; reopen(): Promise<KvStore>; cleanup(): Promise<void> }> {
  const prefix = uniquePrefix();
  let current = await openEtcdStore(server, prefix);
  return {
    store: current,
    async reopen() {
      await current.close();
      current = await openEtcdStore(server, prefix);
      return current;
    },
    async cleanup() {
      await current.close();
      await wipe(server, prefix);
    },
  };
}
