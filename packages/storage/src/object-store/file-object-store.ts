import { constants } from "node:fs";
import { link, lstat, mkdir, open, stat, unlink, type FileHandle } from "node:fs/promises";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { ObjectExistsError, ObjectNotFoundError, StorageError } from "../errors.js";
import { DirHandles } from "./file-dir-handles.js";
import { listFiles } from "./file-list.js";
import { DEFAULT_SPARE_FILES, removeStaleTempFiles, SpareFiles } from "./file-spare-files.js";
import { errnoCode, mapFsError } from "./fs-errors.js";
import { resolveRange, validateObjectKey } from "./keys.js";
import type { ByteRange, ListOptions, ObjectHead, ObjectListEntry, ObjectStore } from "./object-store.js";

/** Root-level directory holding files being written; not an object, and not a valid first key segment. */
export const FILE_STORE_TEMP_DIR = ".kafscale-tmp";

/**
 * Temp files are written with O_DSYNC: each write returns once its data (and the size needed to
 * read it) is on disk, so a put needs no separate fdatasync round trip.
 */
const WRITE_SPARE = constants.O_WRONLY | constants.O_DSYNC;
const WRITE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_DSYNC;

/**
 * An {@link ObjectStore} keeping each object as a file `rootDir/<key>` (the
 * embedded default, `file:///abs/path`).
 *
 * Creating an object: write a temp file under `rootDir/.kafscale-tmp/`
 * with O_DSYNC (durable when the write returns), `link()` it to the final name (the kernel refuses with
 * `EEXIST` when the name exists: that is the conditional create, atomic
 * against concurrent writers, and an object is never visible half-written),
 * `fsync` the directory so the new name survives a crash, then unlink the
 * temp name. New directories are fsynced into their parents too. The temp
 * file is normally a spare, created empty ahead of need ({@link SpareFiles}).
 *
 * Limits: a key cannot also be a "directory" of another key (`a` and `a/b`);
 * that is `INVALID_KEY`. Empty directories are left behind by `delete`. A crash
 * mid-write leaves a file in the temp directory (never a visible object),
 * removed the next time a store opens on the same root.
 */
export async function createFileObjectStore(rootDir: string, options: FileObjectStoreOptions = {}): Promise<ObjectStore> {
  if (!isAbsolute(rootDir)) {
    throw new StorageError("INVALID_URL", `file object store root ${JSON.stringify(rootDir)} must be an absolute path`);
  }
  const root = resolve(rootDir);
  const tempDir = join(root, FILE_STORE_TEMP_DIR);
  try {
    await mkdir(tempDir, { recursive: true });
    await removeStaleTempFiles(tempDir);
  } catch (err) {
    throw mapFsError(err, root, "create store root");
  }
  return new FileObjectStore(root, new SpareFiles(tempDir, options.spareFiles ?? DEFAULT_SPARE_FILES));
}

export interface FileObjectStoreOptions {
  /** Empty temp files kept ready for puts (see {@link SpareFiles}); 0 creates each on demand. Default 16. */
  spareFiles?: number;
}

class FileObjectStore implements ObjectStore {
  readonly #root: string;
  /** Directories known to exist (and be durable), to skip mkdir on the hot path. */
  readonly #knownDirs = new Set<string>();
  /** The directory fsync each directory is waiting for or running. */
  readonly #dirSyncs = new Map<string, { started: boolean; done: Promise<void> }>();
  readonly #spares: SpareFiles;
  readonly #dirHandles = new DirHandles();
  #closed = false;

  constructor(root: string, spares: SpareFiles) {
    this.#root = root;
    this.#spares = spares;
  }

  async putIfAbsent(key: string, body: Uint8Array | readonly Uint8Array[]): Promise<void> {
    const path = this.#pathOf(key);
    const chunks = body instanceof Uint8Array ? [body] : body;
    const spare = this.#spares.take();
    const temp = spare ?? this.#spares.freshPath();
    let handle: FileHandle | undefined;
    try {
      handle = await open(temp, spare === null ? WRITE_NEW : WRITE_SPARE);
      const written = await writeAll(handle, chunks);
      if (written === 0) await handle.datasync(); // no write made the (empty) file durable
      const dir = dirname(path);
      await this.#ensureDir(dir);
      try {
        await link(temp, path);
      } catch (err) {
        if (errnoCode(err) === "EEXIST" && (await lstatKind(path)) === "directory") throw directoryClash(key);
        throw err;
      }
      await this.#syncDir(dir);
    } catch (err) {
      throw mapFsError(err, key, "put");
    } finally {
      // Off the caller's path (a link needs no closed file): a temp name left by a crash is
      // removed when a store next opens on this root.
      const opened = handle;
      void (async () => {
        await opened?.close().catch(() => {});
        await unlink(temp).catch(() => {});
      })();
    }
  }

  /**
   * fsyncs a directory after a link into it. Puts into one directory share an fsync that has
   * not started yet (a flush's .kfs and .index do), and one that has started is followed by a
   * new one, so every link is covered by an fsync that began after it.
   */
  #syncDir(dir: string): Promise<void> {
    const pending = this.#dirSyncs.get(dir);
    if (pending !== undefined && !pending.started) return pending.done;
    const entry: { started: boolean; done: Promise<void> } = { started: false, done: Promise.resolve() };
    entry.done = (pending?.done ?? Promise.resolve())
      .catch(() => {})
      .then(() => {
        entry.started = true;
        return this.#dirHandles.fsync(dir);
      })
      .finally(() => {
        if (this.#dirSyncs.get(dir) === entry) this.#dirSyncs.delete(dir);
      });
    this.#dirSyncs.set(dir, entry);
    return entry.done;
  }

  async get(key: string, range?: ByteRange): Promise<Uint8Array> {
    const path = this.#pathOf(key);
    let handle: FileHandle | undefined;
    try {
      handle = await open(path, "r");
      const stats = await handle.stat();
      if (!stats.isFile()) throw new ObjectNotFoundError(key);
      const { start, end } = resolveRange(key, stats.size, range);
      // Filled by the reads below (or the call fails), so it need not be zeroed first.
      const unfilled = Buffer.allocUnsafeSlow(end - start);
      const out = new Uint8Array(unfilled.buffer, unfilled.byteOffset, end - start);
      let done = 0;
      while (done < out.length) {
        const { bytesRead } = await handle.read(out, done, out.length - done, start + done);
        if (bytesRead === 0) throw new StorageError("IO", `object ${JSON.stringify(key)} shrank while being read`);
        done += bytesRead;
      }
      return out;
    } catch (err) {
      throw mapFsError(err, key, "get");
    } finally {
      await handle?.close();
    }
  }

  async head(key: string): Promise<ObjectHead | null> {
    const path = this.#pathOf(key);
    try {
      const stats = await stat(path);
      return stats.isFile() ? { size: stats.size } : null;
    } catch (err) {
      const code = errnoCode(err);
      if (code === "ENOENT" || code === "ENOTDIR") return null;
      throw mapFsError(err, key, "head");
    }
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ObjectListEntry> {
    this.#checkOpen();
    try {
      yield* listFiles(this.#root, prefix, options.startAfter, FILE_STORE_TEMP_DIR);
    } catch (err) {
      throw mapFsError(err, prefix, "list");
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.#pathOf(key);
    try {
      await unlink(path);
    } catch (err) {
      const code = errnoCode(err);
      // Missing, or the name is a directory (a prefix, not an object): nothing to delete.
      if (code === "ENOENT" || code === "ENOTDIR") return;
      if ((code === "EISDIR" || code === "EPERM") && (await lstatKind(path)) === "directory") return;
      throw mapFsError(err, key, "delete");
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([this.#spares.close(), this.#dirHandles.close()]);
  }

  #pathOf(key: string): string {
    this.#checkOpen();
    validateObjectKey(key);
    if (key.split("/", 1)[0] === FILE_STORE_TEMP_DIR) {
      throw new StorageError("INVALID_KEY", `invalid object key ${JSON.stringify(key)}: ${FILE_STORE_TEMP_DIR} is reserved`);
    }
    return join(this.#root, key);
  }

  #checkOpen(): void {
    if (this.#closed) throw new StorageError("CLOSED", `file object store ${this.#root} is closed`);
  }

  /** mkdir -p, then fsync the parent of every directory it created. */
  async #ensureDir(dir: string): Promise<void> {
    if (this.#knownDirs.has(dir)) return;
    let firstCreated: string | undefined;
    try {
      firstCreated = await mkdir(dir, { recursive: true });
    } catch (err) {
      const code = errnoCode(err);
      if (code === "EEXIST" || code === "ENOTDIR") {
        throw new StorageError("INVALID_KEY", `cannot create directory ${dir}: a file is in the way (an object key is a prefix of another)`, {
          cause: err,
        });
      }
      throw err;
    }
    if (firstCreated !== undefined) {
      const created: string[] = [];
      for (let d = dir; d.length >= firstCreated.length; d = dirname(d)) created.push(d);
      for (const d of created.reverse()) await fsyncDir(dirname(d));
    }
    this.#knownDirs.add(dir);
  }
}

/** Writes every chunk in order, coping with short writes and more chunks than one writev takes; returns the bytes written. */
async function writeAll(handle: FileHandle, chunks: readonly Uint8Array[]): Promise<number> {
  const MAX_IOV = 1024; // Linux's IOV_MAX: with O_DSYNC every writev is also a sync
  let pending = chunks.filter((c) => c.length > 0);
  let total = 0;
  while (pending.length > 0) {
    const group = pending.slice(0, MAX_IOV);
    const wanted = group.reduce((n, c) => n + c.length, 0);
    let { bytesWritten } = await handle.writev(group);
    total += bytesWritten;
    if (bytesWritten === wanted) {
      pending = pending.slice(group.length);
      continue;
    }
    // Short write: drop what was written and go round again.
    const rest: Uint8Array[] = [];
    for (const chunk of pending) {
      if (bytesWritten >= chunk.length) {
        bytesWritten -= chunk.length;
      } else {
        rest.push(bytesWritten > 0 ? chunk.subarray(bytesWritten) : chunk);
        bytesWritten = 0;
      }
    }
    pending = rest;
  }
  return total;
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function lstatKind(path: string): Promise<"file" | "directory" | "other" | null> {
  try {
    const stats = await lstat(path);
    return stats.isFile() ? "file" : stats.isDirectory() ? "directory" : "other";
  } catch {
    return null;
  }
}

function directoryClash(key: string): StorageError {
  return new StorageError("INVALID_KEY", `cannot create ${JSON.stringify(key)}: it is a prefix ("directory") of other keys`);
}
