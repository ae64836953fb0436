import { constants } from "node:fs";
import { mkdir, open, readFile, rm } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { join, resolve } from "node:path";
import { MetadataError } from "../../errors.js";
import type { MetadataLogger } from "../../logger.js";
import { silentLogger } from "../../logger.js";
import { KvEngine } from "../kv-engine.js";
import type { EmbeddedKvOptions } from "../kv-engine.js";
import type { KvStore } from "../kv-store.js";
import { KvState } from "../kv-state.js";
import type { TxnRecord } from "../kv-state.js";
import { acquireDirLock } from "./dir-lock.js";
import { LOG_FILE, SNAPSHOT_FILE, SNAPSHOT_TMP_FILE } from "./file-names.js";
import { hasErrnoCode, syncDir, writeAll } from "./fs-util.js";
import { FileLogPersistence } from "./file-log-persistence.js";
import { encodeLogHeader, LOG_HEADER_BYTES, scanLog } from "./log-format.js";
import { decodeSnapshot } from "./snapshot-format.js";

export { LOG_FILE, SNAPSHOT_FILE, SNAPSHOT_TMP_FILE } from "./file-names.js";

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
 * passed). Every transaction is in the log and on disk (the log is written with O_DSYNC) before it resolves;
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
  // O_DSYNC: every append is durable when its write returns, with no fdatasync round trip after it.
  const handle = await open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_DSYNC);
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
