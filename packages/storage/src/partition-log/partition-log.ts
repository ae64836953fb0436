import { setBaseOffset, setPartitionLeaderEpoch } from "@kafscale/protocol/records";
import { isStorageError, StorageError } from "../errors.js";
import type { ObjectStore } from "../object-store/object-store.js";
import { indexObjectKey, segmentObjectKey } from "../segment/object-keys.js";
import { buildSegment } from "./build-segment.js";
import { deleteSegmentObjects } from "./delete-segment-objects.js";
import { HighWatermarkWaiters } from "./high-watermark-waiters.js";
import type { ResolvedPartitionLogOptions } from "./options.js";
import { restoreState, type RestoredState } from "./restore-state.js";
import { countRetentionDeletions, countSegmentsBelow, type RetentionPolicy } from "./retention.js";
import { SegmentReader, type CommittedSegment } from "./segment-reader.js";
import { sweepOrphanObjects } from "./orphan-sweep.js";
import { SerialQueue } from "./serial-queue.js";
import { findMaxTimestampOffset, findOffsetForTimestamp, type TimestampOffset } from "./timestamp-lookup.js";
import type { AppendResult, LogCommitter, LogTruncation, OpenPartitionLogConfig, SegmentInfo } from "./types.js";
import { validateProducedRecords } from "./validate-batches.js";
import { WriteBuffer } from "./write-buffer.js";
import { writeSegmentObjects } from "./write-segment-objects.js";

/** A flush that cannot commit because the flush before it failed; `cause` is that failure. */
class DroppedFlush extends Error {
  constructor(override readonly cause: unknown) {
    super("an earlier flush failed");
  }
}

/** The error for appends dropped behind a failed flush: the same FENCED, or FLUSH_FAILED. */
function droppedError(topic: string, partition: number, buffer: WriteBuffer, cause: unknown): StorageError {
  if (isStorageError(cause, "FENCED")) return cause as StorageError;
  return new StorageError("FLUSH_FAILED", `appends of ${topic}-${partition} from offset ${buffer.baseOffset} were dropped: an earlier flush failed`, { cause });
}

/** Segment loads one `prefetch` runs at once. */
const PREFETCH_CONCURRENCY = 8;

type LogState = "open" | "closing" | "closed" | "fenced";

/**
 * The log of one partition on an object store: assigns offsets, groups appends
 * into segment flushes, and serves reads, timestamp lookups, DeleteRecords
 * and retention.
 *
 * Offsets: the log end offset (`logEndOffset`) moves at append; the high
 * watermark (`highWatermark`) only when a flush is durable, and reads,
 * lookups and long polls see only data below it (Kafka's committed data).
 *
 * Flushes (group commit): appends go into a buffer; the buffer becomes a
 * segment when it holds `flushBytes` or its oldest batch is `flushAgeMs` old,
 * or on `flush()` / `close()`. One flush runs at a time; appends made during
 * it fill the next buffer. A flush writes the `.kfs` and `.index` with
 * `putIfAbsent`, then calls `committer.commitSegment`, then moves the high
 * watermark and resolves every waiting append.
 *
 * Flush failure: the failed buffer and the buffer filled behind it are
 * dropped; their appends reject and the log end offset goes back to the high
 * watermark, so the offsets are reassigned to the producers' retries and
 * nothing unacknowledged is ever readable. Objects a failed flush did write
 * stay as orphans: readers never look past the committed end, and the next
 * flush at that offset deletes them (see `writeSegmentObjects`). A `FENCED`
 * failure (another broker owns the partition) also stops the log: appends
 * then fail with `FENCED` until the broker reopens it from metadata.
 */
export class PartitionLog {
  readonly topic: string;
  readonly partition: number;
  /** `{namespace}/{topic}/{partition}/`. */
  readonly keyPrefix: string;

  readonly #store: ObjectStore;
  readonly #committer: LogCommitter;
  readonly #options: ResolvedPartitionLogOptions;
  readonly #reader: SegmentReader;
  readonly #waiters = new HighWatermarkWaiters();
  /** Serializes metadata commits (segment commits and log start moves). */
  readonly #metadata = new SerialQueue();

  #segments: CommittedSegment[];
  #logStartOffset: bigint;
  #highWatermark: bigint;
  #logEndOffset: bigint;
  #buffer: WriteBuffer | null = null;
  /** Flushes started and not yet settled, oldest first (at most `maxFlushesInFlight`). */
  #inflight: WriteBuffer[] = [];
  #flushRequested = false;
  #cancelAgeTimer: (() => void) | null = null;
  #state: LogState = "open";
  #fencedBy: StorageError | null = null;
  #closing: Promise<void> | null = null;

  private constructor(config: OpenPartitionLogConfig, restored: RestoredState) {
    this.topic = config.topic;
    this.partition = config.partition;
    this.keyPrefix = restored.keyPrefix;
    this.#store = config.store;
    this.#committer = config.committer;
    this.#options = restored.options;
    this.#reader = new SegmentReader(config.store, restored.options.cache, restored.options.logger, restored.options.wholeReadMaxBytes);
    this.#segments = restored.segments;
    this.#logStartOffset = restored.logStartOffset;
    this.#highWatermark = restored.nextOffset;
    this.#logEndOffset = restored.nextOffset;
  }

  /**
   * Opens a partition's log from what the metadata store committed. Metadata
   * is the truth: objects beyond its end offset (orphans of failed flushes)
   * are never read, and are replaced when the log writes their key.
   */
  static async open(config: OpenPartitionLogConfig): Promise<PartitionLog> {
    return new PartitionLog(config, restoreState(config));
  }

  /** First offset still in the log. */
  get logStartOffset(): bigint {
    return this.#logStartOffset;
  }

  /** One past the last durable (committed) offset: what consumers may read up to. */
  get highWatermark(): bigint {
    return this.#highWatermark;
  }

  /** The next offset to assign (durable or not). */
  get logEndOffset(): bigint {
    return this.#logEndOffset;
  }

  /** The committed segments, oldest first (copies). */
  get segments(): SegmentInfo[] {
    return this.#segments.map((s) => ({ ...s.info }));
  }

  /** True once a commit was refused: appends fail with `FENCED` until the partition is reopened from metadata. */
  get fenced(): boolean {
    return this.#state === "fenced";
  }

  /** Bytes appended but not yet durable (buffered or being flushed). */
  get pendingBytes(): number {
    return (this.#buffer?.bytes ?? 0) + this.#inflight.reduce((sum, b) => sum + b.bytes, 0);
  }

  /**
   * Appends the `records` of one produce partition (one or more RecordBatch
   * v2). Validates every batch first (all or nothing; `CORRUPT_MESSAGE`,
   * `INVALID_RECORD`, `UNSUPPORTED_MESSAGE_FORMAT`, `UNSUPPORTED_COMPRESSION`),
   * then assigns offsets synchronously by rewriting each batch's base offset in
   * place. The log keeps the bytes until they are flushed: the caller must not
   * reuse the buffer. Throws `CLOSED` after `close()`, `FENCED` once fenced.
   */
  append(records: Uint8Array): AppendResult {
    this.#checkWritable();
    const produced = validateProducedRecords(records);
    const now = this.#options.now();
    if (this.#buffer === null) {
      this.#buffer = new WriteBuffer(this.#logEndOffset, now);
      this.#armAgeTimer();
    }
    const buffer = this.#buffer;
    const baseOffset = this.#logEndOffset;
    let next = baseOffset;
    for (const batch of produced) {
      setBaseOffset(batch.bytes, next);
      if (this.#options.leaderEpoch !== undefined) setPartitionLeaderEpoch(batch.bytes, this.#options.leaderEpoch);
      const last = next + BigInt(batch.lastOffsetDelta);
      buffer.add({ baseOffset: next, lastOffset: last, maxTimestamp: batch.maxTimestamp, bytes: batch.bytes });
      next = last + 1n;
    }
    this.#logEndOffset = next;
    if (buffer.bytes >= this.#options.flushBytes) this.#requestFlush();
    return { baseOffset, lastOffset: next - 1n, logAppendTimeMs: now, durable: buffer.durable };
  }

  /** Flushes everything appended so far; resolves when it is durable, rejects like their `durable` promises. */
  flush(): Promise<void> {
    const target = this.#buffer ?? this.#inflight.at(-1) ?? null;
    if (target === null) return Promise.resolve();
    if (this.#buffer !== null) this.#requestFlush();
    return target.durable;
  }

  /**
   * Stops accepting appends, flushes what is buffered, stops the timer and
   * wakes long polls. Rejects if that last flush fails (the log is closed
   * anyway). Does not close the object store. Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /**
   * Whole batches from the one holding `offset`, up to `maxBytes` in total,
   * but always at least one batch when there is data; only data below the
   * high watermark. An empty result at `offset` in [high watermark, log end
   * offset]; `OFFSET_OUT_OF_RANGE` outside [log start offset, log end offset].
   * Continues across segments while the budget allows.
   */
  async read(offset: bigint, maxBytes: number): Promise<Uint8Array[]> {
    this.#checkReadable();
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
      throw new StorageError("INVALID_ARGUMENT", `maxBytes ${maxBytes} is not a non-negative integer`);
    }
    if (offset < this.#logStartOffset || offset > this.#logEndOffset) throw this.#outOfRange(offset);
    const out: Uint8Array[] = [];
    let budget = maxBytes;
    let cursor = offset;
    while (cursor < this.#highWatermark) {
      const segment = this.#findSegment(cursor);
      if (segment === null) break;
      let slice;
      try {
        slice = await this.#reader.read(segment, cursor, budget, out.length === 0);
      } catch (err) {
        // What was read already is a good answer; the next fetch meets the error again.
        if (out.length > 0) break;
        // Retention or DeleteRecords removed the segment while it was being read.
        if (isStorageError(err, "NOT_FOUND") && cursor < this.#logStartOffset) throw this.#outOfRange(offset);
        throw err;
      }
      out.push(...slice.batches);
      budget -= slice.bytes;
      if (slice.full || budget <= 0) break;
      cursor = segment.info.lastOffset + 1n;
    }
    return out;
  }

  /**
   * Starts loading, in parallel, the segments that a `read(offset, maxBytes)` would need and
   * that are not cached yet (each small enough to be read whole), so that a fetch of many
   * partitions, or of many small segments, waits for about one object-store round trip rather
   * than one per segment. Resolves when they are loaded; never rejects (the read reports errors).
   */
  async prefetch(offset: bigint, maxBytes: number): Promise<void> {
    if (this.#state === "closed" || offset < this.#logStartOffset || offset >= this.#highWatermark) return;
    const wanted: CommittedSegment[] = [];
    let planned = 0;
    for (let i = this.#segmentIndex(offset); i < this.#segments.length && (planned < maxBytes || wanted.length === 0); i++) {
      const segment = this.#segments[i]!;
      planned += segment.info.sizeBytes;
      if (segment.info.sizeBytes <= this.#reader.wholeReadMaxBytes && !this.#reader.isCached(segment)) wanted.push(segment);
    }
    for (let i = 0; i < wanted.length; i += PREFETCH_CONCURRENCY) {
      await Promise.allSettled(wanted.slice(i, i + PREFETCH_CONCURRENCY).map((s) => this.#reader.loadBatches(s)));
    }
  }

  /**
   * For long-polling fetches: resolves `true` as soon as data at `offset` is
   * readable (high watermark above it; at once if it already is), `false` when
   * `signal` aborts or the log closes first.
   */
  waitForData(offset: bigint, signal?: AbortSignal): Promise<boolean> {
    if (this.#state === "closed") return Promise.resolve(false);
    return this.#waiters.wait(offset, this.#highWatermark, signal);
  }

  /**
   * DeleteRecords: moves the log start offset up to `offset` (-1 means the
   * high watermark) and deletes the segments entirely below it. Offsets below
   * the current log start are a no-op; above the high watermark,
   * `OFFSET_OUT_OF_RANGE`. The new log start is committed (`commitLogStart`)
   * before any object is deleted.
   */
  async deleteRecordsBefore(offset: bigint): Promise<LogTruncation> {
    this.#checkReadable();
    return this.#truncate(() => {
      const target = offset === -1n ? this.#highWatermark : offset;
      if (target < 0n || target > this.#highWatermark) {
        throw new StorageError(
          "OFFSET_OUT_OF_RANGE",
          `cannot delete records before ${offset} in ${this.topic}-${this.partition}: the high watermark is ${this.#highWatermark}`,
        );
      }
      const logStartOffset = target > this.#logStartOffset ? target : this.#logStartOffset;
      return { count: countSegmentsBelow(this.#segmentInfos(), logStartOffset), logStartOffset };
    });
  }

  /**
   * Deletes the oldest segments that retention no longer keeps (see
   * `countRetentionDeletions`: by newest timestamp, then by total size) and
   * moves the log start offset to the first offset kept (the high watermark
   * when nothing is kept).
   */
  async enforceRetention(policy: RetentionPolicy): Promise<LogTruncation> {
    this.#checkReadable();
    return this.#truncate(() => {
      const count = countRetentionDeletions(this.#segmentInfos(), policy);
      if (count === 0) return { count, logStartOffset: this.#logStartOffset };
      const firstKept = this.#segments[count]?.info.baseOffset ?? this.#highWatermark;
      return { count, logStartOffset: firstKept > this.#logStartOffset ? firstKept : this.#logStartOffset };
    });
  }

  /**
   * ListOffsets by timestamp: the first offset at or after the log start whose
   * record timestamp is ≥ `timestamp`, with that timestamp; null when there is
   * none. Committed data only. (The special timestamps -1/-2/-3 are the
   * broker's to map onto `highWatermark`, `logStartOffset`, {@link maxTimestampOffset}.)
   */
  async offsetForTimestamp(timestamp: bigint): Promise<TimestampOffset | null> {
    this.#checkReadable();
    return findOffsetForTimestamp([...this.#segments], (s) => this.#reader.loadBatches(s), timestamp, this.#logStartOffset);
  }

  /** ListOffsets MAX_TIMESTAMP: the (first) record with the largest timestamp, or null for an empty log. */
  async maxTimestampOffset(): Promise<TimestampOffset | null> {
    this.#checkReadable();
    return findMaxTimestampOffset([...this.#segments], (s) => this.#reader.loadBatches(s), this.#logStartOffset);
  }

  // ---- flushing ----

  #armAgeTimer(): void {
    this.#clearAgeTimer();
    this.#cancelAgeTimer = this.#options.flushTimer.schedule(this.#options.flushAgeMs, () => {
      this.#cancelAgeTimer = null;
      this.#requestFlush();
    });
  }

  #clearAgeTimer(): void {
    this.#cancelAgeTimer?.();
    this.#cancelAgeTimer = null;
  }

  #requestFlush(): void {
    if (this.#buffer === null) return;
    if (!this.#mayStart(this.#buffer)) {
      this.#flushRequested = true;
      return;
    }
    this.#startFlush(this.#buffer);
  }

  /**
   * A flush starts at once when none is in flight. Beside one in flight, only a full buffer
   * (`flushBytes`) starts, up to `maxFlushesInFlight`: a buffer due by age waits, and keeps
   * filling, so segments stay large under load while a full buffer never waits for a slow write.
   */
  #mayStart(buffer: WriteBuffer): boolean {
    if (this.#inflight.length === 0) return true;
    return this.#inflight.length < this.#options.maxFlushesInFlight && buffer.bytes >= this.#options.flushBytes;
  }

  #startFlush(buffer: WriteBuffer): void {
    const previous = this.#inflight.at(-1) ?? null;
    this.#buffer = null;
    this.#inflight.push(buffer);
    this.#flushRequested = false;
    this.#clearAgeTimer();
    void this.#runFlush(buffer, previous);
  }

  /**
   * Writes the buffer's objects (while earlier flushes may still be writing or committing), then
   * commits it only after the previous flush committed: a flush whose predecessor failed is
   * dropped, since its offsets would leave a gap.
   */
  async #runFlush(buffer: WriteBuffer, previous: WriteBuffer | null): Promise<void> {
    let built;
    try {
      built = buildSegment(buffer, this.#options.now(), this.#options.indexInterval);
      const segmentKey = segmentObjectKey(this.keyPrefix, buffer.baseOffset);
      const indexKey = indexObjectKey(this.keyPrefix, buffer.baseOffset);
      await writeSegmentObjects(this.#store, this.#committer, this.#options.logger, {
        topic: this.topic,
        partition: this.partition,
        committedNextOffset: buffer.baseOffset,
        objects: [
          { key: segmentKey, body: built.segmentChunks },
          { key: indexKey, body: built.indexBytes },
        ],
      });
      if (previous !== null) await previous.durable.catch((err: unknown) => Promise.reject(new DroppedFlush(err)));
      await this.#metadata.run(() =>
        this.#committer.commitSegment({
          topic: this.topic,
          partition: this.partition,
          ...built!.info,
          nextOffset: buffer.nextOffset,
          segmentKey,
          indexKey,
        }),
      );
      this.#segments.push({ info: built.info, key: segmentKey, indexKey });
      this.#options.cache.set(segmentKey, built.cachedSegment);
      this.#options.cache.set(indexKey, built.cachedIndex);
    } catch (err) {
      this.#flushFailed(buffer, err);
      return;
    }
    this.#inflight.splice(this.#inflight.indexOf(buffer), 1);
    this.#highWatermark = buffer.nextOffset;
    buffer.resolve();
    this.#waiters.notify(this.#highWatermark);
    this.#afterFlush();
  }

  #afterFlush(): void {
    const buffer = this.#buffer;
    if (buffer === null || !this.#mayStart(buffer)) return;
    const due =
      this.#flushRequested ||
      this.#state !== "open" ||
      buffer.bytes >= this.#options.flushBytes ||
      this.#options.now() - buffer.firstAppendAtMs >= this.#options.flushAgeMs;
    if (due) this.#startFlush(buffer);
  }

  #flushFailed(failed: WriteBuffer, err: unknown): void {
    const at = this.#inflight.indexOf(failed);
    if (err instanceof DroppedFlush) {
      // An earlier flush failed and already reset the log; pass its error on to these appends.
      if (at >= 0) this.#inflight.splice(at, 1);
      failed.reject(droppedError(this.topic, this.partition, failed, err.cause));
      return;
    }
    const fenced = isStorageError(err, "FENCED");
    const behind = this.#buffer;
    // Flushes started after this one cannot commit (their predecessor failed): they are dropped
    // when they reach their commit, and no longer count as in flight.
    if (at >= 0) this.#inflight.splice(at);
    this.#buffer = null;
    this.#flushRequested = false;
    this.#clearAgeTimer();
    this.#logEndOffset = failed.baseOffset;
    const range = `${failed.baseOffset}..${failed.nextOffset - 1n}`;
    const error = fenced
      ? (err as StorageError)
      : new StorageError("FLUSH_FAILED", `flush of ${this.topic}-${this.partition} offsets ${range} failed: ${(err as Error | null)?.message ?? String(err)}`, {
          cause: err,
        });
    this.#options.logger.warn(
      { err, topic: this.topic, partition: this.partition, offsets: range, fenced },
      "segment flush failed; its appends and any buffered behind it are rejected and their offsets reused",
    );
    failed.reject(error);
    behind?.reject(
      fenced
        ? error
        : new StorageError("FLUSH_FAILED", `appends of ${this.topic}-${this.partition} after offset ${range} were dropped: an earlier flush failed`, {
            cause: err,
          }),
    );
    if (fenced) {
      this.#fencedBy = error;
      if (this.#state === "open") {
        this.#state = "fenced";
        this.#options.onFenced?.(error);
      }
    }
  }

  async #close(): Promise<void> {
    if (this.#state === "open") this.#state = "closing";
    try {
      await this.flush();
    } finally {
      this.#clearAgeTimer();
      this.#state = "closed";
      this.#waiters.closeAll();
    }
  }

  /**
   * Deletes objects under this partition's prefix that no committed segment refers to, below the
   * committed end (see {@link sweepOrphanObjects}); resolves with their keys. One LIST of the
   * prefix, so a broker runs it in the background after opening a partition.
   */
  sweepOrphans(): Promise<string[]> {
    this.#checkReadable();
    return sweepOrphanObjects(
      this.#store,
      {
        keyPrefix: this.keyPrefix,
        isCommittedBase: (baseOffset) => this.#segments[this.#segmentIndex(baseOffset)]?.info.baseOffset === baseOffset,
        committedEnd: () => this.#highWatermark,
      },
      this.#committer,
      this.#options.logger,
    );
  }

  // ---- log start ----

  async #truncate(plan: () => { count: number; logStartOffset: bigint }): Promise<LogTruncation> {
    const removed = await this.#metadata.run(async () => {
      const { count, logStartOffset } = plan();
      if (count === 0 && logStartOffset === this.#logStartOffset) return [];
      const removing = this.#segments.slice(0, count);
      await this.#committer.commitLogStart?.({
        topic: this.topic,
        partition: this.partition,
        logStartOffset,
        removedSegments: removing.map((s) => ({ ...s.info })),
      });
      this.#segments.splice(0, count);
      if (logStartOffset > this.#logStartOffset) this.#logStartOffset = logStartOffset;
      for (const segment of removing) {
        this.#options.cache.delete(segment.key);
        this.#options.cache.delete(segment.indexKey);
      }
      return removing;
    });
    const undeletedKeys = await deleteSegmentObjects(this.#store, removed, this.#options.logger);
    return { logStartOffset: this.#logStartOffset, deletedSegments: removed.map((s) => ({ ...s.info })), undeletedKeys };
  }

  // ---- helpers ----

  #segmentInfos(): SegmentInfo[] {
    return this.#segments.map((s) => s.info);
  }

  /** The first segment whose last offset is ≥ `offset`. */
  #findSegment(offset: bigint): CommittedSegment | null {
    return this.#segments[this.#segmentIndex(offset)] ?? null;
  }

  /** Index of the first segment whose last offset is ≥ `offset` (the count when there is none). */
  #segmentIndex(offset: bigint): number {
    let lo = 0;
    let hi = this.#segments.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#segments[mid]!.info.lastOffset < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #checkWritable(): void {
    if (this.#state === "fenced") {
      throw new StorageError("FENCED", `${this.topic}-${this.partition} is fenced: ${this.#fencedBy?.message ?? "another writer owns it"}`, {
        cause: this.#fencedBy,
      });
    }
    if (this.#state !== "open") throw new StorageError("CLOSED", `partition log ${this.topic}-${this.partition} is closed`);
  }

  #checkReadable(): void {
    if (this.#state === "closed") throw new StorageError("CLOSED", `partition log ${this.topic}-${this.partition} is closed`);
  }

  #outOfRange(offset: bigint): StorageError {
    return new StorageError(
      "OFFSET_OUT_OF_RANGE",
      `offset ${offset} is outside ${this.topic}-${this.partition}'s log [${this.#logStartOffset}, ${this.#logEndOffset}]`,
    );
  }
}
