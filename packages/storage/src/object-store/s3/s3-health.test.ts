import { describe, expect, it } from "vitest";
import type { ObjectStoreHealth } from "../store-health.js";
import { HealthTracker } from "./s3-health.js";
import { capturingLogger } from "./s3-test-fixture.js";

function tracker(unavailableAfterFailures = 3, healthyAfterSuccesses = 3) {
  const logger = capturingLogger();
  const changes: [ObjectStoreHealth, ObjectStoreHealth, string][] = [];
  const health = new HealthTracker({
    unavailableAfterFailures,
    healthyAfterSuccesses,
    logger,
    onChange: (state, previous, reason) => void changes.push([state, previous, reason]),
    fields: { bucket: "b" },
  });
  return { health, logger, changes };
}

describe("HealthTracker", () => {
  it("starts healthy and stays so while calls succeed at the first attempt", () => {
    const { health, changes } = tracker();
    for (let i = 0; i < 5; i++) health.succeeded(false);
    expect(health.state).toBe("healthy");
    expect(changes).toEqual([]);
  });

  it("goes degraded on a retry, and healthy after healthyAfterSuccesses clean calls", () => {
    const { health, changes } = tracker(3, 2);
    health.retried("get retried after HTTP 503 SlowDown");
    health.retried("again");
    health.succeeded(true);
    health.succeeded(false);
    expect(health.state).toBe("degraded");
    health.succeeded(false);
    expect(changes.map(([s, p]) => `${p}→${s}`)).toEqual(["healthy→degraded", "degraded→healthy"]);
    expect(changes[0]![2]).toBe("get retried after HTTP 503 SlowDown");
  });

  it("goes unavailable after unavailableAfterFailures failed calls in a row, but not when a success interrupts them", () => {
    const { health } = tracker(3);
    health.failed("x", false);
    health.failed("x", false);
    health.succeeded(false);
    health.failed("x", false);
    health.failed("x", false);
    expect(health.state).toBe("degraded");
    health.failed("x", false);
    expect(health.state).toBe("unavailable");
  });

  it("goes unavailable at once when a call used up its time budget", () => {
    const { health } = tracker(10);
    health.failed("no success within operationTimeoutMs", true);
    expect(health.state).toBe("unavailable");
  });

  it("comes back through degraded: one success, then healthyAfterSuccesses clean ones", () => {
    const { health, changes } = tracker(1, 3);
    health.failed("down", false);
    health.succeeded(false);
    expect(health.state).toBe("degraded");
    health.succeeded(false);
    health.succeeded(false);
    expect(changes.map(([s]) => s)).toEqual(["unavailable", "degraded", "healthy"]);
  });

  it("logs each transition once: warn for degraded, error for unavailable, info for healthy", () => {
    const { health, logger } = tracker(2, 1);
    health.retried("r");
    health.retried("r");
    health.failed("f", false);
    health.failed("f", false);
    health.failed("f", false);
    health.succeeded(false);
    expect(logger.entries.map((e) => [e.level, e.fields["health"], e.fields["bucket"]])).toEqual([
      ["warn", "degraded", "b"],
      ["error", "unavailable", "b"],
      ["info", "healthy", "b"],
    ]);
  });

  it("survives a listener that throws", () => {
    const logger = capturingLogger();
    const health = new HealthTracker({
      unavailableAfterFailures: 1,
      healthyAfterSuccesses: 1,
      logger,
      onChange: () => {
        throw new Error("listener bug");
      },
      fields: {},
    });
    health.failed("f", false);
    expect(health.state).toBe("unavailable");
    expect(logger.entries.map((e) => e.message)).toContain("onHealthChange listener threw");
  });
});
