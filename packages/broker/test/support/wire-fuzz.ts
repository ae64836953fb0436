import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ApiKey, ZERO_UUID, apiByKey, encodeRequestFrame, type RequestTypes } from "@kafscale/protocol";
import { handMadeFrame } from "./wire-client.js";
import { apiVersionsBody, fetchBody, listOffsetsBody, metadataBody, offsetForLeaderEpochBody, produceBody, recordBatch } from "./wire-requests.js";

/** A small seeded PRNG (mulberry32): a failing run is replayed from its seed. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** In [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = (this.next() * 256) | 0;
    return out;
  }
  /** Mostly small, sometimes large: lengths spread over powers of two up to `max`. */
  length(max: number): number {
    return Math.min(max, this.int(0, 2 ** this.int(0, Math.ceil(Math.log2(max + 1)))));
  }
}

/** A request as sent, without its size prefix: header then body. */
export interface CorpusFrame {
  apiKey: number;
  version: number;
  source: string;
  bytes: Uint8Array;
}

const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../../protocol/test/fixtures");

/**
 * Requests captured from real clients (kcat, kafka-python, confluent-kafka, kafkajs,
 * @platformatic/kafka) by the protocol package: the seeds the mutating fuzzer starts from.
 */
export function capturedRequests(): CorpusFrame[] {
  const out: CorpusFrame[] = [];
  for (const folder of readdirSync(FIXTURES_DIR, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const file of readdirSync(join(FIXTURES_DIR, folder.name))) {
      if (!/-request-v\d+-\d{3}\.hex$/.test(file)) continue;
      const bytes = Buffer.from(readFileSync(join(FIXTURES_DIR, folder.name, file), "utf8").trim(), "hex");
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      out.push({ apiKey: view.getInt16(0), version: view.getInt16(2), source: `${folder.name}/${file}`, bytes });
    }
  }
  return out;
}

/** Requests this suite encodes itself, at every version the broker serves for the APIs that touch data. */
export function encodedRequests(topic: string): CorpusFrame[] {
  const out: CorpusFrame[] = [];
  const add = <K extends ApiKey>(apiKey: K, versions: [number, number], body: (v: number) => RequestTypes[K]): void => {
    for (let v = versions[0]; v <= versions[1]; v++) {
      const framed = Buffer.concat(encodeRequestFrame(apiKey, v, 1, "fuzz", body(v)));
      out.push({ apiKey, version: v, source: `encoded ${apiByKey(apiKey)!.name} v${v}`, bytes: framed.subarray(4) });
    }
  };
  add(ApiKey.ApiVersions, [0, 4], apiVersionsBody);
  add(ApiKey.Metadata, [0, 12], () => metadataBody([topic]));
  add(ApiKey.Produce, [3, 11], () => produceBody(topic, -1, recordBatch("fuzz", 3)));
  add(ApiKey.ListOffsets, [0, 9], () => listOffsetsBody(topic));
  add(ApiKey.OffsetForLeaderEpoch, [0, 4], () => offsetForLeaderEpochBody(topic));
  add(ApiKey.Fetch, [4, 12], () => fetchBody(topic, 0n, 50));
  add(ApiKey.Fetch, [13, 17], () => {
    const body = fetchBody(topic, 0n, 50);
    return { ...body, topics: body.topics.map((t) => ({ topicId: ZERO_UUID, partitions: t.partitions })) };
  });
  return out;
}

/** A 4-byte big-endian size prefix followed by `frame`. */
export function framed(frame: Uint8Array, size = frame.length): Uint8Array {
  const out = new Uint8Array(4 + frame.length);
  new DataView(out.buffer).setInt32(0, size);
  out.set(frame, 4);
  return out;
}

/** A copy of `frame` (no size prefix) with another correlation id. */
export function withCorrelationId(frame: Uint8Array, correlationId: number): Uint8Array {
  const out = Uint8Array.from(frame);
  if (out.length >= 8) new DataView(out.buffer).setInt32(4, correlationId);
  return out;
}

const INTERESTING_32 = [0, -1, 1, 0x7fffffff, -0x80000000, 0x7ffffffe, 0xffff, 0x10000, 1 << 24];
const INTERESTING_8 = [0x00, 0x01, 0x7f, 0x80, 0xff, 0xfe];

/** `frame` with 1 to 4 random edits: bit flips, interesting values, inserted, deleted or repeated bytes. */
export function mutate(rng: Rng, frame: Uint8Array): Uint8Array {
  let bytes: Uint8Array = Uint8Array.from(frame);
  const edits = rng.int(1, 4);
  for (let e = 0; e < edits; e++) {
    // Past the API key and version most of the time, so the mutation reaches a handler's decoder.
    const at = bytes.length === 0 ? 0 : rng.chance(0.85) && bytes.length > 4 ? rng.int(4, bytes.length - 1) : rng.int(0, bytes.length - 1);
    switch (rng.int(0, 5)) {
      case 0:
        if (bytes.length > 0) bytes[at] = bytes[at]! ^ (1 << rng.int(0, 7));
        break;
      case 1:
        if (bytes.length > 0) bytes[at] = rng.pick(INTERESTING_8);
        break;
      case 2:
        if (bytes.length >= at + 4) new DataView(bytes.buffer).setInt32(at, rng.pick(INTERESTING_32));
        break;
      case 3: {
        const inserted = rng.bytes(rng.length(64));
        bytes = concat(bytes.subarray(0, at), inserted, bytes.subarray(at));
        break;
      }
      case 4:
        bytes = concat(bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + rng.int(1, 16))));
        break;
      case 5: {
        const piece = bytes.subarray(at, Math.min(bytes.length, at + rng.int(1, 32)));
        bytes = concat(bytes.subarray(0, at), piece, piece, bytes.subarray(at));
        break;
      }
    }
  }
  return bytes;
}

/**
 * `n` random-looking bytes as views of one shared block, so a fuzzer sending hundreds of
 * megabytes holds almost none of them itself (it runs in the broker's process, whose memory
 * the test measures).
 */
function paddingChunks(rng: Rng, n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  while (n > 0) {
    const start = rng.int(0, PADDING.length / 2);
    const len = Math.min(n, PADDING.length - start);
    out.push(PADDING.subarray(start, start + len));
    n -= len;
  }
  return out;
}

const PADDING = new Rng(0x5eed).bytes(256 * 1024);

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export type FuzzKind = "random-bytes" | "truncated" | "bad-size" | "random-body" | "bulk-body" | "mutated" | "valid";

/** What one fuzzing connection sends, and how it ends. */
export interface FuzzPlan {
  kind: FuzzKind;
  seed: number;
  /** Written one after the other, with a short pause between when `pauseMs` is set. */
  writes: Uint8Array[];
  pauseMs: number;
  /** How long to wait for the broker (reading answers, or seeing it close) before hanging up. */
  lingerMs: number;
  /** Hanging up with a FIN (after what was written has left) or a reset (at once). */
  hangUp: "end" | "reset";
  /** Frame sizes announced in size prefixes whose bodies were never sent (within maxFrameBytes). */
  announcedUnsent: number;
  /** Frame sizes announced above maxFrameBytes, which the broker must refuse before allocating. */
  announcedTooLarge: number;
}

export interface FuzzTarget {
  /** The versions the broker advertises, from its ApiVersions answer. */
  ranges: readonly { apiKey: number; minVersion: number; maxVersion: number }[];
  corpus: readonly CorpusFrame[];
  maxFrameBytes: number;
}

const KINDS: readonly [FuzzKind, number][] = [
  ["random-bytes", 12],
  ["truncated", 14],
  ["bad-size", 14],
  ["random-body", 20],
  ["bulk-body", 6],
  ["mutated", 26],
  ["valid", 8],
];

function pickKind(rng: Rng): FuzzKind {
  let n = rng.int(1, KINDS.reduce((s, [, w]) => s + w, 0));
  for (const [kind, weight] of KINDS) {
    n -= weight;
    if (n <= 0) return kind;
  }
  return "mutated";
}

/**
 * One connection per version of every API the broker advertises, each sending a valid header
 * and a random body: every decoder the broker can reach gets hostile input at least once.
 */
export function sweepPlans(runSeed: number, target: FuzzTarget): FuzzPlan[] {
  const plans: FuzzPlan[] = [];
  for (const range of target.ranges) {
    for (let version = range.minVersion; version <= range.maxVersion; version++) {
      const seed = connectionSeed(runSeed ^ 0x51f15eed, plans.length);
      const rng = new Rng(seed);
      const frame = handMadeFrame(range.apiKey, version, rng.int(-0x80000000, 0x7fffffff), rng.bytes(rng.length(512)));
      plans.push({ kind: "random-body", seed, writes: [frame], pauseMs: 0, lingerMs: rng.int(0, 80), hangUp: "reset", announcedUnsent: 0, announcedTooLarge: 0 });
    }
  }
  return plans;
}

/** The seed of the `index`th connection of a run: runs with nearby seeds share no connections. */
export function connectionSeed(runSeed: number, index: number): number {
  let h = Math.imul(runSeed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  return (h ^ (h >>> 15)) >>> 0;
}

/** Plans one fuzzing connection from its own seed, so any one connection can be replayed alone. */
export function planConnection(seed: number, target: FuzzTarget): FuzzPlan {
  const rng = new Rng(seed);
  const kind = pickKind(rng);
  const frames = rng.int(1, 6);
  const correlationId = (): number => (rng.chance(0.3) ? rng.pick(INTERESTING_32) : rng.int(-0x80000000, 0x7fffffff));
  const plan: FuzzPlan = {
    kind,
    seed,
    writes: [],
    pauseMs: rng.chance(0.3) ? rng.int(1, 10) : 0,
    lingerMs: rng.int(0, 80),
    hangUp: rng.chance(0.5) ? "end" : "reset",
    announcedUnsent: 0,
    announcedTooLarge: 0,
  };

  switch (kind) {
    case "random-bytes":
      for (let i = 0; i < frames; i++) plan.writes.push(rng.bytes(rng.length(4096) + 1));
      break;
    case "truncated": {
      const frame = framed(withCorrelationId(rng.pick(target.corpus).bytes, correlationId()));
      const cut = rng.int(1, frame.length - 1);
      plan.writes.push(frame.subarray(0, cut));
      if (cut >= 4) plan.announcedUnsent += frame.length - 4;
      plan.lingerMs = 0; // then the socket is closed
      break;
    }
    case "bad-size": {
      const size = rng.pick([
        () => rng.int(-0x80000000, -1),
        () => -1,
        () => rng.int(target.maxFrameBytes + 1, 0x7fffffff),
        () => 0x7fffffff,
        () => rng.int(64, target.maxFrameBytes),
        () => rng.int(0, 3),
      ])();
      const tail = rng.bytes(rng.length(64));
      plan.writes.push(concat(framed(new Uint8Array(0), size), tail));
      if (size > tail.length && size <= target.maxFrameBytes) plan.announcedUnsent += size;
      if (size > target.maxFrameBytes) plan.announcedTooLarge += size;
      break;
    }
    case "random-body":
      for (let i = 0; i < frames; i++) {
        const range = rng.pick(target.ranges);
        // Mostly a version the broker serves, sometimes just outside its range.
        const version = rng.chance(0.9) ? rng.int(range.minVersion, range.maxVersion) : rng.pick([range.minVersion - 1, range.maxVersion + 1, -1, 0x7fff]);
        plan.writes.push(handMadeFrame(range.apiKey, version, correlationId(), rng.bytes(rng.length(512))));
      }
      break;
    case "bulk-body": {
      // Megabyte frames the broker must read whole: valid requests followed by padding (which
      // Kafka ignores, so the connection lives on), then sometimes one with a random body.
      const small = target.corpus.filter((f) => f.source.startsWith("encoded") && (f.apiKey === ApiKey.ApiVersions || f.apiKey === ApiKey.Metadata));
      for (let i = 0; i < frames; i++) {
        const request = withCorrelationId(rng.pick(small).bytes, correlationId());
        const padding = rng.int(target.maxFrameBytes / 8, target.maxFrameBytes - request.length);
        plan.writes.push(framed(request, request.length + padding), ...paddingChunks(rng, padding));
      }
      if (rng.chance(0.5)) {
        const range = rng.pick(target.ranges);
        const body = rng.int(target.maxFrameBytes / 8, target.maxFrameBytes - 64);
        plan.writes.push(handMadeFrame(range.apiKey, range.maxVersion, correlationId(), new Uint8Array(0), undefined, body), ...paddingChunks(rng, body));
      }
      break;
    }
    case "mutated":
      for (let i = 0; i < frames; i++) {
        const mutated = mutate(rng, withCorrelationId(rng.pick(target.corpus).bytes, correlationId()));
        // Usually a size prefix that matches the mutated frame; sometimes one a few bytes off.
        plan.writes.push(rng.chance(0.9) ? framed(mutated) : framed(mutated, mutated.length + rng.int(-8, 8)));
      }
      break;
    case "valid":
      for (let i = 0; i < frames; i++) plan.writes.push(framed(withCorrelationId(rng.pick(target.corpus).bytes, correlationId())));
      break;
  }
  return plan;
}
