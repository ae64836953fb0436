import { open } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";

/** Writes all of `bytes` at the handle's position (the end, for files opened with "a"). */
export async function writeAll(fh: FileHandle, bytes: Uint8Array): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await fh.write(bytes, done, bytes.length - done);
    done += bytesWritten;
  }
}

/** Syncs a directory, making creates, renames and deletes in it durable. */
export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** True for a Node error with that `code` (e.g. "ENOENT"). */
export function hasErrnoCode(err: unknown, code: string): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === code;
}
