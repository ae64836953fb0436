import { open, type FileHandle } from "node:fs/promises";

/** Directory handles kept open for fsync; see {@link DirHandles}. */
export const DEFAULT_OPEN_DIR_HANDLES = 256;

/**
 * Open handles of the directories puts were linked into, so that the directory fsync after a
 * put is one call instead of open, fsync and close (each a round trip through libuv's thread
 * pool, on the path of every acknowledged produce). At most `max` stay open; the least recently
 * used is closed first (a close waits for an fsync still running on it).
 */
export class DirHandles {
  readonly #max: number;
  readonly #handles = new Map<string, Promise<FileHandle>>();

  constructor(max: number = DEFAULT_OPEN_DIR_HANDLES) {
    this.#max = max;
  }

  async fsync(dir: string): Promise<void> {
    let handle = this.#handles.get(dir);
    if (handle === undefined) {
      handle = open(dir, "r");
      this.#handles.set(dir, handle);
      this.#evict();
    } else {
      this.#handles.delete(dir); // most recently used goes last
      this.#handles.set(dir, handle);
    }
    try {
      await (await handle).sync();
    } catch (err) {
      // Open it again next time. (The store never removes directories, as `#knownDirs` assumes too.)
      this.#forget(dir, handle);
      void handle.then((h) => h.close()).catch(() => {});
      throw err;
    }
  }

  async close(): Promise<void> {
    const all = [...this.#handles.values()];
    this.#handles.clear();
    await Promise.all(all.map((h) => h.then((fh) => fh.close()).catch(() => {})));
  }

  #evict(): void {
    while (this.#handles.size > this.#max) {
      const [dir, oldest] = this.#handles.entries().next().value as [string, Promise<FileHandle>];
      this.#handles.delete(dir);
      void oldest.then((fh) => fh.close()).catch(() => {});
    }
  }

  #forget(dir: string, handle: Promise<FileHandle>): void {
    if (this.#handles.get(dir) === handle) this.#handles.delete(dir);
  }
}
