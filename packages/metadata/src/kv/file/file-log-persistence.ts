import { open, rename } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { join } from "node:path";
import type { MetadataLogger } from "../../logger.js";
import type { KvPersistence } from "../kv-engine.js";
import type { KvState, TxnRecord } from "../kv-state.js";
import type { DirLock } from "./dir-lock.js";
import { SNAPSHOT_FILE, SNAPSHOT_TMP_FILE } from "./file-names.js";
import { syncDir, writeAll } from "./fs-util.js";
import { encodeBatchRecord, LOG_HEADER_BYTES } from "./log-format.js";
import { encodeSnapshot } from "./snapshot-format.js";

/** Appends batches to the log and snapshots the state when the log grows past the threshold. */
export class FileLogPersistence implements KvPersistence {
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
    await writeAll(this.log, record); // the log is open with O_DSYNC: durable when this returns
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
