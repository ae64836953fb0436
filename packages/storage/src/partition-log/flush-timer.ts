/** Calls `fire` once after `delayMs`, unless the returned cancel function is called first. */
export interface FlushTimer {
  schedule(delayMs: number, fire: () => void): () => void;
}

/** One `setTimeout` per call: each partition flushes on its own clock. */
export const independentFlushTimer: FlushTimer = {
  schedule(delayMs, fire) {
    const timer = setTimeout(fire, delayMs);
    return () => clearTimeout(timer);
  },
};

/**
 * A flush timer shared by the partitions of a broker, so that their age-due flushes happen
 * together. A call joins the timer already running for the same delay and fires with it, a little
 * early, never late: a batch still waits at most `delayMs`. Why: a client's produce request often
 * carries several partitions and is answered when the last of them is durable, and answers on a
 * connection go out in request order, so partitions flushing on independent clocks make a request
 * wait for the slowest of several; together they also share the metadata store's group commit.
 * Under load, buffers fill to the size trigger first and this changes nothing.
 */
export function createAlignedFlushTimer(): FlushTimer {
  const rounds = new Map<number, Set<() => void>>();
  return {
    schedule(delayMs, fire) {
      let round = rounds.get(delayMs);
      if (round === undefined) {
        const callbacks = new Set<() => void>();
        round = callbacks;
        rounds.set(delayMs, callbacks);
        setTimeout(() => {
          rounds.delete(delayMs);
          for (const f of callbacks) f();
        }, delayMs);
      }
      const callbacks = round;
      callbacks.add(fire);
      return () => callbacks.delete(fire);
    },
  };
}
