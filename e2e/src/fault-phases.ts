import type { FaultRule, S3FaultProxy } from "@kafscale/test-servers";
import { sleep } from "./broker-process.js";

/** A stretch of time during which the S3 fault proxy applies `rules` (none: healthy). */
export interface FaultPhase {
  name: string;
  rules: readonly FaultRule[];
  ms: number;
}

/** What happened during a phase: the proxy's counts and the test's own counters, as differences. */
export interface PhaseResult {
  name: string;
  ms: number;
  faults: Record<string, number>;
  observed: Record<string, number>;
}

const FAULT_KINDS = ["slowDown", "internalError", "delay", "dropBeforeForward", "dropAfterForward"] as const;

/**
 * The s3-faults schedule (request timeout 1 s, operation timeout 4 s): each kind of fault on
 * every request for longer than an operation's budget, so that flushes and fetches really fail,
 * with healthy stretches between them, then intermittent faults that retries should absorb.
 * Reads (GET) get 500 InternalError instead of 503 in the first phase, so that the proxy's
 * counts show the fetches went to S3.
 */
export function s3FaultSchedule(phaseMs = 5_000, healthyMs = 3_000): FaultPhase[] {
  const healthy = { name: "healthy", rules: [], ms: healthyMs };
  return [
    { name: "500 InternalError on every read, 503 SlowDown on every other request", rules: [{ fault: "internalError", method: "GET" }, { fault: "slowDown" }], ms: phaseMs },
    healthy,
    { name: "every response delayed 2.5 s (past the request timeout)", rules: [{ fault: "delay", delayMs: 2_500 }], ms: phaseMs },
    healthy,
    {
      name: "every connection dropped (half of them after the request took effect)",
      rules: [{ fault: "dropAfterForward", probability: 0.5 }, { fault: "dropBeforeForward" }],
      ms: phaseMs,
    },
    healthy,
    {
      name: "intermittent: 10% SlowDown, 5% delayed, 5% dropped after taking effect",
      rules: [
        { fault: "slowDown", probability: 0.1 },
        { fault: "delay", probability: 0.05, delayMs: 2_500 },
        { fault: "dropAfterForward", probability: 0.05 },
      ],
      ms: phaseMs,
    },
  ];
}

/**
 * Runs the phases one after the other on the proxy (seeded plans) and clears the faults at the
 * end, even when `observe` throws. `observe()` is sampled at every phase boundary.
 */
export async function runFaultPhases(proxy: S3FaultProxy, phases: readonly FaultPhase[], observe: () => Record<string, number>, seed = 1): Promise<PhaseResult[]> {
  const results: PhaseResult[] = [];
  const faultCounts = () => Object.fromEntries(FAULT_KINDS.map((k) => [k, proxy.counts()[k] ?? 0]));
  const diff = (a: Record<string, number>, b: Record<string, number>) => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, v - (a[k] ?? 0)]));
  try {
    for (const [i, phase] of phases.entries()) {
      const faultsBefore = faultCounts();
      const observedBefore = observe();
      const started = Date.now();
      if (phase.rules.length === 0) proxy.clear();
      else proxy.setFaults({ rules: phase.rules, seed: seed + i });
      await sleep(phase.ms);
      results.push({ name: phase.name, ms: Date.now() - started, faults: diff(faultsBefore, faultCounts()), observed: diff(observedBefore, observe()) });
    }
  } finally {
    proxy.clear();
  }
  return results;
}

/** "name (ms): faults …; observed …" per phase, zeros left out. */
export function describePhases(results: readonly PhaseResult[]): string {
  const nonZero = (r: Record<string, number>) =>
    Object.entries(r)
      .filter(([, v]) => v !== 0)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
  return results.map((r) => `${r.name} (${r.ms} ms): faults {${nonZero(r.faults)}} observed {${nonZero(r.observed)}}`).join("\n  ");
}
