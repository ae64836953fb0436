import type { Clock, TimerHandle } from "./clock.js";

/** A {@link Clock} whose time only moves when told to: for tests. */
export interface ManualClock extends Clock {
  /**
   * Moves time forward by `ms`, firing every timer that falls due, in due order, at its due time.
   * Pending promise callbacks are settled before and after each timer, so async work that a
   * timer (or the test) started has run when `advance` resolves.
   */
  advance(ms: number): Promise<void>;
  /** Settles pending promise callbacks without moving time (`advance(0)`). */
  flush(): Promise<void>;
  /** How many timers are armed. */
  pendingTimers(): number;
}

interface ManualTimer {
  readonly id: number;
  readonly due: number;
  readonly fn: () => void;
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Creates a {@link ManualClock} starting at `startMs` (default 0). */
export function createManualClock(startMs = 0): ManualClock {
  let now = startMs;
  let nextId = 1;
  const timers = new Map<number, ManualTimer>();

  const nextDue = (limit: number): ManualTimer | undefined => {
    let best: ManualTimer | undefined;
    for (const t of timers.values()) {
      if (t.due <= limit && (best === undefined || t.due < best.due || (t.due === best.due && t.id < best.id))) {
        best = t;
      }
    }
    return best;
  };

  const advance = async (ms: number): Promise<void> => {
    const target = now + Math.max(0, ms);
    await settle();
    for (let t = nextDue(target); t !== undefined; t = nextDue(target)) {
      timers.delete(t.id);
      now = t.due;
      t.fn();
      await settle();
    }
    now = target;
    await settle();
  };

  return {
    now: () => now,
    setTimeout: (fn: () => void, ms: number): TimerHandle => {
      const id = nextId++;
      timers.set(id, { id, due: now + Math.max(0, Number.isFinite(ms) ? ms : 0), fn });
      return id;
    },
    clearTimeout: (handle: TimerHandle) => {
      if (typeof handle === "number") timers.delete(handle);
    },
    advance,
    flush: () => advance(0),
    pendingTimers: () => timers.size,
  };
}
