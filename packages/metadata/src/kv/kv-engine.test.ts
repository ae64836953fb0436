import { describe, expect, it } from "vitest";
import { KvEngine } from "./kv-engine.js";
import type { KvPersistence } from "./kv-engine.js";
import { KvState } from "./kv-state.js";
import type { TxnRecord } from "./kv-state.js";

const bytes = (s: string) => new TextEncoder().encode(s);

/** A persistence whose appends complete only when the test says so. */
function gatedPersistence() {
  const appends: Array<{ revisions: number[]; release: () => void; fail: (err: Error) => void }> = [];
  let snapshots = 0;
  const persistence: KvPersistence = {
    append(records: readonly TxnRecord[]) {
      return new Promise<void>((resolve, reject) => {
        appends.push({ revisions: records.map((r) => r.revision), release: resolve, fail: reject });
      });
    },
    afterCommit() {
      snapshots++;
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
  const tick = () => new Promise<void>((r) => setImmediate(r));
  return { persistence, appends, tick, snapshotCalls: () => snapshots };
}

describe("KvEngine group commit", () => {
  it("appends the transactions that arrive during a sync as one batch", async () => {
    const g = gatedPersistence();
    const store = new KvEngine("test", new KvState(), g.persistence);
    const first = store.put("/a", bytes("1"));
    await g.tick();
    expect(g.appends.map((a) => a.revisions)).toEqual([[1]]);
    const rest = [2, 3, 4].map((i) => store.put(`/k${i}`, bytes(String(i))));
    await g.tick();
    expect(g.appends).toHaveLength(1); // waiting for the first sync
    g.appends[0]!.release();
    await first;
    await g.tick();
    expect(g.appends.map((a) => a.revisions)).toEqual([[1], [2, 3, 4]]);
    g.appends[1]!.release();
    expect(await Promise.all(rest)).toEqual([2, 3, 4]);
    expect(g.snapshotCalls()).toBe(2);
    await store.close();
  });

  it("shows readers only synced writes, while transactions already compare against pending ones", async () => {
    const g = gatedPersistence();
    const store = new KvEngine("test", new KvState(), g.persistence);
    const put = store.put("/a", bytes("1"));
    await g.tick();
    expect(await store.get("/a")).toBeNull();
    expect(await store.range("")).toEqual([]);
    let settled = false;
    const cas = store.txn({ compare: [{ key: "/a", modRevision: 0 }], success: [{ type: "put", key: "/a", value: bytes("2") }] });
    void cas.then(() => (settled = true));
    await g.tick();
    expect(settled).toBe(false); // its failure depends on the pending write: it waits for that sync
    g.appends[0]!.release();
    expect(await put).toBe(1);
    expect(await cas).toEqual({ succeeded: false, revision: 1 });
    expect((await store.get("/a"))!.value).toEqual(bytes("1"));
    await store.close();
  });

  it("publishes watch events only after the sync", async () => {
    const g = gatedPersistence();
    const store = new KvEngine("test", new KvState(), g.persistence);
    const seen: string[] = [];
    await store.watch("/", (e) => seen.push(`${e.type} ${e.key}`));
    const put = store.put("/a", bytes("1"));
    await g.tick();
    expect(seen).toEqual([]);
    g.appends[0]!.release();
    await put;
    expect(seen).toEqual(["put /a"]);
    await store.close();
  });

  it("fails pending and later work with IO_ERROR when a write fails", async () => {
    const g = gatedPersistence();
    const store = new KvEngine("test", new KvState(), g.persistence, { logger: { warn() {} } });
    const first = store.put("/a", bytes("1"));
    await g.tick();
    const second = store.put("/b", bytes("2"));
    g.appends[0]!.fail(Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" }));
    await expect(first).rejects.toMatchObject({ code: "IO_ERROR", message: expect.stringContaining("ENOSPC") });
    await expect(second).rejects.toMatchObject({ code: "IO_ERROR" });
    await expect(store.get("/a")).rejects.toMatchObject({ code: "IO_ERROR" });
    await expect(store.put("/c", bytes("3"))).rejects.toMatchObject({ code: "IO_ERROR" });
    await store.close();
  });

  it("waits in close() for a batch in flight", async () => {
    const g = gatedPersistence();
    const store = new KvEngine("test", new KvState(), g.persistence);
    const put = store.put("/a", bytes("1"));
    await g.tick();
    let closed = false;
    const closing = store.close().then(() => (closed = true));
    await g.tick();
    expect(closed).toBe(false);
    g.appends[0]!.release();
    await closing;
    expect(await put).toBe(1);
  });
});
