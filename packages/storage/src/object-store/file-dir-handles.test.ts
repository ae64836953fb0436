import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../test-support/temp-dir.js";
import { DirHandles } from "./file-dir-handles.js";

async function openDescriptors(): Promise<number> {
  const { readdir } = await import("node:fs/promises");
  return (await readdir("/proc/self/fd")).length;
}

describe("DirHandles", () => {
  it("keeps at most `max` directory handles open, closing the least recently used, and closes all on close()", async () => {
    const tmp = await makeTempDir("dirs");
    try {
      const dirs = await Promise.all(
        ["a", "b", "c", "d"].map(async (n) => {
          const d = join(tmp.path, n);
          await mkdir(d);
          return d;
        }),
      );
      const before = await openDescriptors();
      const handles = new DirHandles(2);
      for (const d of dirs) await handles.fsync(d);
      await new Promise((r) => setTimeout(r, 20)); // evicted handles close in the background
      expect((await openDescriptors()) - before).toBe(2);
      await handles.fsync(dirs[3]!); // still open: no new descriptor
      expect((await openDescriptors()) - before).toBe(2);
      await handles.close();
      expect((await openDescriptors()) - before).toBe(0);
    } finally {
      await tmp.remove();
    }
  });

  it("fails for a directory that does not exist, and opens it afresh once it does", async () => {
    const tmp = await makeTempDir("dirs");
    const handles = new DirHandles();
    try {
      const d = join(tmp.path, "later");
      await expect(handles.fsync(d)).rejects.toMatchObject({ code: "ENOENT" });
      await mkdir(d);
      await handles.fsync(d);
      await rm(d, { recursive: true });
    } finally {
      await handles.close();
      await tmp.remove();
    }
  });
});
