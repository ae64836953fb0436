import { execFileSync, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { CompressionName } from "./attributes.js";
import { encodeBatch } from "./encode-batch.js";
import type { KafkaRecordInput } from "./record.js";

/*
 * The other direction from real-clients.test.ts: batches written by
 * encodeBatch, read back by kafka-python's own reader (a separate
 * implementation of varints, CRC-32C, xerial/raw snappy, lz4 and zstd).
 * Needs Debian's python3 with python3-kafka, -snappy, -lz4, -zstandard
 * (.ci/run installs them); a missing one fails the suite with the apt command.
 */

const PYTHON = "/usr/bin/python3";
const READER = fileURLToPath(new URL("./testdata/read_with_kafka_python.py", import.meta.url));
const available =
  spawnSync(PYTHON, ["-c", "import kafka, snappy, lz4.frame, zstandard"], { stdio: "ignore" }).status === 0;

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const hexOf = (b: Uint8Array | null): string | null => (b === null ? null : Buffer.from(b).toString("hex"));

const RECORDS: KafkaRecordInput[] = Array.from({ length: 300 }, (_, i) => ({
  key: i % 5 === 0 ? null : text(`key-${i}`),
  value: i % 7 === 0 ? null : text(`value ${i} `.repeat(20)),
  timestampDelta: BigInt(i * 10 - 100),
  offsetDelta: i * 3,
  headers: i % 2 === 0 ? [] : [{ key: `h-${i}-ü`, value: text("x") }, { key: "nothing", value: null }],
}));

const CASES: [CompressionName, "raw" | "xerial", number][] = [
  ["none", "raw", 0],
  ["gzip", "raw", 1],
  ["snappy", "raw", 2],
  ["snappy", "xerial", 2],
  ["lz4", "raw", 3],
  ["zstd", "raw", 4],
];

describe("kafka-python 2.0.2 reads batches from encodeBatch()", () => {
  it("has kafka-python and its codecs installed", () => {
    expect(available, "missing: apt-get install -y python3-kafka python3-snappy python3-lz4 python3-zstandard").toBe(true);
  });

  it("for every codec: CRC valid, every record as written", () => {
    const batches = CASES.map(([compression, snappyFraming]) =>
      encodeBatch({ baseOffset: 1000n, baseTimestamp: 1_700_000_000_000n, records: RECORDS, compression, snappyFraming }),
    );
    const input = batches.map((b) => Buffer.from(b).toString("hex")).join("\n") + "\n";
    const output = execFileSync(PYTHON, [READER], { input, encoding: "utf8", maxBuffer: 64 << 20 });
    const results = output.trim().split("\n").map((line) => JSON.parse(line) as unknown);
    const expectedRecords = RECORDS.map((r) => ({
      offset: 1000 + r.offsetDelta!,
      timestamp: 1_700_000_000_000 + Number(r.timestampDelta),
      key: hexOf(r.key ?? null),
      value: hexOf(r.value),
      headers: (r.headers ?? []).map((h) => [h.key, hexOf(h.value)]),
    }));
    expect(results).toEqual(CASES.map(([, , compression]) => ({ crcValid: true, compression, records: expectedRecords })));
  });
});
