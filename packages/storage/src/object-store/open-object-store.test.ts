import { describe, expect, it } from "vitest";
import { pathToFileURL } from "node:url";
import { makeTempDir } from "../test-support/temp-dir.js";
import { dropMemoryObjectStore } from "./memory-object-store.js";
import { openObjectStore } from "./open-object-store.js";

describe("openObjectStore()", () => {
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

  it.each([
    ["s3://bucket/prefix", "INVALID_URL"],
    ["not a url", "INVALID_URL"],
    ["file://remote-host/x", "INVALID_URL"],
    ["http://localhost/", "INVALID_URL"],
  ])("refuses %j with %s", async (url, code) => {
    await expect(openObjectStore(url)).rejects.toMatchObject({ code });
  });
});
