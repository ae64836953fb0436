import { create } from "@bufbuild/protobuf";
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { SegmentInfoSchema, type MetadataStore, type PartitionState, type SegmentInfo as SegmentRecord } from "@kafscale/metadata";
import { StorageError, type LogCommitter, type LogStartCommit, type SegmentCommit, type SegmentInfo } from "@kafscale/storage";

/** Converts a stored segment record to the storage package's view of it. */
export function segmentFromRecord(s: SegmentRecord): SegmentInfo {
  return {
    baseOffset: s.baseOffset,
    lastOffset: s.lastOffset,
    sizeBytes: Number(s.sizeBytes),
    messageCount: s.messageCount,
    createdAtMs: s.createdAt === undefined ? 0 : Number(timestampMs(s.createdAt)),
    ...(s.maxTimestampMs !== 0n ? { maxTimestampMs: Number(s.maxTimestampMs) } : {}),
  };
}

/**
 * A partition's link to the metadata store: every flushed segment and every move of the log
 * start offset is written with the PartitionState in one transaction, a compare-and-swap on the
 * revision this broker last wrote, so a write that raced another writer is refused (FENCED) and
 * never acknowledged. A write that failed otherwise also fences the log (its outcome is unknown). Segments have keys of their own, so a flush writes O(1) bytes of metadata.
 */
export class PartitionCommitter implements LogCommitter {
  constructor(
    private readonly metadata: MetadataStore,
    private state: PartitionState,
    private revision: number,
  ) {}

  get current(): PartitionState {
    return this.state;
  }

  async commitSegment(info: SegmentCommit): Promise<void> {
    const segment = create(SegmentInfoSchema, {
      baseOffset: info.baseOffset,
      lastOffset: info.lastOffset,
      sizeBytes: BigInt(info.sizeBytes),
      messageCount: info.messageCount,
      createdAt: timestampFromMs(info.createdAtMs),
      maxTimestampMs: BigInt(info.maxTimestampMs),
    });
    await this.write({ ...this.state, logEndOffset: info.nextOffset, highWatermark: info.nextOffset, activeSegment: info.segmentKey }, { add: [segment] });
  }

  async commitLogStart(info: LogStartCommit): Promise<void> {
    await this.write({ ...this.state, logStartOffset: info.logStartOffset }, { remove: info.removedSegments.map((s) => s.baseOffset) });
  }

  /** FENCED unless the partition state in the metadata store is still the one at this committer's revision. */
  async confirmUnchanged(): Promise<void> {
    const { topic, partition } = this.state;
    const current = await this.metadata.getPartitionState(topic, partition);
    if (current === null || current.revision !== this.revision) {
      throw new StorageError("FENCED", `partition ${topic}-${partition} changed in the metadata store since this broker last wrote it`);
    }
  }

  private async write(next: PartitionState, changes: { add?: SegmentRecord[]; remove?: bigint[] }): Promise<void> {
    try {
      this.revision = await this.metadata.updateSegments(next, this.revision, changes);
      this.state = next;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === "REVISION_CONFLICT") {
        throw new StorageError("FENCED", `partition ${next.topic}-${next.partition} was changed by another writer`, { cause: err });
      }
      // A write that failed any other way (etcd unreachable or timed out) may still have been
      // applied: this committer's revision can no longer be trusted, so the log is fenced and
      // reopened from what the metadata store holds once it answers again.
      throw new StorageError("FENCED", `metadata write for ${next.topic}-${next.partition} failed, outcome unknown: ${(err as Error).message}`, { cause: err });
    }
  }
}
