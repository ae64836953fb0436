import type { ObjectStore } from "../object-store/object-store.js";
import type { PartitionLogOptions } from "./options.js";

/**
 * One committed segment of a partition, as the metadata store keeps it
 * (`kafscale.metadata.v1.SegmentInfo`, plus `maxTimestampMs`).
 */
export interface SegmentInfo {
  baseOffset: bigint;
  /** Offset of the segment's last record (the footer's last offset). */
  lastOffset: bigint;
  /** Size of the `.kfs` object: header, body and footer. */
  sizeBytes: number;
  /** Records in the segment (the header's message count). */
  messageCount: number;
  /** When the segment was written, unix ms (the header's created time). */
  createdAtMs: number;
  /**
   * Largest `maxTimestamp` of the segment's batches, unix ms. Used by
   * time-based retention and to skip segments in timestamp lookups. Not in the
   * metadata schema yet: when it is missing, retention uses `createdAtMs`
   * (the flush time, which is never earlier than a CreateTime timestamp set
   * by a producer with a sane clock) and lookups read the segment.
   */
  maxTimestampMs?: number;
}

/** What {@link LogCommitter.commitSegment} records for a flushed segment. */
export interface SegmentCommit {
  topic: string;
  partition: number;
  baseOffset: bigint;
  lastOffset: bigint;
  sizeBytes: number;
  messageCount: number;
  createdAtMs: number;
  maxTimestampMs: number;
  /**
   * The partition's new log end offset and high watermark (`lastOffset + 1`).
   * `baseOffset` is always the previous one, so a committer can make the write
   * conditional on it (compare-and-swap) together with its leader epoch.
   */
  nextOffset: bigint;
  /** Object keys of the `.kfs` and `.index` just written. */
  segmentKey: string;
  indexKey: string;
}

/** What {@link LogCommitter.commitLogStart} records before segments are deleted. */
export interface LogStartCommit {
  topic: string;
  partition: number;
  logStartOffset: bigint;
  /** The oldest segments, no longer part of the log; their objects are deleted after this commit. */
  removedSegments: SegmentInfo[];
}

/** Asked before the log deletes an object it believes is an orphan of a failed flush. */
export interface OrphanCheck {
  topic: string;
  partition: number;
  key: string;
  /** The committed end offset the log believes in; the orphan's base offset equals it. */
  committedNextOffset: bigint;
}

/**
 * The partition's link to the metadata store (implemented by the broker on
 * etcd). The log calls these one at a time per partition, never concurrently.
 *
 * Fencing: two brokers may briefly both believe they lead a partition. The
 * object store alone cannot stop the stale one (its puts land at keys that
 * are not yet committed), so the commit is the fence: `commitSegment` must be
 * conditional on the broker's leader epoch and on the previous end offset
 * (`baseOffset`), and throw a `StorageError` with code `FENCED` when either
 * moved. It must throw only when the commit did not apply; when the outcome
 * is unknown (a timeout) it must find out, or throw `FENCED` so the log stops
 * and the broker reopens it from metadata.
 */
export interface LogCommitter {
  /** Records a flushed segment as the partition's new end. Resolve only once it is durable. */
  commitSegment(info: SegmentCommit): Promise<void>;
  /**
   * Optional; records a new log start offset and the removal of the oldest
   * segments, before their objects are deleted (so metadata never points at a
   * deleted object). Without it the caller must persist what
   * `deleteRecordsBefore` / `enforceRetention` report, after the fact.
   */
  commitLogStart?(info: LogStartCommit): Promise<void>;
  /**
   * Optional; called before the log deletes an object at the key it is about
   * to write (a leftover of a flush whose put succeeded but whose commit did
   * not). Throw (`FENCED`) unless this broker still leads the partition and
   * the committed end offset in metadata is still `committedNextOffset`.
   * Without it the log deletes such orphans unchecked.
   */
  confirmOrphan?(check: OrphanCheck): Promise<void>;
  /**
   * Optional; called by `sweepOrphans()` before it deletes anything. Throw (`FENCED`) unless the
   * metadata store still holds exactly the partition state this committer last wrote or read:
   * another writer, or the topic deleted and created again under the same name, means this
   * log's view of what is committed is stale. Without it the sweep trusts the log's view.
   */
  confirmUnchanged?(): Promise<void>;
}

/** Where a partition log lives and what the metadata store says about it. */
export interface OpenPartitionLogConfig extends PartitionLogOptions {
  store: ObjectStore;
  committer: LogCommitter;
  topic: string;
  partition: number;
  /** Key namespace; default "default". Keys are `{namespace}/{topic}/{partition}/segment-….kfs`. */
  namespace?: string;
  /** Committed segments from metadata, oldest first. Default none. */
  segments?: readonly SegmentInfo[];
  /** Default: the first segment's base offset, or `nextOffset`. */
  logStartOffset?: bigint;
  /** Committed end offset (next offset to assign). Default: after the last segment, or 0. */
  nextOffset?: bigint;
}

/** What {@link PartitionLog.append} assigned. */
export interface AppendResult {
  /** Offset of the first record appended. */
  baseOffset: bigint;
  /** Offset of the last record appended. */
  lastOffset: bigint;
  /**
   * Clock time the offsets were assigned, unix ms. A broker reports it as the
   * produce response's `log_append_time_ms` only for LogAppendTime topics (-1 otherwise).
   */
  logAppendTimeMs: number;
  /**
   * Resolves once the flush holding these batches is durable (objects written
   * and committed); only then may a produce with acks≠0 be acknowledged.
   * Rejects (`FLUSH_FAILED`, `FENCED`) when they were not stored: their
   * offsets are then reused. Ignoring it (acks=0) is safe: it is never an
   * unhandled rejection.
   */
  durable: Promise<void>;
}

/** What DeleteRecords or retention removed; persist it if the committer has no `commitLogStart`. */
export interface LogTruncation {
  logStartOffset: bigint;
  /** Whole segments removed from the log, oldest first. */
  deletedSegments: SegmentInfo[];
  /** Objects of those segments whose deletion failed (garbage now: no metadata refers to them). */
  undeletedKeys: string[];
}
