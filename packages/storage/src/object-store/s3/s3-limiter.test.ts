import { describe, expect, it } from "vitest";
import { ConcurrencyLimiter } from "./s3-limiter.js";

const never = new AbortController().signal;
const far = () => Date.now() + 60_000;

describe("ConcurrencyLimiter", () => {
  it("grants up to max slots at once and queues the rest in FIFO order", async () => {
    const limiter = new ConcurrencyLimiter(2);
    const a = await limiter.acquire(far(), never);
    const b = await limiter.acquire(far(), never);
    const order: string[] = [];
    const c = limiter.acquire(far(), never).then((r) => (order.push("c"), r));
    const d = limiter.acquire(far(), never).then((r) => (order.push("d"), r));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(order).toEqual([]);
    a!();
    a!(); // a second release of the same slot is ignored
    await c;
    expect(order).toEqual(["c"]);
    b!();
    await d;
    expect(order).toEqual(["c", "d"]);
  });

  it("gives up with null at the deadline, and the slot it never got stays with the queue", async () => {
    const limiter = new ConcurrencyLimiter(1);
    const held = await limiter.acquire(far(), never);
    const started = Date.now();
    expect(await limiter.acquire(Date.now() + 50, never)).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    held!();
    expect(await limiter.acquire(far(), never)).not.toBeNull();
  });

  it("gives up with null when the signal aborts", async () => {
    const limiter = new ConcurrencyLimiter(1);
    await limiter.acquire(far(), never);
    const closing = new AbortController();
    const waiting = limiter.acquire(far(), closing.signal);
    closing.abort();
    expect(await waiting).toBeNull();
    expect(await limiter.acquire(far(), closing.signal)).toBeNull();
  });
});
