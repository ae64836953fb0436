import type { LogCommitter, LogStartCommit, OrphanCheck, SegmentCommit, SegmentInfo } from "../partition-log/types.js";

/**
 * A LogCommitter that keeps what it was told, like the broker's metadata
 * store would, and can be told to fail.
 */
export class RecordingCommitter implements LogCommitter {
  readonly commits: SegmentCommit[] = [];
  readonly logStarts: LogStartCommit[] = [];
  readonly orphanChecks: OrphanCheck[] = [];
  /** Segments as metadata would now list them. */
  segments: SegmentInfo[] = [];
  logStartOffset = 0n;
  nextOffset = 0n;
  /** Errors thrown by the next commitSegment calls, in order. */
  failNextCommits: unknown[] = [];
  /** Thrown by confirmOrphan when set. */
  refuseOrphans: unknown = null;
  /** Called at the start of commitLogStart (to observe the store then). */
  onLogStart: ((info: LogStartCommit) => Promise<void>) | null = null;

  #gate: Promise<void> | null = null;

  /** Holds every commitSegment until the returned function is called. */
  holdCommits(): () => void {
    let release!: () => void;
    this.#gate = new Promise((resolve) => (release = resolve));
    return () => {
      this.#gate = null;
      release();
    };
  }

  async commitSegment(info: SegmentCommit): Promise<void> {
    if (this.#gate !== null) await this.#gate;
    const failure = this.failNextCommits.shift();
    if (failure !== undefined) throw failure;
    if (info.baseOffset !== this.nextOffset) throw new Error(`commit at ${info.baseOffset} does not follow ${this.nextOffset}`);
    this.commits.push(info);
    const { baseOffset, lastOffset, sizeBytes, messageCount, createdAtMs, maxTimestampMs } = info;
    this.segments.push({ baseOffset, lastOffset, sizeBytes, messageCount, createdAtMs, maxTimestampMs });
    this.nextOffset = info.nextOffset;
  }

  async commitLogStart(info: LogStartCommit): Promise<void> {
    await this.onLogStart?.(info);
    this.logStarts.push(info);
    this.logStartOffset = info.logStartOffset;
    this.segments = this.segments.slice(info.removedSegments.length);
  }

  async confirmOrphan(check: OrphanCheck): Promise<void> {
    this.orphanChecks.push(check);
    if (this.refuseOrphans !== null) throw this.refuseOrphans;
  }

  /** What PartitionLog.open needs to restore from this "metadata". */
  get restoreState(): { segments: SegmentInfo[]; logStartOffset: bigint; nextOffset: bigint } {
    return { segments: this.segments.map((s) => ({ ...s })), logStartOffset: this.logStartOffset, nextOffset: this.nextOffset };
  }
}
