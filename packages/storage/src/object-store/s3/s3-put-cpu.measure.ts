import { randomBytes } from "node:crypto";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { createS3Client } from "./s3-client.js";
import { createS3ObjectStore } from "./s3-object-store.js";
import { resolveS3Options, type S3ObjectStoreOptions } from "./s3-options.js";
import { useCephRgw } from "./s3-test-fixture.js";

/**
 * CPU cost of putting segment-sized objects given as chunk lists, against Ceph:
 * `pnpm --filter @kafscale/storage measure:s3-put-cpu` (a measurement, not a test: it is not
 * part of `pnpm test`, and moves a few GiB through the gateway). Each variant puts
 * 64 objects of 4 MiB (`KAFSCALE_S3_PUT_CPU_OBJECTS`), each a list of 256
 * equal chunks (`KAFSCALE_S3_PUT_CPU_CHUNKS`), 4 at a time, in 5 rounds
 * (`KAFSCALE_S3_PUT_CPU_ROUNDS`), and reports the median of this process's
 * CPU time (user + system; Ceph runs in other processes) and of the wall
 * time. `concat+signed` is what the store did before (one `Buffer.concat`
 * per put, the SDK hashing the body for SigV4).
 */
const OBJECTS = Number(process.env["KAFSCALE_S3_PUT_CPU_OBJECTS"] ?? 64);
const CHUNKS = Number(process.env["KAFSCALE_S3_PUT_CPU_CHUNKS"] ?? 256);
const CHUNK_BYTES = (4 * 2 ** 20) / CHUNKS;
const PARALLEL = 4;
const ROUNDS = Number(process.env["KAFSCALE_S3_PUT_CPU_ROUNDS"] ?? 5);

type Put = (key: string, chunks: readonly Uint8Array[]) => Promise<void>;

describe("S3 putIfAbsent CPU cost (Ceph RGW)", () => {
  const ceph = useCephRgw();

  it(`puts ${OBJECTS} × ${(CHUNKS * CHUNK_BYTES) / 2 ** 20} MiB objects given as ${CHUNKS}-chunk lists`, async () => {
    // Chunks are views of one buffer, as produced batches are views of request buffers.
    const backing = randomBytes(CHUNKS * CHUNK_BYTES);
    const chunks = Array.from({ length: CHUNKS }, (_, i) => backing.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES));
    const options = (): S3ObjectStoreOptions => ceph().options({ requestTimeoutMs: 30_000, operationTimeoutMs: 120_000 });

    const variants: Record<string, () => { put: Put; close: () => Promise<void>; prefix: string }> = {
      "concat+signed (before)": () => {
        const o = resolveS3Options(options());
        const client = createS3Client(o);
        return {
          prefix: o.prefix,
          put: async (key, body) => {
            const data = Buffer.concat(body);
            await client.send(new PutObjectCommand({ Bucket: o.bucket, Key: o.prefix + key, Body: data, ContentLength: data.length, IfNoneMatch: "*" }));
          },
          close: async () => client.destroy(),
        };
      },
      "store (default)": () => storeVariant(options()),
      "store signPayload": () => storeVariant({ ...options(), signPayload: true }),
    };

    const results: Record<string, { cpuMs: number[]; userMs: number[]; wallMs: number[] }> = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, make] of Object.entries(variants)) {
        const v = make();
        try {
          await v.put("warm-up", chunks);
          collectGarbage();
          const cpu = process.cpuUsage();
          const started = performance.now();
          let next = 0;
          await Promise.all(
            Array.from({ length: PARALLEL }, async () => {
              for (let i = next++; i < OBJECTS; i = next++) await v.put(`obj/${i}`, chunks);
            }),
          );
          const wallMs = performance.now() - started;
          const used = process.cpuUsage(cpu);
          const r = (results[name] ??= { cpuMs: [], userMs: [], wallMs: [] });
          r.cpuMs.push((used.user + used.system) / 1000);
          r.userMs.push(used.user / 1000);
          r.wallMs.push(wallMs);
        } finally {
          await v.close();
          await ceph().removePrefix(v.prefix.replace(/\/$/, ""));
        }
      }
    }
    const mib = (OBJECTS * CHUNKS * CHUNK_BYTES) / 2 ** 20;
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const lines = Object.entries(results).map(
      ([name, r]) =>
        `${name.padEnd(24)} CPU ${median(r.cpuMs).toFixed(0).padStart(6)} ms (${(median(r.cpuMs) / mib).toFixed(2)} ms/MiB, user ${median(r.userMs).toFixed(0)}; rounds ${r.cpuMs.map((x) => x.toFixed(0)).join(", ")})` +
        `  wall ${median(r.wallMs).toFixed(0).padStart(6)} ms (${(mib / (median(r.wallMs) / 1000)).toFixed(0)} MiB/s)`,
    );
    console.log(`S3 put CPU, ${OBJECTS} objects × ${CHUNKS} chunks × ${CHUNK_BYTES} B, ${PARALLEL} in parallel, median of ${ROUNDS}:\n${lines.join("\n")}`);
    expect(Object.keys(results)).toHaveLength(Object.keys(variants).length);
  }, 30 * 60_000);
});

/** A full GC before each measured run, so that one variant does not pay for another's garbage. */
function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

function storeVariant(options: S3ObjectStoreOptions): { put: Put; close: () => Promise<void>; prefix: string } {
  const store = createS3ObjectStore(options);
  return { prefix: options.prefix ?? "", put: (key, body) => store.putIfAbsent(key, body), close: () => store.close() };
}
