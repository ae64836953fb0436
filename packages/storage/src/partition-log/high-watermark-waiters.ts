interface Waiter {
  offset: bigint;
  settle(available: boolean): void;
}

/** Long-poll support: promises that settle when the high watermark passes an offset. */
export class HighWatermarkWaiters {
  readonly #waiters = new Set<Waiter>();

  /**
   * Resolves `true` once the high watermark (now `highWatermark`) is above
   * `offset`, `false` when `signal` aborts or {@link closeAll} runs first.
   */
  wait(offset: bigint, highWatermark: bigint, signal?: AbortSignal): Promise<boolean> {
    if (offset < highWatermark) return Promise.resolve(true);
    if (signal?.aborted === true) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const onAbort = (): void => waiter.settle(false);
      const waiter: Waiter = {
        offset,
        settle: (available) => {
          this.#waiters.delete(waiter);
          signal?.removeEventListener("abort", onAbort);
          resolve(available);
        },
      };
      this.#waiters.add(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Wakes the waiters whose offset is now below the high watermark. */
  notify(highWatermark: bigint): void {
    for (const waiter of [...this.#waiters]) {
      if (waiter.offset < highWatermark) waiter.settle(true);
    }
  }

  /** Wakes everyone with `false` (the log is closing). */
  closeAll(): void {
    for (const waiter of [...this.#waiters]) waiter.settle(false);
  }

  get size(): number {
    return this.#waiters.size;
  }
}
