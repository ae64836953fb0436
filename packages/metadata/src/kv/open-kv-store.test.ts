import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LOG_FILE } from "./file/file-kv-store.js";
import { openKvStore } from "./open-kv-store.js";

describe("openKvStore()", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "kafscale-metadata-test-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("opens a fresh in-memory store for memory://", async () => {
    const a = await openKvStore("memory://");
    const b = await openKvStore("memory://x");
    await a.put("/k", new Uint8Array([1]));
    expect(await b.get("/k")).toBeNull();
    await Promise.all([a.close(), b.close()]);
  });

  it("opens the file store for a file:// URL and for a plain path", async () => {
    const viaUrl = join(dir, "url", "metadata");
    const store = await openKvStore(pathToFileURL(viaUrl).href);
    await store.put("/k", new Uint8Array([1]));
    await store.close();
    expect(await readdir(viaUrl)).toContain(LOG_FILE);
    const again = await openKvStore(viaUrl);
    expect((await again.get("/k"))?.value).toEqual(new Uint8Array([1]));
    await again.close();
  });

  it.each([
    ["zk://127.0.0.1:2181", "UNSUPPORTED_URL"],
    ["s3://bucket/x", "UNSUPPORTED_URL"],
    ["", "INVALID_ARGUMENT"],
    ["file://remote-host/x", "INVALID_ARGUMENT"],
    ["etcd://", "INVALID_ARGUMENT"],
    ["etcd://host:2379/path", "INVALID_ARGUMENT"],
    ["etcd://a:1,,b:2", "INVALID_ARGUMENT"],
  ])("refuses %j with %s", async (url, code) => {
    await expect(openKvStore(url)).rejects.toMatchObject({ code });
  });

  it("refuses credentials in an etcd URL without repeating them", async () => {
    const err = await openKvStore("etcd://kafscale:hunter2@127.0.0.1:2379").catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringContaining("pass username and password as options") });
    expect((err as Error).message).not.toContain("hunter2");
  });

  it("refuses an etcd URL with UNAVAILABLE when nothing answers there", async () => {
    await expect(openKvStore("etcd://127.0.0.1:1", { dialTimeoutMs: 500 })).rejects.toMatchObject({ code: "UNAVAILABLE" });
  });
});
