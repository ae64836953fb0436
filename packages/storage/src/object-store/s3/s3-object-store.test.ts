import { afterEach, describe, expect, it, vi } from "vitest";
import { ObjectExistsError, StorageError } from "../../errors.js";
import { checkObjectStoreWritable } from "../check-writable.js";
import type { ObjectStore } from "../object-store.js";
import { openObjectStore } from "../open-object-store.js";
import { objectStoreHealth } from "../store-health.js";
import { createS3ObjectStore } from "./s3-object-store.js";
import { useCephRgw } from "./s3-test-fixture.js";

const ceph = useCephRgw();
const opened: ObjectStore[] = [];

afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

function track<T extends ObjectStore>(store: T): T {
  opened.push(store);
  return store;
}

async function keys(store: ObjectStore, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of store.list(prefix)) out.push(entry.key);
  return out;
}

const codeOf = (p: Promise<unknown>): Promise<string> => p.then(() => "resolved", (e: unknown) => (e instanceof StorageError ? e.code : `not a StorageError: ${String(e)}`));

describe("createS3ObjectStore() on Ceph RGW", () => {
  it("keeps every key under its prefix and lists them without it", async () => {
    const options = ceph().options({ prefix: "tenant-a/segments/" });
    const store = track(createS3ObjectStore(options));
    const whole = track(createS3ObjectStore({ ...options, prefix: undefined }));
    await store.putIfAbsent("orders/0/segment-00000000000000000000.kfs", Uint8Array.of(1, 2));
    expect(await keys(whole, "tenant-a/")).toEqual(["tenant-a/segments/orders/0/segment-00000000000000000000.kfs"]);
    expect(await keys(store)).toEqual(["orders/0/segment-00000000000000000000.kfs"]);
    expect(await keys(track(createS3ObjectStore({ ...options, prefix: "tenant-b" })))).toEqual([]);
    await ceph().removePrefix("tenant-a");
  });

  it("lets exactly one of two concurrent putIfAbsent calls on a key win, with its own body", async () => {
    const store = track(createS3ObjectStore(ceph().options()));
    for (let i = 0; i < 5; i++) {
      const bodies = [new Uint8Array(100_000).fill(1), new Uint8Array(100_000).fill(2)];
      const results = await Promise.allSettled(bodies.map((b) => store.putIfAbsent(`race/${i}`, b)));
      const winners = results.flatMap((r, j) => (r.status === "fulfilled" ? [j] : []));
      expect(winners).toHaveLength(1);
      const loser = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(loser.reason).toBeInstanceOf(ObjectExistsError);
      expect(await store.get(`race/${i}`)).toEqual(bodies[winners[0]!]);
    }
  });

  it("pages through listings longer than one S3 page (1000 keys), starting after a key", async () => {
    const store = track(createS3ObjectStore(ceph().options()));
    const all = Array.from({ length: 1005 }, (_, i) => `many/${String(i).padStart(5, "0")}`);
    await Promise.all(all.map((key) => store.putIfAbsent(key, Uint8Array.of(1))));
    expect(await keys(store, "many/")).toEqual(all);
    const after: string[] = [];
    for await (const entry of store.list("many/", { startAfter: all[2] })) after.push(entry.key);
    expect(after).toEqual(all.slice(3));
  }, 60_000);

  it("reports a missing bucket as IO, not as a missing object", async () => {
    const store = track(createS3ObjectStore(ceph().options({ bucket: "no-such-bucket-here" })));
    expect(await codeOf(store.get("k"))).toBe("IO");
    expect(await codeOf(store.putIfAbsent("k", Uint8Array.of(1)))).toBe("IO");
    expect(await codeOf(store.delete("k"))).toBe("IO");
  });

  it("takes credentials from AWS_* environment variables when none are given", async () => {
    const { rgw } = ceph();
    vi.stubEnv("AWS_ACCESS_KEY_ID", rgw.accessKeyId);
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", rgw.secretAccessKey);
    const store = track(createS3ObjectStore(ceph().options({ credentials: undefined })));
    await store.putIfAbsent("env-creds", Uint8Array.of(9));
    expect(await store.head("env-creds")).toEqual({ size: 1 });
  });
});

describe("openObjectStore() with s3:// on Ceph RGW", () => {
  it("opens s3://bucket/prefix with the options' endpoint and credentials", async () => {
    const { rgw, bucket } = ceph();
    const s3 = { endpoint: rgw.endpoint, region: rgw.region, forcePathStyle: true, credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey } };
    const store = track(await openObjectStore(`s3://${bucket}/opened/by-url`, { s3 }));
    await store.putIfAbsent("x/y", Uint8Array.of(3));
    const whole = track(createS3ObjectStore({ ...s3, bucket }));
    expect(await whole.get("opened/by-url/x/y")).toEqual(Uint8Array.of(3));
    expect(objectStoreHealth(store)).toBe("healthy");
    await ceph().removePrefix("opened");
  });
});

describe("checkObjectStoreWritable() on Ceph RGW", () => {
  it("writes, reads back and deletes a probe under the prefix", async () => {
    const store = track(createS3ObjectStore(ceph().options()));
    await checkObjectStoreWritable(store, "default/_kafscale/probes/");
    expect(await keys(store)).toEqual([]);
  });

  it("fails with IO, at once, for a wrong secret key", async () => {
    const { rgw } = ceph();
    const store = track(createS3ObjectStore(ceph().options({ credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: "not-the-secret" } })));
    const started = Date.now();
    const err = await checkObjectStoreWritable(store, "probes").catch((e: unknown) => e);
    expect((err as StorageError).code).toBe("IO");
    expect((err as StorageError).message).toMatch(/HTTP 403/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("fails with TIMEOUT within the budget when nothing listens at the endpoint, and the store is unavailable", async () => {
    const store = track(createS3ObjectStore(ceph().options({ operationTimeoutMs: 1500, maxAttempts: 100, retryMaxDelayMs: 200 }, "http://127.0.0.1:9")));
    const started = Date.now();
    const err = await checkObjectStoreWritable(store, "probes").catch((e: unknown) => e);
    expect((err as StorageError).code).toBe("TIMEOUT");
    // The last error is the refused connection, or the last attempt cut short by the budget.
    expect((err as StorageError).message).toMatch(/no success within operationTimeoutMs 1500 \(\d+ attempts; last error: .*(ECONNREFUSED|Abort|Timeout)/);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(objectStoreHealth(store)).toBe("unavailable");
  });
});
