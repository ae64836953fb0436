import { open, readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { MetadataError } from "../../errors.js";
import { hasErrnoCode } from "./fs-util.js";

/** File that marks a data directory as in use; it holds the owner's process id. */
export const LOCK_FILE = "LOCK";

const heldInThisProcess = new Set<string>();

/** A held directory lock. */
export interface DirLock {
  release(): Promise<void>;
}

/**
 * Takes the advisory lock of a data directory, so two stores never append to one log.
 * Refused (`LOCKED`) when a store of this process has the directory open, or when `LOCK` names
 * another process that is alive. A `LOCK` left by a dead process (or by an earlier run that had
 * this same pid, as pid 1 in a restarted container) is taken over.
 */
export async function acquireDirLock(dir: string): Promise<DirLock> {
  const id = resolve(dir);
  if (heldInThisProcess.has(id)) throw new MetadataError("LOCKED", `metadata directory ${id} is already open in this process`);
  heldInThisProcess.add(id);
  const path = join(id, LOCK_FILE);
  try {
    await claim(path);
  } catch (err) {
    heldInThisProcess.delete(id);
    throw err;
  }
  return {
    async release() {
      if (!heldInThisProcess.delete(id)) return;
      await rm(path, { force: true });
    },
  };
}

async function claim(path: string): Promise<void> {
  try {
    const fh = await open(path, "wx");
    try {
      await fh.writeFile(String(process.pid));
    } finally {
      await fh.close();
    }
    return;
  } catch (err) {
    if (!hasErrnoCode(err, "EEXIST")) throw err;
  }
  const owner = Number.parseInt(await readFile(path, "utf8").catch(() => ""), 10);
  if (Number.isSafeInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
    throw new MetadataError("LOCKED", `metadata directory ${path.slice(0, -LOCK_FILE.length - 1)} is in use by process ${owner} (${path})`);
  }
  await writeFile(path, String(process.pid));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return hasErrnoCode(err, "EPERM"); // exists, but belongs to someone else
  }
}
