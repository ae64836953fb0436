import type { PartitionLog } from "@kafscale/storage";
import type { Logger } from "../logger.js";

/** Partitions swept at once: each sweep is a LIST of the partition's prefix, then its deletes. */
const CONCURRENT_SWEEPS = 4;

/**
 * Sweeps each opened partition once, in the background, for objects no committed segment refers
 * to (see `PartitionLog.sweepOrphans`): leftovers of failed flushes and interrupted deletions,
 * which would otherwise stay in the bucket for good. A few partitions at a time, so that a
 * broker opening thousands of partitions does not flood the object store with LISTs.
 */
export class OrphanSweeper {
  private readonly waiting: PartitionLog[] = [];
  private running = 0;
  private closed = false;

  constructor(private readonly log: Logger) {}

  schedule(partitionLog: PartitionLog): void {
    if (this.closed) return;
    this.waiting.push(partitionLog);
    this.next();
  }

  close(): void {
    this.closed = true;
    this.waiting.length = 0;
  }

  private next(): void {
    while (!this.closed && this.running < CONCURRENT_SWEEPS && this.waiting.length > 0) {
      const partitionLog = this.waiting.shift()!;
      this.running++;
      void this.sweep(partitionLog).finally(() => {
        this.running--;
        this.next();
      });
    }
  }

  private async sweep(partitionLog: PartitionLog): Promise<void> {
    const { topic, partition } = partitionLog;
    try {
      const deleted = await partitionLog.sweepOrphans();
      if (deleted.length > 0) this.log.info({ topic, partition, deleted: deleted.length, keys: deleted.slice(0, 10) }, "deleted orphan objects of failed flushes");
    } catch (err) {
      // A log closed or fenced meanwhile, or the store unreachable: the next open sweeps again.
      if (!this.closed) this.log.warn({ err, topic, partition }, "orphan sweep failed");
    }
  }
}
