import { createDeferred, type Deferred } from "./deferred.js";
import type { StoredBatch } from "./segment-cache.js";

/**
 * Batches appended since the last flush started: they will be one segment.
 * Every append into the buffer shares its `durable` promise (group commit).
 */
export class WriteBuffer {
  readonly batches: StoredBatch[] = [];
  readonly baseOffset: bigint;
  /** The offset after the last buffered batch. */
  nextOffset: bigint;
  bytes = 0;
  /** Clock time of the first append, for the age trigger. */
  readonly firstAppendAtMs: number;
  readonly #durable: Deferred = createDeferred();

  constructor(baseOffset: bigint, nowMs: number) {
    this.baseOffset = baseOffset;
    this.nextOffset = baseOffset;
    this.firstAppendAtMs = nowMs;
  }

  add(batch: StoredBatch): void {
    this.batches.push(batch);
    this.bytes += batch.bytes.length;
    this.nextOffset = batch.lastOffset + 1n;
  }

  /** Settles when the flush holding this buffer is durable (or failed). */
  get durable(): Promise<void> {
    return this.#durable.promise;
  }

  resolve(): void {
    this.#durable.resolve();
  }

  reject(err: unknown): void {
    this.#durable.reject(err);
  }
}
