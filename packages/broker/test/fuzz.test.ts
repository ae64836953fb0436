import { connect, type Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { ApiKey, ErrorCode } from "@kafscale/protocol";
import { decodeBatch } from "@kafscale/protocol/records";
import { describe, expect, it } from "vitest";
import { startWireBroker, type LogLine } from "./support/wire-broker.js";
import { WireClient } from "./support/wire-client.js";
import { capturedRequests, connectionSeed, encodedRequests, planConnection, sweepPlans, type FuzzKind, type FuzzPlan } from "./support/wire-fuzz.js";
import { apiVersionsBody, fetchBody, metadataBody, produceBody, recordBatch } from "./support/wire-requests.js";

/**
 * Replay a failure with KAFSCALE_FUZZ_SEED=<seed>; each connection's plan comes from its own
 * seed (`connectionSeed(run seed, index)`, printed with any connection that fails a check).
 */
const SEED = Number(process.env["KAFSCALE_FUZZ_SEED"] ?? 20_261_121);
const CONNECTIONS = Number(process.env["KAFSCALE_FUZZ_CONNECTIONS"] ?? 1000);
const CONCURRENCY = 24;
/** The fuzzing stops early (but after at least MIN_CONNECTIONS) if a slow machine reaches this. */
const FUZZ_BUDGET_MS = 10_000;
const MIN_CONNECTIONS = 200;
const MAX_FRAME_BYTES = 4 * 1024 * 1024;
const MiB = 1024 * 1024;

/**
 * Memory bounds, and why these numbers.
 *
 * What the broker may legitimately hold during the run: per fuzzing connection at most one
 * partial frame (up to MAX_FRAME_BYTES, 4 MiB, for a bulk frame) plus the requests in flight
 * (maxInFlightBytes is 8 MiB, but no fuzzing connection sends more than ~28 MiB in all and most
 * send a few KiB), for 24 connections at once: ~100 MiB if every connection were a bulk one at
 * the same moment, ~10 MiB typically; plus what is stored (the healthy client's records, the
 * topics fuzzed produces auto-create: a few MiB). The fuzzer itself holds little: it builds each
 * connection's bytes when it starts, and bulk padding is views of one shared 256 KiB block.
 * Measured on a 2-core VM: peak RSS growth 60-130 MiB, retained heap and buffers 2-5 MiB.
 *
 * - PEAK_RSS_GROWTH, 200 MiB: the worst case above with room for V8's lazy collection.
 *   It is not loose: the run pushes more than twice that through the listener and announces
 *   tens of GiB in size prefixes above the limit (both checked below), so a broker that kept
 *   what it read, or allocated what was announced, would break it.
 * - RETAINED_GROWTH, 32 MiB of heap plus array buffers: after a forced collection, once every
 *   fuzzing connection is gone, only stored data and topic and group metadata remain. Leaked
 *   connections are caught directly (the listener's count must return to zero); leaked frames
 *   or requests would show here, out of the ~500 MiB the run makes the broker read.
 */
const PEAK_RSS_GROWTH = 200 * MiB;
const RETAINED_GROWTH = 32 * MiB;

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

interface Sample {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

function sample(): Sample {
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, external, arrayBuffers };
}

/** Memory after a full collection, once array buffers freed by it have been released too. */
async function settledSample(): Promise<Sample> {
  for (let i = 0; i < 3; i++) {
    gc();
    await sleep(20);
  }
  return sample();
}

interface Outcome {
  /** The plan, without its bytes: the test must not hold what it sent. */
  plan: Omit<FuzzPlan, "writes">;
  localPort: number;
  bytesSent: number;
  closedByBroker: boolean;
}

/** Opens one connection, sends what the plan says, reads and drops whatever comes back, hangs up. */
async function runConnection(port: number, plan: FuzzPlan): Promise<Outcome> {
  const socket: Socket = await new Promise((resolve, reject) => {
    const s = connect({ host: "127.0.0.1", port }, () => resolve(s));
    s.once("error", reject);
  });
  socket.on("error", () => {}); // resets are expected either way
  socket.on("data", () => {});
  let closedByBroker = false;
  let hungUp = false;
  const closed = new Promise<void>((resolve) =>
    socket.once("close", () => {
      closedByBroker = !hungUp;
      resolve();
    }),
  );
  const localPort = socket.localPort ?? 0;
  let bytesSent = 0;
  for (const chunk of plan.writes) {
    if (socket.destroyed) break;
    socket.write(chunk);
    bytesSent += chunk.length;
    if (plan.pauseMs > 0) await sleep(plan.pauseMs);
  }
  await Promise.race([closed, sleep(plan.lingerMs)]);
  hungUp = true;
  if (plan.hangUp === "end") {
    socket.end();
    await Promise.race([closed, sleep(200)]);
  }
  socket.destroy();
  await closed;
  const { writes: _, ...kept } = plan;
  return { plan: kept, localPort, bytesSent, closedByBroker };
}

describe("Kafka listener under fuzzing", () => {
  it("keeps serving a healthy client, logs at most one line per bad connection, and stays in bounded memory", { timeout: 40_000 }, async () => {
    const b = await startWireBroker({ maxFrameBytes: MAX_FRAME_BYTES, maxInFlightBytes: 8 * MiB, maxConnections: 1000 });
    try {
      // --- the healthy client, and what the fuzzer knows about the broker
      const healthy = await WireClient.connect(b.port, "healthy");
      const versions = await healthy.request(ApiKey.ApiVersions, 3, apiVersionsBody());
      expect(versions.errorCode).toBe(ErrorCode.NONE);
      const ranges = versions.apiKeys.map((k) => ({ apiKey: k.apiKey, minVersion: k.minVersion, maxVersion: k.maxVersion }));
      const corpus = [...capturedRequests(), ...encodedRequests("fuzzed")];
      expect(corpus.length).toBeGreaterThan(300);
      const target = { ranges, corpus, maxFrameBytes: MAX_FRAME_BYTES };

      let roundTrips = 0;
      let slowestRoundTripMs = 0;
      const roundTrip = async (i: number): Promise<void> => {
        const started = Date.now();
        const m = await healthy.request(ApiKey.Metadata, 12, metadataBody(["healthy"]));
        expect(m.topics[0]!.errorCode).toBe(ErrorCode.NONE);
        const p = await healthy.request(ApiKey.Produce, 9, produceBody("healthy", -1, recordBatch(`healthy-${i}`)));
        const produced = p.responses[0]!.partitionResponses[0]!;
        expect(produced.errorCode).toBe(ErrorCode.NONE);
        const f = await healthy.request(ApiKey.Fetch, 12, fetchBody("healthy", produced.baseOffset));
        const fetched = f.responses[0]!.partitions[0]!;
        expect(fetched.errorCode).toBe(ErrorCode.NONE);
        expect(Buffer.from(decodeBatch(fetched.records!).records[0]!.value!).toString()).toBe(`healthy-${i}-0`);
        roundTrips++;
        slowestRoundTripMs = Math.max(slowestRoundTripMs, Date.now() - started);
      };
      for (let i = 0; i < 5; i++) await roundTrip(i); // warm up the paths before the baseline

      const baseline = await settledSample();
      const samples: Sample[] = [];
      const sampler = setInterval(() => samples.push(sample()), 20);

      // --- the fuzzer and the healthy client, side by side
      let fuzzing = true;
      const healthyLoop = (async () => {
        for (let i = 5; fuzzing; i++) await roundTrip(i);
      })();
      const outcomes: Outcome[] = [];
      const started = Date.now();
      const sweep = sweepPlans(SEED, target);
      let next = 0;
      const worker = async (): Promise<void> => {
        for (let s = sweep.shift(); s !== undefined; s = sweep.shift()) outcomes.push(await runConnection(b.port, s));
        while (next < CONNECTIONS && (next < MIN_CONNECTIONS || Date.now() - started < FUZZ_BUDGET_MS)) {
          const plan = planConnection(connectionSeed(SEED, next++), target);
          outcomes.push(await runConnection(b.port, plan));
        }
      };
      try {
        await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      } finally {
        fuzzing = false;
        await healthyLoop;
        clearInterval(sampler);
      }
      const fuzzMs = Date.now() - started;

      // --- afterwards: every fuzzing connection is gone, the broker still answers
      await until(() => b.broker["listener"].connectionCount === 1, 5000, "the fuzzing connections to be closed on the broker's side");
      const after = await WireClient.connect(b.port, "after");
      expect((await after.request(ApiKey.ApiVersions, 3, apiVersionsBody())).errorCode).toBe(ErrorCode.NONE);
      expect((await after.request(ApiKey.Metadata, 12, metadataBody(["healthy"]))).topics[0]!.errorCode).toBe(ErrorCode.NONE);
      after.close();
      healthy.close();
      await until(() => b.broker["listener"].connectionCount === 0, 5000, "the last clients to be closed");
      const retained = await settledSample();

      // --- the figures
      const peak = (k: keyof Sample): number => Math.max(...samples.map((s) => s[k]));
      const bytesSent = outcomes.reduce((n, o) => n + o.bytesSent, 0);
      const announcedUnsent = outcomes.reduce((n, o) => n + o.plan.announcedUnsent, 0);
      const announcedTooLarge = outcomes.reduce((n, o) => n + o.plan.announcedTooLarge, 0);
      const kinds = new Map<FuzzKind, number>();
      for (const o of outcomes) kinds.set(o.plan.kind, (kinds.get(o.plan.kind) ?? 0) + 1);
      const figures = {
        seed: SEED,
        connections: outcomes.length,
        sweptVersions: ranges.reduce((n, r) => n + r.maxVersion - r.minVersion + 1, 0),
        kinds: Object.fromEntries(kinds),
        fuzzMs,
        bytesSentMiB: mib(bytesSent),
        announcedUnsentMiB: mib(announcedUnsent),
        announcedTooLargeMiB: mib(announcedTooLarge),
        closedByBroker: outcomes.filter((o) => o.closedByBroker).length,
        advertisedApis: ranges.length,
        logLines: countBy(b.logs.lines.map((l) => `${l.level} ${l.msg}`)),
        healthyRoundTrips: roundTrips,
        slowestRoundTripMs,
        baselineMiB: mibs(baseline),
        peakGrowthMiB: { rss: mib(peak("rss") - baseline.rss), heapUsed: mib(peak("heapUsed") - baseline.heapUsed), external: mib(peak("external") - baseline.external), arrayBuffers: mib(peak("arrayBuffers") - baseline.arrayBuffers) },
        retainedGrowthMiB: { rss: mib(retained.rss - baseline.rss), heapUsed: mib(retained.heapUsed - baseline.heapUsed), external: mib(retained.external - baseline.external) },
      };
      console.log(`fuzz figures: ${JSON.stringify(figures)}`);

      // Coverage: enough connections of every kind, and enough traffic that the bounds mean something.
      expect(outcomes.length).toBeGreaterThanOrEqual(MIN_CONNECTIONS + figures.sweptVersions);
      for (const kind of ["random-bytes", "truncated", "bad-size", "random-body", "bulk-body", "mutated", "valid"] as const) {
        expect(kinds.get(kind) ?? 0, kind).toBeGreaterThanOrEqual(5);
      }
      expect(bytesSent).toBeGreaterThan(2 * PEAK_RSS_GROWTH);
      expect(announcedTooLarge).toBeGreaterThan(10 * PEAK_RSS_GROWTH);

      // The healthy client was served all along.
      expect(healthy.problems).toEqual([]);
      expect(roundTrips).toBeGreaterThanOrEqual(20);

      // One line at most per fuzzing connection, and no errors: a handler that throws is a bug.
      const byPort = new Map<number, number>();
      for (const o of outcomes) byPort.set(o.localPort, (byPort.get(o.localPort) ?? 0) + 1);
      const replay = (o: Outcome): { seed: number; kind: FuzzKind; lines: string[] } => ({ seed: o.plan.seed, kind: o.plan.kind, lines: b.logs.forClient(o.localPort).map(brief) });
      const tooChatty = outcomes.filter((o) => b.logs.forClient(o.localPort).length > byPort.get(o.localPort)!);
      expect(tooChatty.map(replay)).toEqual([]);
      const failedHandlers = outcomes.filter((o) => b.logs.forClient(o.localPort).some((l) => l.level === "error"));
      expect(failedHandlers.map(replay)).toEqual([]);
      expect(b.logs.atLeast("error").map(brief)).toEqual([]);
      expect(b.logs.forClient(healthy.localPort)).toEqual([]);

      // Bounded memory.
      expect(peak("rss") - baseline.rss).toBeLessThan(PEAK_RSS_GROWTH);
      expect(retained.heapUsed + retained.external - (baseline.heapUsed + baseline.external)).toBeLessThan(RETAINED_GROWTH);
    } finally {
      await b.stop();
    }
  });
});

async function until(probe: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(10);
  }
}

function brief(l: LogLine): string {
  const err = l.fields["err"] as { message?: string; stack?: string } | undefined;
  return `${l.level} ${l.msg} ${JSON.stringify({ apiKey: l.fields["apiKey"], apiVersion: l.fields["apiVersion"], err: err?.stack ?? err?.message })}`;
}

function countBy(keys: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const k of keys) counts[k] = (counts[k] ?? 0) + 1;
  return counts;
}

const mib = (bytes: number): number => Math.round((bytes / MiB) * 10) / 10;
const mibs = (s: Sample): Record<keyof Sample, number> => ({ rss: mib(s.rss), heapUsed: mib(s.heapUsed), external: mib(s.external), arrayBuffers: mib(s.arrayBuffers) });
