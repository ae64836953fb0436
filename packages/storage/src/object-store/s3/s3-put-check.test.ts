import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ObjectNotFoundError, StorageError } from "../../errors.js";
import { storedObjectEquals, type StoredHead } from "./s3-put-check.js";

const body = Uint8Array.of(1, 2, 3, 4);
const md5 = (b: Uint8Array): string => `"${createHash("md5").update(b).digest("hex")}"`;

/** A stored object seen through HEAD and GET; counts the reads. */
function stored(head: StoredHead, bytes: Uint8Array = body) {
  const s = { reads: 0, head: async () => head, read: async () => (s.reads++, bytes) };
  return s;
}

describe("storedObjectEquals()", () => {
  it("trusts a plain MD5 ETag without reading the object", async () => {
    const same = stored({ ContentLength: 4, ETag: md5(body) });
    expect(await storedObjectEquals(same, body)).toBe(true);
    const other = stored({ ContentLength: 4, ETag: md5(Uint8Array.of(9, 9, 9, 9)) });
    expect(await storedObjectEquals(other, body)).toBe(false);
    expect(same.reads + other.reads).toBe(0);
  });

  it("settles a different size from the HEAD alone", async () => {
    const s = stored({ ContentLength: 5, ETag: md5(body) });
    expect(await storedObjectEquals(s, body)).toBe(false);
    expect(s.reads).toBe(0);
  });

  it.each([
    [{ ContentLength: 4, ETag: '"0123456789abcdef0123456789abcdef-2"' }, "a multipart ETag"],
    [{ ContentLength: 4, ETag: md5(Uint8Array.of(0)), ServerSideEncryption: "aws:kms" }, "SSE-KMS"],
    [{ ContentLength: 4, ETag: md5(Uint8Array.of(0)), SSECustomerAlgorithm: "AES256" }, "SSE-C"],
  ])("reads the object back and compares bytes when the ETag is not a plain MD5 (%j: %s)", async (head, _why) => {
    const s = stored(head);
    expect(await storedObjectEquals(s, body)).toBe(true);
    expect(await storedObjectEquals(stored(head, Uint8Array.of(1, 2, 3, 5)), body)).toBe(false);
    expect(s.reads).toBe(1);
  });

  it("treats a vanished object as different, and passes other errors on", async () => {
    const gone = { head: () => Promise.reject(new ObjectNotFoundError("k")), read: () => Promise.reject(new Error("unused")) };
    expect(await storedObjectEquals(gone, body)).toBe(false);
    const down = { head: () => Promise.reject(new StorageError("TIMEOUT", "slow")), read: () => Promise.reject(new Error("unused")) };
    await expect(storedObjectEquals(down, body)).rejects.toMatchObject({ code: "TIMEOUT" });
  });

  it("compares chunk lists without concatenating them, by MD5 and byte by byte", async () => {
    const chunks = [Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3), Uint8Array.of(4)];
    expect(await storedObjectEquals(stored({ ContentLength: 4, ETag: md5(body) }), chunks)).toBe(true);
    expect(await storedObjectEquals(stored({ ContentLength: 4, ETag: md5(body) }), [Uint8Array.of(1, 2), Uint8Array.of(4, 3)])).toBe(false);
    const multipart = { ContentLength: 4, ETag: '"0123456789abcdef0123456789abcdef-2"' };
    expect(await storedObjectEquals(stored(multipart), chunks)).toBe(true);
    expect(await storedObjectEquals(stored(multipart), [Uint8Array.of(1, 2, 3), Uint8Array.of(5)])).toBe(false);
    expect(await storedObjectEquals(stored({ ContentLength: 0, ETag: md5(new Uint8Array(0)) }, new Uint8Array(0)), [])).toBe(true);
  });
});

