import { existsSync } from "node:fs";
import { mkdir, readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { StorageError } from "../errors.js";
import { makeTempDir } from "../test-support/temp-dir.js";
import { createFileObjectStore, FILE_STORE_TEMP_DIR } from "./file-object-store.js";
import { runObjectStoreContract } from "./object-store.contract.js";

runObjectStoreContract("file://", async () => {
  const dir = await makeTempDir("contract");
  return { store: await createFileObjectStore(dir.path), cleanup: dir.remove };
});

async function withStore(fn: (root: string, store: Awaited<ReturnType<typeof createFileObjectStore>>) => Promise<void>): Promise<void> {
  const dir = await makeTempDir("file");
  const store = await createFileObjectStore(dir.path);
  try {
    await fn(dir.path, store);
  } finally {
    await store.close();
    await dir.remove();
  }
}

describe("createFileObjectStore()", () => {
  it("keeps each object as a file named by its key, and leaves no temp file behind", async () => {
    const dir = await makeTempDir("file");
    const store = await createFileObjectStore(dir.path, { spareFiles: 0 });
    try {
      const root = dir.path;
      await store.putIfAbsent("default/orders/0/segment-00000000000000000000.kfs", [Uint8Array.of(1, 2), Uint8Array.of(3)]);
      expect(await readdir(join(root, "default/orders/0"))).toEqual(["segment-00000000000000000000.kfs"]);
      await vi.waitFor(async () => expect(await readdir(join(root, FILE_STORE_TEMP_DIR))).toEqual([]));
      await store.putIfAbsent("default/orders/0/segment-00000000000000000000.kfs", Uint8Array.of(9)).catch(() => {});
      await vi.waitFor(async () => expect(await readdir(join(root, FILE_STORE_TEMP_DIR))).toEqual([]));
    } finally {
      await store.close();
      await dir.remove();
    }
  });

  it("writes puts into spare files created ahead, keeps at most the configured number, and removes them on close", async () => {
    const dir = await makeTempDir("file");
    const temp = join(dir.path, FILE_STORE_TEMP_DIR);
    const store = await createFileObjectStore(dir.path, { spareFiles: 3 });
    try {
      expect(await readdir(temp)).toEqual([]); // none until the first put
      await store.putIfAbsent("k0", Uint8Array.of(1, 2, 3));
      await vi.waitFor(async () => expect(await readdir(temp)).toHaveLength(3));
      const spares = await readdir(temp);
      for (const name of spares) expect((await stat(join(temp, name))).size).toBe(0);
      for (let i = 1; i <= 5; i++) await store.putIfAbsent(`k${i}`, new Uint8Array(i * 1000).fill(i));
      for (let i = 1; i <= 5; i++) expect(await store.get(`k${i}`)).toEqual(new Uint8Array(i * 1000).fill(i));
      expect(spares.some((name) => !existsSync(join(temp, name)))).toBe(true); // used by the puts
      await vi.waitFor(async () => expect(await readdir(temp)).toHaveLength(3));
    } finally {
      await store.close();
    }
    expect(await readdir(temp)).toEqual([]);
    await dir.remove();
  });

  it("removes temp files of processes that no longer run when it opens, and keeps those of live ones", async () => {
    const dir = await makeTempDir("file");
    const temp = join(dir.path, FILE_STORE_TEMP_DIR);
    await mkdir(temp);
    const deadPid = 4194305; // above Linux's largest pid_max: never a live process
    await writeFile(join(temp, `${deadPid}-crashed-put`), "partial");
    await writeFile(join(temp, "not-a-pid"), "");
    await writeFile(join(temp, `${process.pid}-in-progress`), "partial");
    const store = await createFileObjectStore(dir.path, { spareFiles: 0 });
    try {
      expect((await readdir(temp)).sort()).toEqual([`${process.pid}-in-progress`]);
    } finally {
      await store.close();
      await dir.remove();
    }
  });

  it("does not list its temp directory, nor files written there", async () => {
    await withStore(async (root, store) => {
      await writeFile(join(root, FILE_STORE_TEMP_DIR, "123-leftover"), "partial");
      await store.putIfAbsent("a", Uint8Array.of(1));
      const keys: string[] = [];
      for await (const entry of store.list("")) keys.push(entry.key);
      expect(keys).toEqual(["a"]);
      for await (const entry of store.list(`${FILE_STORE_TEMP_DIR}/`)) keys.push(entry.key);
      expect(keys).toEqual(["a"]);
    });
  });

  it("reserves the temp directory name as a first key segment", async () => {
    await withStore(async (_root, store) => {
      const err = await store.putIfAbsent(`${FILE_STORE_TEMP_DIR}/x`, Uint8Array.of(1)).catch((e: unknown) => e);
      expect((err as StorageError).code).toBe("INVALID_KEY");
    });
  });

  it("refuses a key that is a directory of another key, or under another key", async () => {
    await withStore(async (root, store) => {
      await store.putIfAbsent("a/b", Uint8Array.of(1));
      expect(((await store.putIfAbsent("a", Uint8Array.of(1)).catch((e: unknown) => e)) as StorageError).code).toBe("INVALID_KEY");
      expect(((await store.putIfAbsent("a/b/c", Uint8Array.of(1)).catch((e: unknown) => e)) as StorageError).code).toBe("INVALID_KEY");
      await mkdir(join(root, "plain-dir"));
      expect(await store.head("plain-dir")).toBeNull();
      expect(((await store.get("plain-dir").catch((e: unknown) => e)) as StorageError).code).toBe("NOT_FOUND");
    });
  });

  it("needs an absolute root", async () => {
    await expect(createFileObjectStore("relative/dir")).rejects.toMatchObject({ code: "INVALID_URL" });
  });
});
