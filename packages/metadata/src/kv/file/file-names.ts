/** Write-ahead log file in the data directory. */
export const LOG_FILE = "metadata.wal";
/** Snapshot file in the data directory. */
export const SNAPSHOT_FILE = "metadata.snap";
/** Snapshot being written; removed on open when a crash left it behind. */
export const SNAPSHOT_TMP_FILE = "metadata.snap.tmp";
