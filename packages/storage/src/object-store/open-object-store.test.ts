import { afterEach, describe, expect, it, vi } from "vitest";
import { pathToFileURL } from "node:url";
import { makeTempDir } from "../test-support/temp-dir.js";
import { dropMemoryObjectStore } from "./memory-object-store.js";
import { openObjectStore } from "./open-object-store.js";
import { objectStoreHealth } from "./store-health.js";

describe("openObjectStore()", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("opens memory:// privately and memory://name shared", async () => {
    const a = await openObjectStore("memory://");
    await a.putIfAbsent("k", Uint8Array.of(1));
    expect(await (await openObjectStore("memory://")).head("k")).toBeNull();
    const b = await openObjectStore("memory://open-test");
    await b.putIfAbsent("k", Uint8Array.of(2));
    expect(await (await openObjectStore("memory://open-test")).get("k")).toEqual(Uint8Array.of(2));
    dropMemoryObjectStore("open-test");
  });

  it("opens file:///abs/path, creating the directory", async () => {
    const dir = await makeTempDir("open");
    try {
      const url = pathToFileURL(`${dir.path}/nested/root`).href;
      const store = await openObjectStore(url);
      await store.putIfAbsent("x/y", Uint8Array.of(3));
      expect(await (await openObjectStore(url)).get("x/y")).toEqual(Uint8Array.of(3));
    } finally {
      await dir.remove();
    }
  });

  it("opens s3://bucket/prefix without any request, taking the region from the options or AWS_REGION", async () => {
    const store = await openObjectStore("s3://my-bucket/tenant/segments", { s3: { region: "eu-west-1", endpoint: "http://127.0.0.1:9" } });
    expect(objectStoreHealth(store)).toBe("healthy");
    await store.close();
    vi.stubEnv("AWS_REGION", "us-east-1");
    await (await openObjectStore("s3://my-bucket")).close();
  });

  it("refuses s3:// without a region in the options or the environment", async () => {
    vi.stubEnv("AWS_REGION", "");
    vi.stubEnv("AWS_DEFAULT_REGION", "");
    await expect(openObjectStore("s3://my-bucket/p")).rejects.toMatchObject({ code: "INVALID_URL", message: expect.stringMatching(/no region/) });
  });

  it.each([
    ["s3://", "INVALID_URL"],
    ["s3://my-bucket:9000/prefix", "INVALID_URL"],
    ["s3://Bad_Bucket/prefix", "INVALID_URL"],
    ["s3://my-bucket/a//b", "INVALID_URL"],
    ["not a url", "INVALID_URL"],
    ["file://remote-host/x", "INVALID_URL"],
    ["http://localhost/", "INVALID_URL"],
  ])("refuses %j with %s", async (url, code) => {
    await expect(openObjectStore(url, { s3: { region: "us-east-1" } })).rejects.toMatchObject({ code });
  });
});
