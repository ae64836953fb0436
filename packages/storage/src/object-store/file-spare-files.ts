import { randomUUID } from "node:crypto";
import { open, readdir, unlink } from "node:fs/promises";
import { join } from "node:path";

/** Empty files kept ready in the temp directory; see {@link SpareFiles}. */
export const DEFAULT_SPARE_FILES = 16;

/**
 * Empty files created ahead of need in the store's temp directory, so that a put opens an
 * existing file instead of creating one. Creating a file (allocating its inode) is the costly
 * step of a small put on some filesystems: on the ext4 of the benchmark machine it takes
 * 0.2–1.4 ms of kernel CPU, against 0.01 ms to open an existing file, and a flush creates two.
 * The pool is refilled in the background, one file at a time; a put that finds it empty
 * creates its temp file itself, as before.
 */
export class SpareFiles {
  readonly #dir: string;
  readonly #target: number;
  readonly #ready: string[] = [];
  #refilling = false;
  #closed = false;

  constructor(dir: string, target: number = DEFAULT_SPARE_FILES) {
    this.#dir = dir;
    this.#target = target;
  }

  /** A fresh temp path (no file yet): the prefix ties it to this process. */
  freshPath(): string {
    return join(this.#dir, `${process.pid}-${randomUUID()}`);
  }

  /** An existing empty file to write into, or null when none is ready. Starts a refill. */
  take(): string | null {
    const path = this.#ready.pop() ?? null;
    this.refill();
    return path;
  }

  /** Creates spares until `target` are ready; one refill runs at a time. */
  refill(): void {
    if (this.#refilling || this.#closed || this.#ready.length >= this.#target) return;
    this.#refilling = true;
    void this.#fill().finally(() => {
      this.#refilling = false;
    });
  }

  async #fill(): Promise<void> {
    while (!this.#closed && this.#ready.length < this.#target) {
      const path = this.freshPath();
      try {
        await (await open(path, "wx")).close();
      } catch {
        return; // a full disk or a removed directory: puts create their own files and report it
      }
      if (this.#closed) {
        await unlink(path).catch(() => {});
        return;
      }
      this.#ready.push(path);
    }
  }

  /** Removes the spares that are ready; a refill in progress removes what it creates after this. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#ready.splice(0).map((p) => unlink(p).catch(() => {})));
  }
}

/**
 * Deletes temp files left by processes that no longer run (a crash mid-put, or spares of a
 * broker that was killed). Files of live processes, this one included, are left alone: another
 * store may be writing them.
 */
export async function removeStaleTempFiles(dir: string): Promise<number> {
  let removed = 0;
  for (const name of await readdir(dir)) {
    const pid = Number(name.split("-", 1)[0]);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) continue;
    await unlink(join(dir, name)).then(
      () => removed++,
      () => {},
    );
  }
  return removed;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
