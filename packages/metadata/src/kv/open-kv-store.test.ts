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
    ["etcd://127.0.0.1:2379", "UNSUPPORTED_URL"],
    ["s3://bucket/x", "UNSUPPORTED_URL"],
    ["", "INVALID_ARGUMENT"],
    ["file://remote-host/x", "INVALID_ARGUMENT"],
  ])("refuses %j with %s", async (url, code) => {
    await expect(openKvStore(url)).rejects.toMatchObject({ code });
  });
});
