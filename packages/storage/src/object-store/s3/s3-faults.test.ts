import { inspect } from "node:util";
import type { S3FaultProxy } from "@kafscale/test-servers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ObjectExistsError, StorageError } from "../../errors.js";
import type { ObjectStoreHealth } from "../store-health.js";
import { createS3ObjectStore, type S3ObjectStore } from "./s3-object-store.js";
import type { S3ObjectStoreOptions } from "./s3-options.js";
import { capturingLogger, useCephRgw } from "./s3-test-fixture.js";

const ceph = useCephRgw();
let proxy: S3FaultProxy;
const opened: S3ObjectStore[] = [];
let transitions: ObjectStoreHealth[] = [];
let logger = capturingLogger();

// A fresh proxy per test: requests a test abandoned cannot count in the next one.
beforeEach(async () => {
  proxy = await ceph().proxy();
});

afterEach(async () => {
  transitions = [];
  logger = capturingLogger();
  await Promise.all(opened.splice(0).map((s) => s.close()));
  await proxy.close();
});

/** A store whose requests go through the proxy; fast retries unless overridden. */
function open(overrides: Partial<S3ObjectStoreOptions> = {}): S3ObjectStore {
  const store = createS3ObjectStore(
    ceph().options(
      { requestTimeoutMs: 1000, retryBaseDelayMs: 20, retryMaxDelayMs: 200, logger, onHealthChange: (state) => void transitions.push(state), ...overrides },
      proxy.endpoint,
    ),
  );
  opened.push(store);
  return store;
}

async function failure(promise: Promise<unknown>): Promise<StorageError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(StorageError);
  return err as StorageError;
}

const bytes = (n: number, fill: number): Uint8Array => new Uint8Array(n).fill(fill);

describe("S3 object store through a fault proxy", () => {
  it.each(["slowDown", "internalError"] as const)("retries %s answers and then succeeds", async (fault) => {
    const store = open();
    proxy.setFaults({ rules: [{ fault, next: 2 }] });
    await store.putIfAbsent("k", bytes(1000, 1));
    expect(await store.get("k")).toEqual(bytes(1000, 1));
    expect(proxy.counts()).toMatchObject({ [fault]: 2, forwarded: 2 });
    expect(transitions).toEqual(["degraded"]);
  });

  it("retries a dropped connection", async () => {
    const store = open();
    await store.putIfAbsent("k", bytes(10, 2));
    proxy.resetCounts();
    proxy.setFaults({ rules: [{ fault: "dropBeforeForward", method: "GET", next: 1 }] });
    expect(await store.get("k")).toEqual(bytes(10, 2));
    expect(proxy.counts()).toMatchObject({ dropBeforeForward: 1, forwarded: 1 });
  });

  it("gives up on an answer delayed past requestTimeoutMs and retries it", async () => {
    const store = open({ requestTimeoutMs: 500 });
    await store.putIfAbsent("k", bytes(100, 3));
    proxy.resetCounts();
    proxy.setFaults({ rules: [{ fault: "delay", method: "GET", next: 1, delayMs: 5000 }] });
    const started = Date.now();
    expect(await store.get("k", { start: 10, end: 20 })).toEqual(bytes(10, 3));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(proxy.counts()).toMatchObject({ delay: 1, forwarded: 2 });
  });

  it.each([
    ["dropAfterForward", {}],
    ["delay", { delayMs: 4000 }],
  ] as const)("succeeds when a put's first attempt landed but its answer was lost (%s; 412 on retry, same bytes)", async (fault, extra) => {
    const store = open({ requestTimeoutMs: 700 });
    const body = bytes(300_000, 4);
    proxy.setFaults({ rules: [{ fault, method: "PUT", next: 1, ...extra }] });
    await store.putIfAbsent("seg/00000000000000000000.kfs", [body.subarray(0, 1000), body.subarray(1000)]);
    expect(await store.get("seg/00000000000000000000.kfs")).toEqual(body);
    expect(proxy.counts()).toMatchObject({ [fault]: 1 });
    expect(logger.entries.map((e) => e.message)).toContain("S3 put: 412 on retry, but the stored object is this body; an earlier attempt stored it");
  });

  it("keeps EXISTS when an ambiguous put meets a different object of the same size", async () => {
    const store = open();
    await store.putIfAbsent("k", bytes(5000, 5));
    proxy.setFaults({ rules: [{ fault: "internalError", method: "PUT", next: 1 }] });
    const err = await failure(store.putIfAbsent("k", bytes(5000, 6)));
    expect(err).toBeInstanceOf(ObjectExistsError);
    expect(await store.get("k")).toEqual(bytes(5000, 5));
  });

  it("never retries final answers: 404, 412, 416 (health stays healthy) and 403", async () => {
    const store = open();
    await store.putIfAbsent("k", bytes(10, 7));
    proxy.resetCounts();
    expect((await failure(store.get("missing"))).code).toBe("NOT_FOUND");
    expect((await failure(store.putIfAbsent("k", bytes(10, 8)))).code).toBe("EXISTS");
    expect((await failure(store.get("k", { start: 10 }))).code).toBe("INVALID_RANGE");
    expect(proxy.counts().forwarded).toBe(3);
    expect(store.health).toBe("healthy");
    const forbidden = open({ credentials: { accessKeyId: ceph().rgw.accessKeyId, secretAccessKey: "wrong-secret" } });
    const err = await failure(forbidden.get("k"));
    expect(err.code).toBe("IO");
    expect(err.message).toMatch(/HTTP 403/);
    expect(proxy.counts().forwarded).toBe(4);
  });

  it("rejects persistent 503s with TIMEOUT within operationTimeoutMs; unavailable, then healthy once S3 recovers", async () => {
    const store = open({ operationTimeoutMs: 2000, maxAttempts: 1000, retryMaxDelayMs: 100 });
    await store.putIfAbsent("k", bytes(10, 9));
    proxy.setFaults({ rules: [{ fault: "slowDown" }] });
    const started = Date.now();
    const err = await failure(store.get("k"));
    const elapsed = Date.now() - started;
    expect(err.code).toBe("TIMEOUT");
    expect(err.message).toMatch(/no success within operationTimeoutMs 2000/);
    expect(elapsed).toBeGreaterThanOrEqual(1800);
    expect(elapsed).toBeLessThan(4000);
    expect(proxy.counts().slowDown).toBeGreaterThan(5);
    expect(transitions).toEqual(["degraded", "unavailable"]);
    expect(store.health).toBe("unavailable");
    proxy.clear();
    for (let i = 0; i < 3; i++) expect(await store.head("k")).toEqual({ size: 10 });
    expect(transitions).toEqual(["degraded", "unavailable", "degraded", "healthy"]);
    expect(store.health).toBe("healthy");
    const levels = logger.entries.filter((e) => e.message.startsWith("S3 object store is")).map((e) => `${e.level}:${String(e.fields["health"])}`);
    expect(levels).toEqual(["warn:degraded", "error:unavailable", "warn:degraded", "info:healthy"]);
  });

  it("rejects with IO after maxAttempts; unavailable after unavailableAfterFailures such calls in a row", async () => {
    const store = open({ maxAttempts: 3, unavailableAfterFailures: 3 });
    proxy.setFaults({ rules: [{ fault: "internalError" }] });
    const health: ObjectStoreHealth[] = [];
    for (let i = 0; i < 3; i++) {
      const err = await failure(store.get("k"));
      expect(err.code).toBe("IO");
      expect(err.message).toMatch(/after 3 attempts: HTTP 500 InternalError/);
      health.push(store.health);
    }
    expect(health).toEqual(["degraded", "degraded", "unavailable"]);
    expect(proxy.counts().internalError).toBe(9);
  });

  it("never has more than maxConcurrency requests in flight; the others queue", async () => {
    const store = open({ maxConcurrency: 4 });
    proxy.setFaults({ rules: [{ fault: "delay", delayMs: 100 }] });
    await Promise.all(Array.from({ length: 24 }, (_, i) => store.putIfAbsent(`c/${i}`, bytes(1000, i))));
    expect(proxy.counts()).toMatchObject({ forwarded: 24, maxInFlight: 4 });
  });

  it("close() rejects calls in flight with CLOSED at once", async () => {
    const store = open({ requestTimeoutMs: 10_000 });
    await store.putIfAbsent("k", bytes(10, 1));
    proxy.setFaults({ rules: [{ fault: "delay", delayMs: 8000 }] });
    const pending = failure(store.get("k"));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    await store.close();
    expect((await pending).code).toBe("CLOSED");
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("never puts the credentials in log lines or errors", async () => {
    const { accessKeyId, secretAccessKey } = ceph().rgw;
    const store = open({ maxAttempts: 3, operationTimeoutMs: 3000, requestTimeoutMs: 300 });
    const errors: unknown[] = [];
    const collect = (p: Promise<unknown>): Promise<unknown> => p.catch((e: unknown) => errors.push(e));
    proxy.setFaults({ rules: [{ fault: "slowDown", next: 4 }, { fault: "dropAfterForward", next: 2 }, { fault: "delay", next: 2, delayMs: 1000 }] });
    for (let i = 0; i < 4; i++) await collect(store.putIfAbsent(`p/${i}`, bytes(100, i)));
    proxy.setFaults({ rules: [{ fault: "internalError" }] });
    for (let i = 0; i < 4; i++) await collect(store.head(`p/${i}`));
    proxy.clear();
    const forbidden = open({ credentials: { accessKeyId, secretAccessKey: `${secretAccessKey}x` }, logger });
    await collect(forbidden.get("p/0"));
    expect(errors.length).toBeGreaterThanOrEqual(5);
    expect(logger.entries.length).toBeGreaterThan(5);
    const everything = inspect({ logs: logger.entries, errors }, { depth: 20, showHidden: true });
    expect(everything).toContain("SlowDown");
    expect(everything).not.toContain(secretAccessKey);
    expect(everything).not.toContain(accessKeyId);
  });
});
