import type { Clock } from "./clock.js";

/** A {@link Clock} that moves only when told to; for tests. */
export interface ManualClock extends Clock {
  /**
   * Moves time forward by `ms`, firing due timers in deadline order (timers a callback sets
   * that fall due within the window fire too). Between timers it yields to the event loop once,
   * so promise chains that a timer starts can run.
   */
  advance(ms: number): Promise<void>;
}

interface PendingTimer {
  id: number;
  at: number;
  callback: () => void;
}

/** Creates a {@link ManualClock} starting at `startMs` (default: 1,700,000,000,000). */
export function createManualClock(startMs = 1_700_000_000_000): ManualClock {
  let now = startMs;
  let nextId = 1;
  const timers = new Map<number, PendingTimer>();
  const yieldOnce = () => new Promise<void>((resolve) => setImmediate(resolve));

  return {
    now: () => now,
    setTimeout(callback, ms) {
      const id = nextId++;
      timers.set(id, { id, at: now + Math.max(0, ms), callback });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    async advance(ms) {
      const target = now + ms;
      for (;;) {
        let due: PendingTimer | undefined;
        for (const t of timers.values()) {
          if (t.at <= target && (due === undefined || t.at < due.at || (t.at === due.at && t.id < due.id))) due = t;
        }
        if (due === undefined) break;
        timers.delete(due.id);
        now = Math.max(now, due.at);
        due.callback();
        await yieldOnce();
      }
      now = target;
      await yieldOnce();
    },
  };
}
