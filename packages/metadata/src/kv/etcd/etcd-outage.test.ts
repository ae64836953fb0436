import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isMetadataError } from "../../errors.js";
import type { KvStore, WatchEvent } from "../kv-store.js";
import { etcdctl, openEtcdStore, TEST_TIMEOUT_MS, uniquePrefix, useEtcd, wipe } from "./etcd-test-support.js";

const etcd = useEtcd();
const bytes = (s: string) => new TextEncoder().encode(s);
const REQUEST_TIMEOUT_MS = 1_500;
/** How much later than its timeout a call may reject on a loaded machine. */
const SLACK_MS = 2_000;

/** Rejects with the error `op` rejects with, and how long that took. */
async function failure(op: () => Promise<unknown>): Promise<{ err: unknown; elapsedMs: number }> {
  const started = Date.now();
  const err = await op().then(
    () => new Error("expected a rejection"),
    (e: unknown) => e,
  );
  return { err, elapsedMs: Date.now() - started };
}

async function waitUntil(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.each(["freeze", "kill"] as const)("etcd store while etcd is down (%s)", { timeout: TEST_TIMEOUT_MS }, (mode) => {
  let prefix: string;
  let store: KvStore;
  let warnings: string[];
  let paused = false;
  const logger = { warn: (_obj: object, msg: string) => warnings.push(msg) };

  beforeEach(async () => {
    prefix = uniquePrefix();
    warnings = [];
    store = await openEtcdStore(etcd(), prefix, { requestTimeoutMs: REQUEST_TIMEOUT_MS, logger });
  });
  afterEach(async () => {
    if (paused) await etcd().resume();
    paused = false;
    await store.close();
    await wipe(etcd(), prefix);
  });

  const pause = async () => {
    await etcd().pause(mode);
    paused = true;
  };
  const resume = async () => {
    await etcd().resume();
    paused = false;
  };

  it("rejects every call with UNAVAILABLE within the request timeout, and works again after the resume", async () => {
    await store.put("/k", bytes("before"));
    const lease = await store.grantLease(60_000);
    await pause();
    const calls: Array<[string, () => Promise<unknown>]> = [
      ["get", () => store.get("/k")],
      ["range", () => store.range("/")],
      // Writes that time out may still be applied when etcd comes back (a frozen etcd reads them
      // from its socket on resume): they touch only keys the test does not read afterwards.
      ["txn", () => store.txn({ compare: [{ key: "/during-txn", modRevision: 0 }], success: [{ type: "put", key: "/during-txn", value: bytes("x") }] })],
      ["put", () => store.put("/during", bytes("?"))],
      ["delete", () => store.delete("/during-delete")],
      ["keepAlive", () => store.keepAlive(lease)],
      ["grantLease", () => store.grantLease(1_000)],
      ["watch", () => store.watch("/w/", () => {})],
    ];
    const failures = await Promise.all(calls.map(([, call]) => failure(call)));
    for (const [i, { err, elapsedMs }] of failures.entries()) {
      const name = calls[i]![0];
      expect(isMetadataError(err, "UNAVAILABLE"), `${name}: ${String(err)}`).toBe(true);
      expect(elapsedMs, name).toBeLessThan(REQUEST_TIMEOUT_MS + SLACK_MS);
    }
    const write = await failure(() => store.put("/during", bytes("?")));
    expect((write.err as Error).message).toContain("outcome unknown");
    await resume();
    expect((await store.get("/k"))?.value).toEqual(bytes("before")); // same store, not reopened
    await store.put("/after", bytes("1"));
    await store.keepAlive(lease);
    await store.revokeLease(lease);
  });

  it("resumes an open watch: events made after the resume arrive once, in revision order", async () => {
    const events: WatchEvent[] = [];
    const stop = await store.watch("/w/", (e) => events.push(e));
    const first = await store.put("/w/1", bytes("1"));
    await waitUntil(() => events.length === 1);
    await pause();
    await new Promise((r) => setTimeout(r, 1_000));
    await resume();
    // Written by another client at once, possibly before this store's watch is back: it must not be lost.
    await etcdctl(etcd(), "put", `${prefix}/w/2`, "2");
    await waitUntil(() => events.length >= 2);
    const third = await store.put("/w/3", bytes("3"));
    await waitUntil(() => events.length >= 3);
    await new Promise((r) => setTimeout(r, 200));
    expect(events.map((e) => e.key)).toEqual(["/w/1", "/w/2", "/w/3"]);
    expect(events[0]!.modRevision).toBe(first);
    expect(events[1]!.modRevision).toBeGreaterThan(first);
    expect(events[2]!.modRevision).toBe(third);
    if (mode === "kill") expect(warnings).toEqual(expect.arrayContaining([expect.stringContaining("watch stream lost"), "etcd watch resumed"]));
    await stop();
  });

  it("closes within the request timeout while etcd does not answer", async () => {
    await store.watch("/w/", () => {});
    await pause();
    const started = Date.now();
    await store.close();
    expect(Date.now() - started).toBeLessThan(REQUEST_TIMEOUT_MS + SLACK_MS);
    expect(isMetadataError(await store.get("/k").catch((e: unknown) => e), "CLOSED")).toBe(true);
  });
});
