interface Waiter {
  grant(): void;
}

/**
 * A FIFO semaphore bounding the S3 requests in flight. A waiter gives up at
 * its deadline or when `signal` aborts (the store closed).
 */
export class ConcurrencyLimiter {
  #free: number;
  readonly #queue: Waiter[] = [];

  constructor(max: number) {
    this.#free = max;
  }

  /**
   * Resolves with a function that frees the slot (call it exactly once), or
   * with null when `deadline` (epoch ms) passed or `signal` aborted first.
   */
  acquire(deadline: number, signal: AbortSignal): Promise<(() => void) | null> {
    if (signal.aborted) return Promise.resolve(null);
    if (this.#free > 0) {
      this.#free--;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve) => {
      const give = (release: (() => void) | null): void => {
        clearTimeout(timer);
        signal.removeEventListener("abort", abandon);
        resolve(release);
      };
      const waiter: Waiter = { grant: () => give(this.#releaser()) };
      const abandon = (): void => {
        const i = this.#queue.indexOf(waiter);
        if (i >= 0) this.#queue.splice(i, 1);
        give(null);
      };
      const timer = setTimeout(abandon, Math.max(0, deadline - Date.now()));
      signal.addEventListener("abort", abandon, { once: true });
      this.#queue.push(waiter);
    });
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#queue.shift();
      if (next !== undefined) next.grant();
      else this.#free++;
    };
  }
}
