import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ObjectExistsError, ObjectNotFoundError, StorageError } from "../errors.js";
import type { ObjectStore } from "./object-store.js";

/** What a backend's test gives the contract suite for each test: a store with no objects. */
export interface ObjectStoreFixture {
  store: ObjectStore;
  /** Removes whatever the store left behind (temp directories, buckets); called after `close()`. */
  cleanup(): Promise<void>;
}

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0;
/** S3 order, computed independently of the code under test. */
const s3Order = (keys: string[]): string[] => [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

async function collect(iterable: AsyncIterable<{ key: string; size: number }>): Promise<{ key: string; size: number }[]> {
  const out: { key: string; size: number }[] = [];
  for await (const entry of iterable) out.push(entry);
  return out;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof StorageError) return err.code;
    throw err;
  }
  return "resolved";
}

/**
 * The behaviour every {@link ObjectStore} backend must have. Each backend's
 * test file calls this once with a factory for an empty store.
 */
export function runObjectStoreContract(name: string, open: () => Promise<ObjectStoreFixture>): void {
  describe(`ObjectStore contract: ${name}`, () => {
    let fixture: ObjectStoreFixture;
    let store: ObjectStore;

    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
    });
    afterEach(async () => {
      await store.close();
      await fixture.cleanup();
    });

    describe("putIfAbsent()", () => {
      it("creates an object that get() and head() return", async () => {
        await store.putIfAbsent("a/b/c.bin", bytes(1, 2, 3));
        expect(await store.get("a/b/c.bin")).toEqual(bytes(1, 2, 3));
        expect(await store.head("a/b/c.bin")).toEqual({ size: 3 });
      });

      it("refuses to overwrite with ObjectExistsError and keeps the first body", async () => {
        await store.putIfAbsent("k", text("first"));
        const err = await store.putIfAbsent("k", text("second")).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ObjectExistsError);
        expect((err as ObjectExistsError).code).toBe("EXISTS");
        expect((err as ObjectExistsError).key).toBe("k");
        expect(new TextDecoder().decode(await store.get("k"))).toBe("first");
      });

      it("lets exactly one of many concurrent creators of a key win", async () => {
        const bodies = Array.from({ length: 8 }, (_, i) => new Uint8Array(64 * 1024).fill(i + 1));
        const results = await Promise.allSettled(bodies.map((b) => store.putIfAbsent("race/key", b)));
        const winners = results.flatMap((r, i) => (r.status === "fulfilled" ? [i] : []));
        expect(winners).toHaveLength(1);
        for (const r of results) {
          if (r.status === "rejected") expect(r.reason).toBeInstanceOf(ObjectExistsError);
        }
        expect(sameBytes(await store.get("race/key"), bodies[winners[0]!]!)).toBe(true);
      });

      it("writes chunked bodies in order, empty chunks included", async () => {
        await store.putIfAbsent("chunks", [bytes(1, 2), new Uint8Array(0), bytes(3), bytes(4, 5, 6)]);
        expect(await store.get("chunks")).toEqual(bytes(1, 2, 3, 4, 5, 6));
        await store.putIfAbsent("no-chunks", []);
        expect(await store.head("no-chunks")).toEqual({ size: 0 });
      });

      it("keeps what it was given even if the caller reuses the buffer afterwards", async () => {
        const body = bytes(7, 7, 7);
        await store.putIfAbsent("copied", [body]);
        body.fill(0);
        expect(await store.get("copied")).toEqual(bytes(7, 7, 7));
      });

      it("keeps a copy of a single Buffer body, and get() returns bytes the caller may change", async () => {
        const body = Buffer.from([8, 8, 8]);
        await store.putIfAbsent("copied-buffer", body);
        body.fill(0);
        const read = await store.get("copied-buffer");
        expect(Array.from(read)).toEqual([8, 8, 8]);
        read.fill(1);
        expect(Array.from(await store.get("copied-buffer"))).toEqual([8, 8, 8]);
      });

      it("stores empty objects", async () => {
        await store.putIfAbsent("empty", new Uint8Array(0));
        expect(await store.get("empty")).toEqual(new Uint8Array(0));
        expect(await store.head("empty")).toEqual({ size: 0 });
      });

      it("round-trips an 8 MiB object written in chunks, whole and by range", async () => {
        const big = new Uint8Array(8 * 1024 * 1024);
        for (let i = 0; i < big.length; i += 4096) big[i] = (i >>> 12) & 0xff;
        big[big.length - 1] = 0xab;
        const chunks = Array.from({ length: 8 }, (_, i) => big.subarray(i * 1024 * 1024, (i + 1) * 1024 * 1024));
        await store.putIfAbsent("big/object", chunks);
        expect(await store.head("big/object")).toEqual({ size: big.length });
        expect(sameBytes(await store.get("big/object"), big)).toBe(true);
        const start = 3 * 1024 * 1024 + 17;
        expect(sameBytes(await store.get("big/object", { start, end: start + 1_000_000 }), big.subarray(start, start + 1_000_000))).toBe(true);
        expect(sameBytes(await store.get("big/object", { start: big.length - 5 }), big.subarray(big.length - 5))).toBe(true);
      });

      it.each([
        ["", "empty"],
        ["/abs", "leading slash"],
        ["dir/", "trailing slash"],
        ["a//b", "double slash"],
        ["a/../b", "dot-dot segment"],
        ["./a", "dot segment"],
        ["a\\b", "backslash"],
        ["a\0b", "NUL"],
        ["x".repeat(1025), "over 1024 bytes"],
      ])("refuses the key %j (%s) with INVALID_KEY", async (key) => {
        expect(await codeOf(store.putIfAbsent(key, bytes(1)))).toBe("INVALID_KEY");
        expect(await codeOf(store.get(key))).toBe("INVALID_KEY");
        expect(await codeOf(store.delete(key))).toBe("INVALID_KEY");
      });
    });

    describe("get()", () => {
      beforeEach(async () => {
        await store.putIfAbsent("ten", bytes(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
      });

      it.each([
        [{ start: 0 }, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
        [{ start: 3 }, [3, 4, 5, 6, 7, 8, 9]],
        [{ start: 3, end: 5 }, [3, 4]],
        [{ start: 0, end: 10 }, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
        [{ start: 8, end: 100 }, [8, 9]],
        [{ start: 9 }, [9]],
        [{ start: 9, end: 10 }, [9]],
      ])("reads the range %j", async (range, expected) => {
        expect(await store.get("ten", range)).toEqual(Uint8Array.from(expected));
      });

      it.each([
        [{ start: 10 }, "INVALID_RANGE"],
        [{ start: 10, end: 20 }, "INVALID_RANGE"],
        [{ start: 11 }, "INVALID_RANGE"],
        [{ start: -1 }, "INVALID_RANGE"],
        [{ start: 1.5 }, "INVALID_RANGE"],
        [{ start: 5, end: 5 }, "INVALID_RANGE"],
        [{ start: 5, end: 4 }, "INVALID_RANGE"],
      ])("refuses the range %j with %s", async (range, code) => {
        expect(await codeOf(store.get("ten", range))).toBe(code);
      });

      it("refuses any range of an empty object", async () => {
        await store.putIfAbsent("zero", new Uint8Array(0));
        expect(await codeOf(store.get("zero", { start: 0 }))).toBe("INVALID_RANGE");
      });

      it("rejects a missing key with ObjectNotFoundError, ranged or not", async () => {
        const err = await store.get("missing/key").catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ObjectNotFoundError);
        expect((err as ObjectNotFoundError).code).toBe("NOT_FOUND");
        expect(await codeOf(store.get("missing/key", { start: 0, end: 1 }))).toBe("NOT_FOUND");
        expect(await codeOf(store.get("ten/below"))).toBe("NOT_FOUND");
      });

      it("returns a copy the caller may change", async () => {
        const first = await store.get("ten");
        first.fill(0xff);
        expect((await store.get("ten", { start: 0, end: 2 }))[1]).toBe(1);
      });
    });

    describe("head()", () => {
      it("returns null for a missing key and for a key that is only a prefix", async () => {
        await store.putIfAbsent("p/q/r", bytes(1));
        expect(await store.head("nope")).toBeNull();
        expect(await store.head("p/q")).toBeNull();
        expect(await store.head("p/q/r/s")).toBeNull();
      });
    });

    describe("list()", () => {
      const keys = [
        "t/0/segment-00000000000000000000.kfs",
        "t/0/segment-00000000000000000000.index",
        "t/0/segment-00000000000000000100.kfs",
        "t/0/sub/z",
        "t/0a",
        "t/1/x",
        "t-a/y",
        "t.b",
        "u",
        "v/\u00e9",
        "v/\uff21",
        "v/\u{1f600}",
      ];

      beforeEach(async () => {
        for (const [i, key] of keys.entries()) await store.putIfAbsent(key, new Uint8Array(i));
      });

      it("lists everything in S3 (UTF-8 byte) order with sizes", async () => {
        const listed = await collect(store.list(""));
        expect(listed.map((e) => e.key)).toEqual(s3Order(keys));
        for (const entry of listed) expect(entry.size).toBe(keys.indexOf(entry.key));
      });

      it.each([
        ["t/", (k: string) => k.startsWith("t/")],
        ["t/0", (k: string) => k.startsWith("t/0")],
        ["t/0/segment-", (k: string) => k.startsWith("t/0/segment-")],
        ["t", (k: string) => k.startsWith("t")],
        ["v/", (k: string) => k.startsWith("v/")],
        ["nothing/", () => false],
        ["t/0/segment-00000000000000000000.kfs", (k: string) => k === "t/0/segment-00000000000000000000.kfs"],
      ])("filters by the string prefix %j", async (prefix, match) => {
        expect((await collect(store.list(prefix))).map((e) => e.key)).toEqual(s3Order(keys.filter(match)));
      });

      it.each([
        ["", "t/0/segment-00000000000000000000.kfs"],
        ["", "t/0/"],
        ["", "t/0/sub/z"],
        ["", "t/0/sub"],
        ["", "t-"],
        ["", "t."],
        ["", "a"],
        ["", "zzz"],
        ["t/", "t/0/segment-00000000000000000000.index"],
        ["t/", "t/0"],
        ["t/0/", "t/0/segment-00000000000000000000.kfs"],
        ["v/", "v/\u00e9"],
        ["v/", "v/\uff21"],
      ])("with prefix %j starts after %j, across directories", async (prefix, startAfter) => {
        const expected = s3Order(keys).filter((k) => k.startsWith(prefix) && Buffer.compare(Buffer.from(k), Buffer.from(startAfter)) > 0);
        expect((await collect(store.list(prefix, { startAfter }))).map((e) => e.key)).toEqual(expected);
      });

      it("does not list deleted objects", async () => {
        await store.delete("t/1/x");
        await store.delete("t/0/sub/z");
        expect((await collect(store.list("t/"))).map((e) => e.key)).toEqual(
          s3Order(keys.filter((k) => k.startsWith("t/") && k !== "t/1/x" && k !== "t/0/sub/z")),
        );
      });
    });

    describe("delete()", () => {
      it("removes the object, is idempotent, and allows the key to be created again", async () => {
        await store.putIfAbsent("d/e", bytes(1));
        await store.delete("d/e");
        expect(await store.head("d/e")).toBeNull();
        expect(await codeOf(store.get("d/e"))).toBe("NOT_FOUND");
        await store.delete("d/e");
        await store.delete("never/existed");
        await store.putIfAbsent("d/e", bytes(2));
        expect(await store.get("d/e")).toEqual(bytes(2));
      });

      it("does not delete objects under a prefix of the same name", async () => {
        await store.putIfAbsent("d/e/f", bytes(1));
        await store.delete("d/e");
        expect(await store.head("d/e/f")).toEqual({ size: 1 });
      });
    });

    describe("close()", () => {
      it("makes every later call reject with CLOSED, and is idempotent", async () => {
        await store.putIfAbsent("x", bytes(1));
        await store.close();
        await store.close();
        expect(await codeOf(store.get("x"))).toBe("CLOSED");
        expect(await codeOf(store.head("x"))).toBe("CLOSED");
        expect(await codeOf(store.putIfAbsent("y", bytes(1)))).toBe("CLOSED");
        expect(await codeOf(store.delete("x"))).toBe("CLOSED");
        expect(await codeOf(collect(store.list("")))).toBe("CLOSED");
      });
    });
  });
}
