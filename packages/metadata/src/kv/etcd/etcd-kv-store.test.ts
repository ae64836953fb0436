import { describe, expect, it } from "vitest";
import { isMetadataError } from "../../errors.js";
import type { KvStore, WatchEvent } from "../kv-store.js";
import { runKvStoreContract } from "../kv-store.contract.js";
import { openKvStore } from "../open-kv-store.js";
import { etcdctl, etcdHarness, openEtcdStore, TEST_TIMEOUT_MS, uniquePrefix, useEtcd, wipe } from "./etcd-test-support.js";

const etcd = useEtcd();
const bytes = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);

async function eventually<T>(read: () => T, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
}

// etcd rounds lease TTLs up to whole seconds and raises them to its minimum (2 s with the default
// heartbeat), so the lease tests use 1 s TTLs. The durable tests reopen = a new client on the same prefix.
runKvStoreContract(
  "etcd (real etcd 3.4, one prefix per test)",
  () => etcdHarness(etcd()),
  { leaseTtlMs: 1_000, durable: true },
);

describe("createEtcdKvStore()", { timeout: TEST_TIMEOUT_MS }, () => {
  const withStore = (fn: (store: KvStore, prefix: string) => Promise<void>) => async () => {
    const prefix = uniquePrefix();
    const store = await openEtcdStore(etcd(), prefix);
    try {
      await fn(store, prefix);
    } finally {
      await store.close();
      await wipe(etcd(), prefix);
    }
  };

  it("delivers to a watch the keys another client (etcdctl) writes and deletes", withStore(async (store, prefix) => {
    const events: WatchEvent[] = [];
    const stop = await store.watch("/ext/", (e) => events.push(e));
    await etcdctl(etcd(), "put", `${prefix}/ext/a`, "from etcdctl");
    await etcdctl(etcd(), "put", `${prefix}/other`, "not watched");
    await etcdctl(etcd(), "del", `${prefix}/ext/a`);
    await eventually(() => events.length, (n) => n >= 2);
    expect(events.map((e) => [e.type, e.key, e.type === "put" ? str(e.value) : ""])).toEqual([["put", "/ext/a", "from etcdctl"], ["delete", "/ext/a", ""]]);
    expect(events[1]!.modRevision).toBe(events[0]!.modRevision + 2);
    expect((await store.get("/other"))?.value).toEqual(bytes("not watched"));
    await stop();
  }));

  it("keeps its keys under the prefix inside etcd, invisible to stores on other prefixes", withStore(async (store, prefix) => {
    await store.put("/k", bytes("mine"));
    expect(await etcdctl(etcd(), "get", `${prefix}/k`, "--print-value-only")).toBe("mine\n");
    const other = await openEtcdStore(etcd(), uniquePrefix());
    try {
      expect(await other.get("/k")).toBeNull();
      expect(await other.range("")).toEqual([]);
    } finally {
      await other.close();
    }
    expect((await store.range("")).map((kv) => kv.key)).toEqual(["/k"]);
  }));

  it("returns etcd's int64 lease ids as decimal strings and refuses others with LEASE_NOT_FOUND", withStore(async (store) => {
    const lease = await store.grantLease(5_000);
    expect(lease).toMatch(/^[1-9][0-9]*$/);
    expect(await etcdctl(etcd(), "lease", "list")).toContain(BigInt(lease).toString(16));
    for (const bad of ["abc", "0", "99999999999999999999"]) {
      expect(isMetadataError(await store.keepAlive(bad).catch((e: unknown) => e), "LEASE_NOT_FOUND")).toBe(true);
    }
    await store.revokeLease(lease);
  }));

  it("refuses a transaction larger than etcd's --max-txn-ops with INVALID_ARGUMENT", withStore(async (store) => {
    const success = Array.from({ length: 129 }, (_, i) => ({ type: "put" as const, key: `/big/${i}`, value: bytes("v") }));
    const err = await store.txn({ success }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringContaining("--max-txn-ops") });
    expect(await store.range("/big/")).toEqual([]);
  }));

  it("reads a prefix of more keys than one range page, as one snapshot", withStore(async (store) => {
    for (let i = 0; i < 2_500; i += 100) {
      await store.txn({ success: Array.from({ length: 100 }, (_, j) => ({ type: "put" as const, key: `/many/${String(i + j).padStart(5, "0")}`, value: bytes(String(i + j)) })) });
    }
    const all = await store.range("/many/");
    expect(all).toHaveLength(2_500);
    expect(all.map((kv) => str(kv.value))).toEqual(Array.from({ length: 2_500 }, (_, i) => String(i)));
  }));

  it("is what openKvStore opens for etcd:// URLs, with the options it is given", async () => {
    const prefix = uniquePrefix();
    const store = await openKvStore(`etcd://${etcd().endpoint.replace("http://", "")}`, { prefix, requestTimeoutMs: 3_000 });
    try {
      await store.put("/via-url", bytes("1"));
      expect(await etcdctl(etcd(), "get", `${prefix}/via-url`, "--print-value-only")).toBe("1\n");
    } finally {
      await store.close();
      await wipe(etcd(), prefix);
    }
  });

  it("fails to open with UNAVAILABLE within dialTimeoutMs when no etcd answers", async () => {
    const started = Date.now();
    const err = await openKvStore("etcd://127.0.0.1:1", { dialTimeoutMs: 1_000 }).catch((e: unknown) => e);
    expect(isMetadataError(err, "UNAVAILABLE")).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_000 + 2_000);
  });
});
