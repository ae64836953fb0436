import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createAlignedFlushTimer, independentFlushTimer } from "./flush-timer.js";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("createAlignedFlushTimer()", () => {
  it("fires every call made while a round of the same delay runs with that round: early, never late", () => {
    const timer = createAlignedFlushTimer();
    const fired: string[] = [];
    timer.schedule(10, () => fired.push("a"));
    vi.advanceTimersByTime(7);
    timer.schedule(10, () => fired.push("b"));
    vi.advanceTimersByTime(2);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(["a", "b"]); // b after 3 ms instead of 10
    timer.schedule(10, () => fired.push("c")); // a new round starts with the next call
    vi.advanceTimersByTime(9);
    expect(fired).toEqual(["a", "b"]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(["a", "b", "c"]);
  });

  it("leaves out a cancelled call and keeps rounds of different delays apart", () => {
    const timer = createAlignedFlushTimer();
    const fired: string[] = [];
    const cancel = timer.schedule(10, () => fired.push("cancelled"));
    timer.schedule(10, () => fired.push("kept"));
    timer.schedule(50, () => fired.push("slow"));
    cancel();
    vi.advanceTimersByTime(10);
    expect(fired).toEqual(["kept"]);
    vi.advanceTimersByTime(40);
    expect(fired).toEqual(["kept", "slow"]);
  });
});

describe("independentFlushTimer", () => {
  it("fires each call after its own delay unless cancelled", () => {
    const fired: string[] = [];
    independentFlushTimer.schedule(10, () => fired.push("a"));
    vi.advanceTimersByTime(7);
    const cancel = independentFlushTimer.schedule(10, () => fired.push("b"));
    independentFlushTimer.schedule(10, () => fired.push("c"));
    vi.advanceTimersByTime(3);
    expect(fired).toEqual(["a"]);
    cancel();
    vi.advanceTimersByTime(7);
    expect(fired).toEqual(["a", "c"]);
  });
});
