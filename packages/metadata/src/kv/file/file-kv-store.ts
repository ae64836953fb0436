import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { join, resolve } from "node:path";
import { MetadataError } from "../../errors.js";
import type { MetadataLogger } from "../../logger.js";
import { silentLogger } from "../../logger.js";
import { KvEngine } from "../kv-engine.js";
import type { EmbeddedKvOptions, KvPersistence } from "../kv-engine.js";
import type { KvStore } from "../kv-store.js";
import { KvState } from "../kv-state.js";
import type { TxnRecord } from "../kv-state.js";
import { acquireDirLock } from "./dir-lock.js";
import type { DirLock } from "./dir-lock.js";
import { hasErrnoCode, syncDir, writeAll } from "./fs-util.js";
import { encodeBatchRecord, encodeLogHeader, LOG_HEADER_BYTES, scanLog } from "./log-format.js";
import { decodeSnapshot, encodeSnapshot } from "./snapshot-format.js";

/** Write-ahead log file in the data directory. */
export const LOG_FILE = "metadata.wal";
/** Snapshot file in the data directory. */
export const SNAPSHOT_FILE = "metadata.snap";
/** Snapshot being written; removed on open when a crash left it behind. */
export const SNAPSHOT_TMP_FILE = "metadata.snap.tmp";

/** Default {@link FileKvStoreOptions.snapshotThresholdBytes}: 16 MiB. */
export const DEFAULT_SNAPSHOT_THRESHOLD_BYTES = 16 * 1024 * 1024;

/** Options of {@link openFileKvStore}. */
export interface FileKvStoreOptions extends EmbeddedKvOptions {
  /**
   * Write a snapshot and empty the log once the log holds more than this many bytes, or more than
   * the last snapshot's size if that is larger (default 16 MiB).
   */
  readonly snapshotThresholdBytes?: number;
}

/**
 * Opens (creating if needed) the embedded durable store in directory `dir`.
 *
 * Files: `metadata.wal` (write-ahead log of committed transactions), `metadata.snap` (all keys
 * at one revision), `LOCK`. Open loads the snapshot, replays the log records after its revision,
 * drops a torn last record with a warning, and deletes keys that were attached to leases (leases
 * live in memory only, so after a restart they are gone, as etcd's would be once their TTL
 * passed). Every transaction is in the log and synced (`fdatasync`) before it resolves;
 * concurrent transactions share one write and one sync (group commit).
 */
export async function openFileKvStore(dir: string, options: FileKvStoreOptions = {}): Promise<KvStore> {
  const root = resolve(dir);
  const logger = options.logger ?? silentLogger;
  const threshold = options.snapshotThresholdBytes ?? DEFAULT_SNAPSHOT_THRESHOLD_BYTES;
  if (!(threshold > 0)) throw new MetadataError("INVALID_ARGUMENT", `snapshotThresholdBytes must be positive, got ${threshold}`);
  await mkdir(root, { recursive: true });
  const lock = await acquireDirLock(root);
  let log: FileHandle | undefined;
  try {
    await rm(join(root, SNAPSHOT_TMP_FILE), { force: true });
    const state = await loadSnapshot(join(root, SNAPSHOT_FILE));
    const recovered = await recoverLog(root, state, logger);
    log = recovered.handle;
    const persistence = new FileLogPersistence(root, log, recovered.bytes, threshold, logger, lock);
    const engine = new KvEngine(`file://${root}`, state, persistence, options);
    const dropped = await engine.dropOrphanLeasedKeys().catch(async (err: unknown) => {
      await engine.close();
      throw err;
    });
    if (dropped > 0) logger.warn({ dir: root, keys: dropped }, "metadata store: deleted keys of leases from the previous run");
    return engine;
  } catch (err) {
    await log?.close().catch(() => {});
    await lock.release().catch(() => {});
    throw err;
  }
}

async function loadSnapshot(path: string): Promise<KvState> {
  try {
    return decodeSnapshot(await readFile(path), path);
  } catch (err) {
    if (hasErrnoCode(err, "ENOENT")) return new KvState();
    throw err;
  }
}

/** Replays the log into `state`, cuts off a torn tail, and returns the log open for appending. */
async function recoverLog(dir: string, state: KvState, logger: MetadataLogger): Promise<{ handle: FileHandle; bytes: number }> {
  const path = join(dir, LOG_FILE);
  const buf = await readFile(path).catch((err: unknown) => {
    if (hasErrnoCode(err, "ENOENT")) return Buffer.alloc(0);
    throw err;
  });
  const scan = scanLog(buf, path);
  replay(scan.txns, state, path);
  if (scan.tornTail !== undefined) {
    logger.warn(
      { path, offset: scan.tornTail.offset, droppedBytes: scan.tornTail.bytes, reason: scan.tornTail.reason },
      "metadata log: dropped a torn record at the end (a crash during its write; its transactions were never acknowledged)",
    );
  }
  const handle = await open(path, "a");
  try {
    if (scan.needsHeader) {
      await handle.truncate(0);
      await writeAll(handle, encodeLogHeader());
      await handle.sync();
      await syncDir(dir);
      return { handle, bytes: LOG_HEADER_BYTES };
    }
    if (scan.tornTail !== undefined) {
      await handle.truncate(scan.intactBytes);
      await handle.sync();
    }
    return { handle, bytes: scan.intactBytes };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** Applies the log's transactions that the snapshot does not already contain. */
function replay(txns: readonly TxnRecord[], state: KvState, path: string): void {
  for (const txn of txns) {
    if (txn.revision <= state.revision) continue; // crash after a snapshot, before the log was emptied
    if (txn.revision !== state.revision + 1) {
      throw new MetadataError(
        "CORRUPT_DATA",
        `${path}: transaction with revision ${txn.revision} follows revision ${state.revision}; revisions must be consecutive (missing log or snapshot?)`,
      );
    }
    state.apply(txn);
  }
}

/** Appends batches to the log and snapshots the state when the log grows past the threshold. */
class FileLogPersistence implements KvPersistence {
  private snapshotAt: number;

  constructor(
    private readonly dir: string,
    private readonly log: FileHandle,
    private logBytes: number,
    private readonly threshold: number,
    private readonly logger: MetadataLogger,
    private readonly lock: DirLock,
  ) {
    this.snapshotAt = LOG_HEADER_BYTES + threshold;
  }

  async append(records: readonly TxnRecord[]): Promise<void> {
    const record = encodeBatchRecord(records);
    await writeAll(this.log, record);
    await this.log.datasync();
    this.logBytes += record.length;
  }

  async afterCommit(state: KvState): Promise<void> {
    if (this.logBytes < this.snapshotAt) return;
    let snapshotBytes: number;
    try {
      const tmp = join(this.dir, SNAPSHOT_TMP_FILE);
      const snapshot = encodeSnapshot(state);
      snapshotBytes = snapshot.length;
      const fh = await open(tmp, "w");
      try {
        await writeAll(fh, snapshot);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, join(this.dir, SNAPSHOT_FILE));
      await syncDir(this.dir);
    } catch (err) {
      // The log still holds everything: keep going, retry after the log has grown as much again.
      this.snapshotAt = this.logBytes + this.threshold;
      this.logger.warn({ err, dir: this.dir }, "metadata store: writing a snapshot failed; the log keeps growing");
      return;
    }
    // The snapshot is durable: the log's records are now redundant (replay skips them if this fails midway).
    await this.log.truncate(LOG_HEADER_BYTES);
    await this.log.sync();
    this.logBytes = LOG_HEADER_BYTES;
    // Let the log grow at least as large as the snapshot before the next one, so a big state is
    // not rewritten for every few kilobytes of log (write amplification stays below 2x).
    this.snapshotAt = LOG_HEADER_BYTES + Math.max(this.threshold, snapshotBytes);
  }

  async close(): Promise<void> {
    try {
      await this.log.close();
    } finally {
      await this.lock.release();
    }
  }
}
