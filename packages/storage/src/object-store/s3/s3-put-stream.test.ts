import { createHash, randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ObjectExistsError, StorageError } from "../../errors.js";
import { startCaptureProxy, type CaptureProxy, type CapturedRequest } from "./s3-capture-proxy.js";
import { createS3ObjectStore, type S3ObjectStore } from "./s3-object-store.js";
import type { S3ObjectStoreOptions } from "./s3-options.js";
import { capturingLogger, useCephRgw } from "./s3-test-fixture.js";

const ceph = useCephRgw();
let proxy: CaptureProxy;
const opened: S3ObjectStore[] = [];
const prefixes: string[] = [];

beforeEach(async () => {
  proxy = await startCaptureProxy(ceph().rgw.endpoint);
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  await proxy.close();
  await Promise.all(prefixes.splice(0).map((p) => ceph().removePrefix(p)));
});

/** A store whose requests go through the capture proxy. */
function open(overrides: Partial<S3ObjectStoreOptions> = {}): S3ObjectStore {
  const options = ceph().options({ requestTimeoutMs: 10_000, retryBaseDelayMs: 20, retryMaxDelayMs: 200, ...overrides }, proxy.endpoint);
  const store = createS3ObjectStore(options);
  opened.push(store);
  prefixes.push(options.prefix!);
  return store;
}

/**
 * A segment-like body of about 5 MiB as a list of chunks: views into a few
 * larger buffers (as produced batches are views of request buffers) and plain
 * Uint8Arrays, from a few bytes (merged when sent) to 1 MiB, and empty ones.
 */
function chunkList(): { chunks: Uint8Array[]; whole: Buffer } {
  const chunks: Uint8Array[] = [];
  const sizes = [61, 3, 0, 900, 1023, 1024, 16_384, 16_383, 65_536, 1 << 20, 7, 0, 250_000, 12];
  for (let round = 0; round < 4; round++) {
    const backing = randomBytes(sizes.reduce((a, b) => a + b, 0) + 100);
    let at = 37;
    for (const [i, size] of sizes.entries()) {
      const view = backing.subarray(at, at + size);
      chunks.push(i % 3 === 0 ? new Uint8Array(view) : view);
      at += size;
    }
    for (let i = 0; i < 200; i++) chunks.push(randomBytes(1 + ((i * 37) % 300)));
  }
  return { chunks, whole: Buffer.concat(chunks) };
}

const puts = (): CapturedRequest[] => proxy.requests.filter((r) => r.method === "PUT");
const sha256 = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");

describe("S3 putIfAbsent streams chunk lists", () => {
  it("sends a multi-chunk body byte for byte with a Content-Length, as UNSIGNED-PAYLOAD, without checksums", async () => {
    const store = open();
    const { chunks, whole } = chunkList();
    await store.putIfAbsent("seg/00000000000000000000.kfs", chunks);
    const [put, ...others] = puts();
    expect(others).toEqual([]);
    expect(put!.body.equals(whole)).toBe(true);
    expect(put!.headers["x-amz-content-sha256"]).toBe("UNSIGNED-PAYLOAD");
    expect(put!.headers["content-length"]).toBe(String(whole.length));
    expect(put!.headers["transfer-encoding"]).toBeUndefined();
    expect(put!.headers["if-none-match"]).toBe("*");
    expect(put!.headers["authorization"]).toMatch(/^AWS4-HMAC-SHA256 .*SignedHeaders=[^,]*x-amz-content-sha256/);
    expect(Object.keys(put!.headers).filter((h) => h.startsWith("x-amz-checksum") || h === "x-amz-trailer" || h === "content-md5")).toEqual([]);
    expect(Buffer.from(await store.get("seg/00000000000000000000.kfs")).equals(whole)).toBe(true);
  }, 60_000);

  it("with signPayload, signs the body's SHA-256 (Ceph checks it)", async () => {
    const store = open({ signPayload: true });
    const { chunks, whole } = chunkList();
    await store.putIfAbsent("signed", chunks);
    expect(puts()[0]!.headers["x-amz-content-sha256"]).toBe(sha256(whole));
    expect(Buffer.from(await store.get("signed")).equals(whole)).toBe(true);
    await store.putIfAbsent("signed-empty", []);
    expect(puts()[1]!.headers["x-amz-content-sha256"]).toBe(sha256(new Uint8Array(0)));
    expect(await store.head("signed-empty")).toEqual({ size: 0 });
  }, 60_000);

  it("a body damaged on the way is refused with signPayload, and stored without (caught later by the segment CRCs)", async () => {
    const { chunks, whole } = chunkList();
    const signed = open({ signPayload: true });
    proxy.corruptNextPut(3_000_000);
    const err = await signed.putIfAbsent("damaged", chunks).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).code).toBe("IO");
    expect((err as StorageError).message).toMatch(/HTTP 400/);
    expect(await signed.head("damaged")).toBeNull();

    const unsigned = open();
    proxy.corruptNextPut(3_000_000);
    await unsigned.putIfAbsent("damaged", chunks);
    const stored = Buffer.from(await unsigned.get("damaged"));
    expect(stored.length).toBe(whole.length);
    expect(stored.equals(whole)).toBe(false);
    expect(stored[3_000_000]).toBe(whole[3_000_000]! ^ 0xff);
  }, 60_000);

  it.each([false, true])("resends the whole body after a connection cut in the middle of it (signPayload %s)", async (signPayload) => {
    const logger = capturingLogger();
    const store = open({ signPayload, logger });
    const { chunks, whole } = chunkList();
    proxy.cutNextPutAfter(2_500_000);
    await store.putIfAbsent("cut", chunks);
    const [first, second, ...more] = puts();
    expect(more).toEqual([]);
    expect(first!.cut).toBe(true);
    expect(first!.body.length).toBe(2_500_000);
    expect(second!.cut).toBe(false);
    expect(second!.body.equals(whole)).toBe(true);
    expect(Buffer.from(await store.get("cut")).equals(whole)).toBe(true);
    expect(logger.entries.some((e) => e.message === "S3 request failed; retrying")).toBe(true);
  }, 60_000);

  it("sends a single buffer and an empty body the same way", async () => {
    const store = open();
    const one = randomBytes(100_000);
    await store.putIfAbsent("one", one.subarray(10, 90_010));
    await store.putIfAbsent("empty", []);
    await store.putIfAbsent("empty-chunks", [new Uint8Array(0), new Uint8Array(0)]);
    const [a, b, c] = puts();
    expect(a!.body.equals(one.subarray(10, 90_010))).toBe(true);
    expect([a, b, c].map((r) => [r!.headers["x-amz-content-sha256"], r!.headers["content-length"]])).toEqual([
      ["UNSIGNED-PAYLOAD", "90000"],
      ["UNSIGNED-PAYLOAD", "0"],
      ["UNSIGNED-PAYLOAD", "0"],
    ]);
    expect(Buffer.from(await store.get("one")).equals(one.subarray(10, 90_010))).toBe(true);
    expect(await store.head("empty")).toEqual({ size: 0 });
    expect(await store.head("empty-chunks")).toEqual({ size: 0 });
  }, 60_000);

  it("keeps the SDK quiet on the console when a streamed put fails (412 here); its warning goes to the logger at debug", async () => {
    const logger = capturingLogger();
    const store = open({ logger });
    await store.putIfAbsent("taken", [Uint8Array.of(1), Uint8Array.of(2)]);
    const warn = vi.spyOn(console, "warn");
    try {
      const err = await store.putIfAbsent("taken", [Uint8Array.of(3)]).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(ObjectExistsError);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
    expect(logger.entries.filter((e) => e.message.startsWith("S3 SDK")).map((e) => e.level)).toEqual(["debug"]);
  });
});
