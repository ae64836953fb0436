import { describe, expect, it } from "vitest";
import { createManualClock } from "./manual-clock.js";

describe("createManualClock()", () => {
  it("fires due timers in order, at their due time, and lets cancelled ones go", async () => {
    const clock = createManualClock(1000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 20);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 10);
    const c = clock.setTimeout(() => fired.push("c"), 15);
    clock.clearTimeout(c);
    await clock.advance(15);
    expect(fired).toEqual(["a@1010"]);
    expect(clock.now()).toBe(1015);
    await clock.advance(5);
    expect(fired).toEqual(["a@1010", "b@1020"]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it("fires timers armed by timers within the same advance, and settles promises in between", async () => {
    const clock = createManualClock();
    const fired: number[] = [];
    clock.setTimeout(() => {
      void Promise.resolve().then(() => clock.setTimeout(() => fired.push(clock.now()), 5));
    }, 5);
    await clock.advance(10);
    expect(fired).toEqual([10]);
  });
});
