import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Compression, TimestampType, type CompressionName } from "./attributes.js";
import { readBatchHeader } from "./batch-header.js";
import { verifyBatchCrc } from "./crc.js";
import { decodeBatch } from "./decode-batch.js";
import { encodeBatch, type EncodeBatchInput } from "./encode-batch.js";
import type { KafkaRecord, KafkaRecordInput } from "./record.js";

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const CODECS: CompressionName[] = ["none", "gzip", "snappy", "lz4", "zstd"];

/** What decodeBatch should give back for an input record at `index`. */
function expected(input: KafkaRecordInput, index: number): KafkaRecord {
  return {
    attributes: input.attributes ?? 0,
    timestampDelta: input.timestampDelta ?? 0n,
    offsetDelta: input.offsetDelta ?? index,
    key: input.key ?? null,
    value: input.value,
    headers: (input.headers ?? []).map((h) => ({ ...h })),
  };
}

/** Compare bytes as plain arrays so views, Buffers and Uint8Arrays compare equal. */
function plain(records: KafkaRecord[]): unknown {
  const bytes = (b: Uint8Array | null): number[] | null => (b === null ? null : [...b]);
  return records.map((r) => ({ ...r, key: bytes(r.key), value: bytes(r.value), headers: r.headers.map((h) => ({ key: h.key, value: bytes(h.value) })) }));
}

const MANY: KafkaRecordInput[] = Array.from({ length: 1000 }, (_, i) => ({
  key: i % 7 === 0 ? null : text(`key-${i % 13}`),
  value: i % 11 === 0 ? null : text(`value ${i} `.repeat(1 + (i % 5))),
  timestampDelta: BigInt(i * 3 - 500),
  offsetDelta: i * 2,
  headers:
    i % 3 === 0
      ? []
      : [
          { key: "trace-id", value: text(String(i)) },
          { key: "null-value", value: null },
          { key: "unicodé ключ 🎉", value: new Uint8Array(0) },
        ],
}));

describe("encodeBatch() → decodeBatch()", () => {
  it.each([...CODECS.map((c) => [c, "raw"] as const), ["snappy", "xerial"] as const])(
    "round trips 1000 records with headers and null keys/values through %s (%s snappy framing)",
    (compression, snappyFraming) => {
      const bytes = encodeBatch({ baseOffset: 42n, baseTimestamp: 1_700_000_000_000n, records: MANY, compression, snappyFraming });
      expect(verifyBatchCrc(bytes)).toBe(true);
      const { header, records } = decodeBatch(bytes);
      expect(header.attributes.compressionName).toBe(compression);
      expect(header.recordCount).toBe(1000);
      expect(header.lastOffsetDelta).toBe(1998);
      expect(header.maxTimestamp).toBe(1_700_000_000_000n + 2997n - 500n);
      expect(plain(records)).toEqual(plain(MANY.map(expected)));
    },
  );

  it("compresses: every codec makes these records smaller", () => {
    const none = encodeBatch({ baseOffset: 0n, baseTimestamp: 0n, records: MANY }).length;
    for (const compression of CODECS.slice(1)) {
      expect(encodeBatch({ baseOffset: 0n, baseTimestamp: 0n, records: MANY, compression }).length).toBeLessThan(none / 2);
    }
  });

  it("round trips arbitrary records through every codec", () => {
    const bytesArb = fc.option(fc.uint8Array({ maxLength: 300 }), { nil: null });
    const recordArb = fc.record({
      attributes: fc.integer({ min: -128, max: 127 }),
      timestampDelta: fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }),
      offsetGap: fc.integer({ min: 1, max: 100_000 }),
      key: bytesArb,
      value: bytesArb,
      headers: fc.array(fc.record({ key: fc.string({ unit: "grapheme", maxLength: 20 }), value: bytesArb }), { maxLength: 4 }),
    });
    fc.assert(
      fc.property(fc.array(recordArb, { minLength: 1, maxLength: 40 }), fc.constantFrom(...CODECS), fc.boolean(), (arb, compression, xerial) => {
        let offsetDelta = -1;
        const inputs: KafkaRecordInput[] = arb.map(({ offsetGap, ...r }) => ({ ...r, offsetDelta: (offsetDelta += offsetGap) }));
        const bytes = encodeBatch({ baseOffset: 0n, baseTimestamp: 0n, records: inputs, compression, snappyFraming: xerial ? "xerial" : "raw" });
        const { records } = decodeBatch(bytes);
        expect(plain(records)).toEqual(plain(inputs.map(expected)));
      }),
      { numRuns: 150 },
    );
  });
});

describe("encodeBatch()", () => {
  const base: EncodeBatchInput = { baseOffset: 7n, baseTimestamp: 1000n, records: [{ value: text("a") }, { value: text("b"), timestampDelta: 5n }] };

  it("writes producer defaults (-1) and a computed maxTimestamp", () => {
    expect(readBatchHeader(encodeBatch(base))).toMatchObject({
      baseOffset: 7n,
      partitionLeaderEpoch: -1,
      magic: 2,
      lastOffsetDelta: 1,
      baseTimestamp: 1000n,
      maxTimestamp: 1005n,
      producerId: -1n,
      producerEpoch: -1,
      baseSequence: -1,
      recordCount: 2,
      attributes: { raw: 0, compression: Compression.None, timestampType: TimestampType.CreateTime, isTransactional: false, isControl: false },
    });
  });

  it("writes every option it is given", () => {
    const bytes = encodeBatch({
      ...base,
      compression: Compression.Zstd,
      timestampType: TimestampType.LogAppendTime,
      isTransactional: true,
      isControl: true,
      producerId: 9_007_199_254_740_993n,
      producerEpoch: 3,
      baseSequence: 77,
      partitionLeaderEpoch: 12,
      maxTimestamp: 5000n,
      lastOffsetDelta: 9,
    });
    expect(readBatchHeader(bytes)).toMatchObject({
      partitionLeaderEpoch: 12,
      lastOffsetDelta: 9,
      maxTimestamp: 5000n,
      producerId: 9_007_199_254_740_993n,
      producerEpoch: 3,
      baseSequence: 77,
      attributes: { raw: 0x3c, compression: Compression.Zstd, timestampType: TimestampType.LogAppendTime, isTransactional: true, isControl: true },
    });
  });

  it("writes an empty batch (as compaction leaves) when lastOffsetDelta is given", () => {
    const bytes = encodeBatch({ baseOffset: 100n, baseTimestamp: 5n, records: [], lastOffsetDelta: 3 });
    expect(bytes.length).toBe(61);
    expect(readBatchHeader(bytes)).toMatchObject({ recordCount: 0, lastOffsetDelta: 3, maxTimestamp: -1n });
    expect(decodeBatch(bytes).records).toEqual([]);
  });

  it("writes LZ4 frames the Java client can read: version 01, independent blocks, no dictionary", () => {
    const bytes = encodeBatch({ ...base, compression: "lz4" });
    expect([...bytes.subarray(61, 65)]).toEqual([0x04, 0x22, 0x4d, 0x18]);
    const flg = bytes[65]!;
    expect(flg >> 6).toBe(0b01);
    expect(flg & 0x20).toBe(0x20);
    expect(flg & 0x01).toBe(0);
  });

  it("writes raw snappy by default and the xerial framing on request", () => {
    expect(bytesAt(encodeBatch({ ...base, compression: "snappy" }), 61, 8)).not.toBe("82534e4150505900");
    expect(bytesAt(encodeBatch({ ...base, compression: "snappy", snappyFraming: "xerial" }), 61, 16)).toBe(
      "82534e4150505900" + "00000001" + "00000001",
    );
  });

  it.each([
    { change: { records: [] }, message: "an empty batch needs an explicit lastOffsetDelta" },
    { change: { baseOffset: 2n ** 63n }, message: `baseOffset ${2n ** 63n} does not fit in an int64` },
    { change: { producerEpoch: 40000 }, message: "producerEpoch 40000 is not an integer in [-32768, 32767]" },
    { change: { baseSequence: 1.5 }, message: "baseSequence 1.5 is not an integer in [-2147483648, 2147483647]" },
    { change: { lastOffsetDelta: 0 }, message: "lastOffsetDelta 0 must be an int32 no smaller than the last record's offsetDelta (1)" },
    {
      change: { records: [{ value: null, offsetDelta: 5 }, { value: null, offsetDelta: 5 }] },
      message: "record 1: offsetDelta 5 must be an int32 greater than the previous (5)",
    },
    { change: { records: [{ value: null, attributes: 200 }] }, message: "record 0: attributes 200 is not an int8" },
    { change: { compression: "brotli" as CompressionName }, message: "unknown compression brotli", code: "UNSUPPORTED_COMPRESSION" },
  ])("rejects: $message", ({ change, message, code }) => {
    expect(() => encodeBatch({ ...base, ...change })).toThrowError(expect.objectContaining({ code: code ?? "INVALID_ARGUMENT", message }));
  });
});

function bytesAt(bytes: Uint8Array, start: number, length: number): string {
  return Buffer.from(bytes.subarray(start, start + length)).toString("hex");
}
