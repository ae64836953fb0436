import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
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
    await withStore(async (root, store) => {
      await store.putIfAbsent("default/orders/0/segment-00000000000000000000.kfs", [Uint8Array.of(1, 2), Uint8Array.of(3)]);
      expect(await readdir(join(root, "default/orders/0"))).toEqual(["segment-00000000000000000000.kfs"]);
      expect(await readdir(join(root, FILE_STORE_TEMP_DIR))).toEqual([]);
      await store.putIfAbsent("default/orders/0/segment-00000000000000000000.kfs", Uint8Array.of(9)).catch(() => {});
      expect(await readdir(join(root, FILE_STORE_TEMP_DIR))).toEqual([]);
    });
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
