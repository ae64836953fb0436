import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isMetadataError } from "../errors.js";
import type { MetadataErrorCode } from "../errors.js";
import type { ManualClock } from "../manual-clock.js";
import type { KeyValue, KvStore, Revision, WatchEvent } from "./kv-store.js";

/** What a backend gives the contract for one test. */
export interface KvStoreHarness {
  /** An open, empty store. */
  readonly store: KvStore;
  /** Durable backends: closes the current store if still open and opens the same data again. */
  readonly reopen?: () => Promise<KvStore>;
  /** Closes whatever the harness opened and deletes whatever it created. */
  readonly cleanup: () => Promise<void>;
  /** Set when the backend runs on this manual clock; lease tests then move time with it instead of sleeping. */
  readonly clock?: ManualClock;
  /** Backends that can: with the store closed, damages the end of its log as a crash mid-write would. */
  readonly tearTail?: () => Promise<void>;
}

/** Tuning for backends with coarse leases (etcd rounds TTLs up to seconds). */
export interface KvStoreContractOptions {
  /** Lease TTL the lease tests use (default 200 ms). */
  readonly leaseTtlMs?: number;
  /** The backend keeps data across a reopen: the durability tests run (its harness must give `reopen`). */
  readonly durable?: boolean;
}

const text = new TextEncoder();
const bytes = (s: string) => text.encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function expectCode(promise: Promise<unknown>, code: MetadataErrorCode): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isMetadataError(err, code), `expected a MetadataError ${code}, got ${String(err)}`).toBe(true);
}

/** Collects the events of a watch and waits for a number of them. */
async function collect(store: KvStore, prefix: string) {
  const events: WatchEvent[] = [];
  let wake = () => {};
  const stop = await store.watch(prefix, (e) => {
    events.push(e);
    wake();
  });
  return {
    events,
    stop,
    async waitFor(n: number, timeoutMs = 5_000): Promise<WatchEvent[]> {
      const deadline = Date.now() + timeoutMs;
      while (events.length < n) {
        if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${n} events under ${prefix}, got ${events.length}`);
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 20);
        });
      }
      return events;
    },
  };
}

const brief = (e: WatchEvent) => (e.type === "put" ? `put ${e.key}=${str(e.value)}@${e.modRevision}` : `delete ${e.key}@${e.modRevision}`);

/**
 * The behaviour every {@link KvStore} backend must have. Call it from a backend's test file with
 * a function that opens a fresh, empty store per test.
 */
export function runKvStoreContract(
  name: string,
  open: () => Promise<KvStoreHarness>,
  options: KvStoreContractOptions = {},
): void {
  const ttl = options.leaseTtlMs ?? 200;

  describe(`KvStore contract: ${name}`, () => {
    let h: KvStoreHarness;
    let store: KvStore;

    /** Moves lease time forward: with the manual clock if there is one, else by sleeping. */
    const pass = (ms: number) => (h.clock !== undefined ? h.clock.advance(ms) : sleep(ms));

    beforeEach(async () => {
      h = await open();
      store = h.store;
    });
    afterEach(async () => {
      await h.cleanup();
    });

    describe("get() and put()", () => {
      it("returns null for a missing key", async () => {
        expect(await store.get("/nope")).toBeNull();
      });

      it("reads back a put with createRevision = modRevision = the put's revision and version 1", async () => {
        const rev = await store.put("/a", bytes("1"));
        expect(rev).toBeGreaterThan(0);
        expect(await store.get("/a")).toEqual({ key: "/a", value: bytes("1"), createRevision: rev, modRevision: rev, version: 1 });
      });

      it("keeps createRevision on overwrite, moves modRevision and counts versions", async () => {
        const r1 = await store.put("/a", bytes("1"));
        const r2 = await store.put("/a", bytes("2"));
        const r3 = await store.put("/a", bytes("3"));
        expect(r2).toBe(r1 + 1);
        expect(r3).toBe(r2 + 1);
        expect(await store.get("/a")).toMatchObject({ value: bytes("3"), createRevision: r1, modRevision: r3, version: 3 });
      });

      it("starts over after a delete: new createRevision, version 1", async () => {
        await store.put("/a", bytes("1"));
        await store.put("/a", bytes("2"));
        const del = await store.delete("/a");
        expect(await store.get("/a")).toBeNull();
        const again = await store.put("/a", bytes("3"));
        expect(again).toBe(del + 1);
        expect(await store.get("/a")).toMatchObject({ createRevision: again, modRevision: again, version: 1 });
      });

      it("leaves the revision alone when delete() finds nothing", async () => {
        const rev = await store.put("/a", bytes("1"));
        expect(await store.delete("/missing")).toBe(rev);
        expect(await store.put("/b", bytes("2"))).toBe(rev + 1);
      });

      it("stores copies: changing the array given to put() or returned by get() changes nothing", async () => {
        const value = bytes("abc");
        await store.put("/a", value);
        value[0] = 0x7a;
        const read = (await store.get("/a"))!;
        expect(str(read.value)).toBe("abc");
        read.value[0] = 0x7a;
        expect(str((await store.get("/a"))!.value)).toBe("abc");
      });

      it("keeps binary values and empty values exactly", async () => {
        const all = Uint8Array.from({ length: 256 }, (_, i) => i);
        await store.put("/bin", all);
        await store.put("/empty", new Uint8Array(0));
        expect((await store.get("/bin"))!.value).toEqual(all);
        expect((await store.get("/empty"))!.value).toEqual(new Uint8Array(0));
      });
    });

    describe("range()", () => {
      it("returns exactly the keys under the prefix, in key order", async () => {
        for (const k of ["/t/b", "/t/a", "/t", "/t0", "/t/a/x", "/u/a", "/t/c"]) await store.put(k, bytes(k));
        expect((await store.range("/t/")).map((kv) => kv.key)).toEqual(["/t/a", "/t/a/x", "/t/b", "/t/c"]);
        expect(await store.range("/none/")).toEqual([]);
        expect((await store.range("")).map((kv) => kv.key)).toEqual(["/t", "/t/a", "/t/a/x", "/t/b", "/t/c", "/t0", "/u/a"]);
      });

      it("orders keys by their UTF-8 bytes (as etcd does), not by UTF-16 code units", async () => {
        const keys = ["/k/\u{1F600}", "/k/\uE000", "/k/é", "/k/z", "/k/Z"];
        for (const k of keys) await store.put(k, bytes("v"));
        expect((await store.range("/k/")).map((kv) => kv.key)).toEqual(["/k/Z", "/k/z", "/k/é", "/k/\uE000", "/k/\u{1F600}"]);
      });

      it("returns values with their revisions", async () => {
        const r1 = await store.put("/p/1", bytes("a"));
        const r2 = await store.put("/p/2", bytes("b"));
        await store.put("/p/1", bytes("c"));
        expect(await store.range("/p/")).toEqual([
          { key: "/p/1", value: bytes("c"), createRevision: r1, modRevision: r2 + 1, version: 2 },
          { key: "/p/2", value: bytes("b"), createRevision: r2, modRevision: r2, version: 1 },
        ]);
      });
    });

    describe("txn()", () => {
      it("applies every op when all compares hold; the keys share the txn's revision", async () => {
        const base = await store.put("/x", bytes("0"));
        const r = await store.txn({
          compare: [{ key: "/x", modRevision: base }, { key: "/new", modRevision: 0 }],
          success: [
            { type: "put", key: "/x", value: bytes("1") },
            { type: "put", key: "/new", value: bytes("n") },
          ],
        });
        expect(r).toEqual({ succeeded: true, revision: base + 1 });
        expect((await store.get("/x"))!.modRevision).toBe(base + 1);
        expect((await store.get("/new"))!.modRevision).toBe(base + 1);
      });

      it("treats modRevision 0 as 'must not exist': create-if-absent succeeds once", async () => {
        const create = () => store.txn({ compare: [{ key: "/once", modRevision: 0 }], success: [{ type: "put", key: "/once", value: bytes("v") }] });
        const first = await create();
        const second = await create();
        expect(first.succeeded).toBe(true);
        expect(second).toEqual({ succeeded: false, revision: first.revision });
      });

      it("applies nothing and keeps the revision when a compare fails", async () => {
        const r1 = await store.put("/a", bytes("1"));
        const r2 = await store.put("/b", bytes("2"));
        const r = await store.txn({
          compare: [{ key: "/a", modRevision: r1 }, { key: "/b", modRevision: r1 }],
          success: [{ type: "put", key: "/a", value: bytes("x") }, { type: "delete", key: "/b" }],
        });
        expect(r).toEqual({ succeeded: false, revision: r2 });
        expect(str((await store.get("/a"))!.value)).toBe("1");
        expect(await store.get("/b")).not.toBeNull();
        expect(await store.put("/c", bytes("3"))).toBe(r2 + 1);
      });

      it("fails a compare on a deleted key unless it expects 0", async () => {
        const r = await store.put("/a", bytes("1"));
        await store.delete("/a");
        expect((await store.txn({ compare: [{ key: "/a", modRevision: r }], success: [] })).succeeded).toBe(false);
        expect((await store.txn({ compare: [{ key: "/a", modRevision: 0 }], success: [] })).succeeded).toBe(true);
      });

      it("deletes exactly the keys under a prefix with deletePrefix, in one revision", async () => {
        for (const k of ["/d/1", "/d/2", "/d/3/x", "/d", "/dd", "/e"]) await store.put(k, bytes(k));
        const before = (await store.get("/e"))!.modRevision;
        const r = await store.txn({ success: [{ type: "deletePrefix", prefix: "/d/" }] });
        expect(r).toEqual({ succeeded: true, revision: before + 1 });
        expect((await store.range("")).map((kv) => kv.key)).toEqual(["/d", "/dd", "/e"]);
      });

      it("combines deletes and puts of different keys in one txn", async () => {
        await store.put("/old/1", bytes("1"));
        await store.put("/old/2", bytes("2"));
        const r = await store.txn({
          success: [
            { type: "deletePrefix", prefix: "/old/" },
            { type: "put", key: "/new/1", value: bytes("n") },
            { type: "delete", key: "/missing" },
          ],
        });
        expect((await store.range("/")).map((kv) => [kv.key, kv.modRevision])).toEqual([["/new/1", r.revision]]);
      });

      it("keeps the revision when a successful txn changes nothing", async () => {
        const rev = await store.put("/a", bytes("1"));
        expect(await store.txn({ success: [] })).toEqual({ succeeded: true, revision: rev });
        expect(
          await store.txn({ success: [{ type: "delete", key: "/missing" }, { type: "deletePrefix", prefix: "/nothing/" }] }),
        ).toEqual({ succeeded: true, revision: rev });
      });

      it("refuses a txn that puts a key twice or puts a key it deletes (DUPLICATE_KEY), applying nothing", async () => {
        await store.put("/a", bytes("1"));
        await expectCode(store.txn({ success: [{ type: "put", key: "/b", value: bytes("1") }, { type: "put", key: "/b", value: bytes("2") }] }), "DUPLICATE_KEY");
        await expectCode(store.txn({ success: [{ type: "delete", key: "/a" }, { type: "put", key: "/a", value: bytes("2") }] }), "DUPLICATE_KEY");
        await expectCode(store.txn({ success: [{ type: "deletePrefix", prefix: "/" }, { type: "put", key: "/c", value: bytes("2") }] }), "DUPLICATE_KEY");
        expect((await store.range("")).map((kv) => kv.key)).toEqual(["/a"]);
      });

      it("allows overlapping deletes in one txn", async () => {
        await store.put("/o/1", bytes("1"));
        const r = await store.txn({ success: [{ type: "delete", key: "/o/1" }, { type: "deletePrefix", prefix: "/o/" }] });
        expect(r.succeeded).toBe(true);
        expect(await store.get("/o/1")).toBeNull();
      });

      it("refuses malformed requests with INVALID_ARGUMENT", async () => {
        await expectCode(store.txn({ success: [{ type: "put", key: "", value: bytes("1") }] }), "INVALID_ARGUMENT");
        await expectCode(store.txn({ success: [{ type: "put", key: "/a", value: "x" as unknown as Uint8Array }] }), "INVALID_ARGUMENT");
        await expectCode(store.txn({ compare: [{ key: "/a", modRevision: -1 }], success: [] }), "INVALID_ARGUMENT");
        await expectCode(store.txn({ compare: [{ key: "/a", modRevision: 1.5 }], success: [] }), "INVALID_ARGUMENT");
        await expectCode(store.txn({ success: [{ type: "deletePrefix", prefix: "" }] }), "INVALID_ARGUMENT");
      });

      it("advances the revision by one per writing txn, and never for failed ones", async () => {
        let last: Revision = await store.put("/r", bytes("0"));
        for (let i = 1; i <= 30; i++) {
          const stale = await store.txn({ compare: [{ key: "/r", modRevision: last - 1 }], success: [{ type: "put", key: "/r", value: bytes("x") }] });
          expect(stale).toEqual({ succeeded: false, revision: last });
          const ok = await store.txn({ compare: [{ key: "/r", modRevision: last }], success: [{ type: "put", key: "/r", value: bytes(String(i)) }] });
          expect(ok).toEqual({ succeeded: true, revision: last + 1 });
          last = ok.revision;
        }
        expect(await store.get("/r")).toMatchObject({ value: bytes("30"), version: 31, modRevision: last });
      });
    });

    describe("watch()", () => {
      it("delivers the puts and deletes under its prefix in revision order, with revisions", async () => {
        const w = await collect(store, "/w/");
        const r1 = await store.put("/w/a", bytes("1"));
        await store.put("/x/b", bytes("no"));
        await store.put("/w", bytes("no"));
        const r2 = (await store.txn({ success: [{ type: "put", key: "/w/b", value: bytes("2") }, { type: "put", key: "/w/c", value: bytes("3") }] })).revision;
        const r3 = await store.delete("/w/a");
        const r4 = (await store.txn({ success: [{ type: "deletePrefix", prefix: "/w/" }] })).revision;
        const events = await w.waitFor(6);
        expect(events.map(brief)).toEqual([
          `put /w/a=1@${r1}`,
          `put /w/b=2@${r2}`,
          `put /w/c=3@${r2}`,
          `delete /w/a@${r3}`,
          `delete /w/b@${r4}`,
          `delete /w/c@${r4}`,
        ]);
        const put = events[1]!;
        expect(put.type === "put" && [put.createRevision, put.version]).toEqual([r2, 1]);
        await sleep(20);
        expect(events).toHaveLength(6);
        await w.stop();
      });

      it("reports createRevision and version of overwrites", async () => {
        const w = await collect(store, "/v");
        const r1 = await store.put("/v", bytes("1"));
        const r2 = await store.put("/v", bytes("2"));
        const [, second] = await w.waitFor(2);
        expect(second).toEqual({ type: "put", key: "/v", value: bytes("2"), modRevision: r2, createRevision: r1, version: 2 });
        await w.stop();
      });

      it("delivers an event only once the write is visible to get()", async () => {
        const seen: Array<Promise<string>> = [];
        const stop = await store.watch("/vis/", (e) => {
          seen.push(store.get(e.key).then((kv) => `${e.key}=${kv === null ? "missing" : str(kv.value)}`));
        });
        await Promise.all([1, 2, 3].map((i) => store.put(`/vis/${i}`, bytes(`v${i}`))));
        // etcd sends watch events asynchronously and commits concurrent requests in no particular
        // order: wait for the events, and compare them by key rather than in call order.
        for (let i = 0; i < 250 && seen.length < 3; i++) await sleep(20);
        expect(seen).toHaveLength(3);
        expect((await Promise.all(seen)).sort()).toEqual(["/vis/1=v1", "/vis/2=v2", "/vis/3=v3"]);
        await stop();
      });

      it("stops delivering after unsubscribe, while other watches go on", async () => {
        const a = await collect(store, "/s/");
        const b = await collect(store, "/s/");
        await store.put("/s/1", bytes("1"));
        await a.waitFor(1);
        await a.stop();
        await store.put("/s/2", bytes("2"));
        await b.waitFor(2);
        await sleep(20);
        expect(a.events.map((e) => e.key)).toEqual(["/s/1"]);
        expect(b.events.map((e) => e.key)).toEqual(["/s/1", "/s/2"]);
        await b.stop();
      });

      it("keeps working when a listener throws", async () => {
        const stopBad = await store.watch("/t/", () => {
          throw new Error("listener bug");
        });
        const good = await collect(store, "/t/");
        await store.put("/t/1", bytes("1"));
        await store.put("/t/2", bytes("2"));
        await good.waitFor(2);
        expect(str((await store.get("/t/2"))!.value)).toBe("2");
        await stopBad();
        await good.stop();
      });
    });

    describe("leases", () => {
      it("deletes the keys of an expired lease, with delete events", async () => {
        const lease = await store.grantLease(ttl);
        const w = await collect(store, "/l/");
        await store.put("/l/1", bytes("1"), { leaseId: lease });
        await store.txn({ success: [{ type: "put", key: "/l/2", value: bytes("2"), leaseId: lease }] });
        await store.put("/l/3", bytes("kept"));
        expect((await store.get("/l/1"))!.leaseId).toBe(lease);
        expect((await store.get("/l/3"))!.leaseId).toBeUndefined();
        await pass(ttl * 1.5);
        const events = await w.waitFor(5);
        expect(events.slice(3).map((e) => [e.type, e.key])).toEqual([
          ["delete", "/l/1"],
          ["delete", "/l/2"],
        ]);
        expect(events[3]!.modRevision).toBe(events[4]!.modRevision);
        expect((await store.range("/l/")).map((kv) => kv.key)).toEqual(["/l/3"]);
        await expectCode(store.keepAlive(lease), "LEASE_NOT_FOUND");
        await w.stop();
      });

      it("keeps a lease alive while keepAlive() is called", async () => {
        const lease = await store.grantLease(ttl);
        await store.put("/k", bytes("1"), { leaseId: lease });
        for (let i = 0; i < 6; i++) {
          await pass(ttl / 3);
          await store.keepAlive(lease);
        }
        expect(await store.get("/k")).not.toBeNull();
        await store.revokeLease(lease);
      });

      it("deletes the keys at once on revokeLease()", async () => {
        const lease = await store.grantLease(60_000);
        const w = await collect(store, "/rv/");
        await store.put("/rv/a", bytes("1"), { leaseId: lease });
        await store.revokeLease(lease);
        expect(await store.get("/rv/a")).toBeNull();
        expect((await w.waitFor(2)).map((e) => e.type)).toEqual(["put", "delete"]);
        await expectCode(store.revokeLease(lease), "LEASE_NOT_FOUND");
        await w.stop();
      });

      it("spares a key that was re-put without the lease or deleted before expiry", async () => {
        const lease = await store.grantLease(60_000);
        await store.put("/sp/a", bytes("1"), { leaseId: lease });
        await store.put("/sp/b", bytes("1"), { leaseId: lease });
        await store.put("/sp/a", bytes("2"));
        await store.delete("/sp/b");
        const before = await store.put("/sp/c", bytes("3"));
        await store.revokeLease(lease);
        expect((await store.range("/sp/")).map((kv) => kv.key)).toEqual(["/sp/a", "/sp/c"]);
        expect(await store.put("/sp/d", bytes("4"))).toBe(before + 1); // revoking a lease without keys writes nothing
      });

      it("refuses puts with an unknown lease (LEASE_NOT_FOUND) and applies nothing", async () => {
        const lease = await store.grantLease(60_000);
        await store.revokeLease(lease);
        await expectCode(store.put("/a", bytes("1"), { leaseId: lease }), "LEASE_NOT_FOUND");
        await expectCode(store.txn({ success: [{ type: "put", key: "/b", value: bytes("1") }, { type: "put", key: "/a", value: bytes("1"), leaseId: lease }] }), "LEASE_NOT_FOUND");
        await expectCode(store.keepAlive(lease), "LEASE_NOT_FOUND");
        expect(await store.range("")).toEqual([]);
      });
    });

    describe("concurrency", () => {
      it("lets exactly one of 100 parallel txns comparing the same revision succeed", async () => {
        const rev = await store.put("/counter", bytes("0"));
        const results = await Promise.all(
          Array.from({ length: 100 }, (_, i) =>
            store.txn({ compare: [{ key: "/counter", modRevision: rev }], success: [{ type: "put", key: "/counter", value: bytes(String(i + 1)) }] }),
          ),
        );
        expect(results.filter((r) => r.succeeded)).toHaveLength(1);
        const winner = results.findIndex((r) => r.succeeded);
        expect(await store.get("/counter")).toMatchObject({ value: bytes(String(winner + 1)), modRevision: rev + 1, version: 2 });
      });

      it("counts to exactly 100 with 20 clients doing 5 compare-and-swap increments each", async () => {
        await store.put("/n", bytes("0"));
        let succeeded = 0;
        let conflicts = 0;
        const client = async () => {
          for (let done = 0; done < 5; ) {
            const kv = (await store.get("/n"))!;
            const r = await store.txn({
              compare: [{ key: "/n", modRevision: kv.modRevision }],
              success: [{ type: "put", key: "/n", value: bytes(String(Number(str(kv.value)) + 1)) }],
            });
            if (r.succeeded) {
              done++;
              succeeded++;
            } else {
              conflicts++;
            }
          }
        };
        await Promise.all(Array.from({ length: 20 }, client));
        const final = (await store.get("/n"))!;
        expect(str(final.value)).toBe("100");
        expect(succeeded).toBe(100);
        expect(final.version).toBe(101);
        expect(conflicts).toBeGreaterThanOrEqual(0);
      });

      it("gives parallel writers distinct, gap-free revisions", async () => {
        const base = await store.put("/base", bytes("0"));
        const revs = await Promise.all(Array.from({ length: 50 }, (_, i) => store.put(`/par/${i}`, bytes(String(i)))));
        expect([...revs].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => base + 1 + i));
      });
    });

    describe("close()", () => {
      it("finishes transactions already started, then refuses everything with CLOSED", async () => {
        const pending = Promise.all(Array.from({ length: 10 }, (_, i) => store.put(`/c/${i}`, bytes("v"))));
        const closed = store.close();
        await expect(pending).resolves.toHaveLength(10);
        await closed;
        await store.close();
        await expectCode(store.get("/c/1"), "CLOSED");
        await expectCode(store.put("/c/1", bytes("v")), "CLOSED");
        await expectCode(store.range(""), "CLOSED");
        await expectCode(store.grantLease(1000), "CLOSED");
      });
    });

    (options.durable === true ? describe : registerNothing)("durability (backends with reopen)", () => {
      const durable = (title: string, fn: (reopen: () => Promise<KvStore>) => Promise<void>) =>
        it(title, async () => {
          if (h.reopen === undefined) throw new Error("a durable backend's harness must give reopen()");
          await fn(h.reopen);
        });

      durable("keeps every key, value and revision across a reopen, and continues the revision", async (reopen) => {
        await store.put("/a", bytes("1"));
        await store.put("/a", bytes("2"));
        await store.put("/b", bytes("b"));
        const last = (await store.txn({ success: [{ type: "delete", key: "/b" }, { type: "put", key: "/c", value: bytes("c") }] })).revision;
        const before = await store.range("");
        store = await reopen();
        expect(await store.range("")).toEqual(before);
        expect(await store.put("/d", bytes("d"))).toBe(last + 1);
      });

      durable("replays many transactions (across snapshots) to the same state", async (reopen) => {
        let expected: KeyValue[] = [];
        for (let round = 0; round < 3; round++) {
          for (let i = 0; i < 60; i++) {
            const k = `/m/${round}/${i % 17}`;
            if (i % 7 === 6) await store.txn({ success: [{ type: "deletePrefix", prefix: `/m/${round}/1` }] });
            else await store.put(k, bytes(`${k}#${i}`.repeat(1 + (i % 5))));
          }
          await Promise.all(Array.from({ length: 20 }, (_, i) => store.put(`/par/${round}/${i}`, bytes(String(i)))));
          expected = await store.range("");
          store = await reopen();
          expect(await store.range("")).toEqual(expected);
        }
        const last = Math.max(...expected.map((kv) => kv.modRevision));
        expect(await store.put("/next", bytes("n"))).toBeGreaterThan(last);
      });

      durable("drops a torn last write and opens with the state before it", async (reopen) => {
        if (h.tearTail === undefined) return;
        await store.put("/a", bytes("1"));
        const rev = await store.put("/b", bytes("2"));
        const before = await store.range("");
        await store.close();
        await h.tearTail();
        store = await reopen();
        expect(await store.range("")).toEqual(before);
        expect(await store.put("/c", bytes("3"))).toBe(rev + 1);
        const after = await store.range("");
        store = await reopen();
        expect(await store.range("")).toEqual(after);
      });
    });
  });
}

/** Stands in for `describe` when a group of tests does not apply to a backend: nothing is registered. */
function registerNothing(_name: string, _tests: () => void): void {}
