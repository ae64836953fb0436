import { describe, expect, it } from "vitest";
import { TimestampType, type CompressionName } from "./attributes.js";
import { RECORD_COUNT_OFFSET, viewOf } from "./batch-layout.js";
import { writeBatchCrc } from "./crc.js";
import { decodeBatch, DEFAULT_MAX_DECOMPRESSED_BYTES } from "./decode-batch.js";
import { encodeBatch } from "./encode-batch.js";
import { RecordBatchError } from "./errors.js";
import { lastOffset, nextOffset, recordOffset, recordTimestamp } from "./offsets.js";

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const hex = (s: string): Uint8Array => Buffer.from(s.replace(/\s+/g, ""), "hex");

/** An uncompressed batch around hand-written record bytes, with a valid CRC. */
function batchAround(recordBytes: Uint8Array, recordCount: number): Uint8Array {
  const header = encodeBatch({ baseOffset: 0n, baseTimestamp: 1000n, records: [], lastOffsetDelta: 0 });
  const batch = new Uint8Array(header.length + recordBytes.length);
  batch.set(header);
  batch.set(recordBytes, header.length);
  const view = viewOf(batch);
  view.setInt32(8, batch.length - 12);
  view.setInt32(RECORD_COUNT_OFFSET, recordCount);
  writeBatchCrc(batch);
  return batch;
}

function caught(fn: () => unknown): RecordBatchError {
  try {
    fn();
  } catch (err) {
    if (err instanceof RecordBatchError) return err;
    throw err;
  }
  throw new Error("expected a RecordBatchError");
}

// length 8 | attributes 0 | timestampDelta 0 | offsetDelta 0 | key "k" | value "v" | 0 headers
const RECORD_KV = "10 00 00 00 02 6b 02 76 00";

describe("decodeBatch()", () => {
  it("reads a hand-written record", () => {
    const { records } = decodeBatch(batchAround(hex(RECORD_KV), 1));
    expect(records).toEqual([
      { attributes: 0, timestampDelta: 0n, offsetDelta: 0, key: text("k"), value: text("v"), headers: [] },
    ]);
  });

  it("reads a hand-written record with negative deltas, a null value and headers", () => {
    // length 13 | attr 0 | ts -3 (05) | offset 2 (04) | key null (01) | value null (01) | 2 headers (04)
    //   | "h" (02 68) → "x" (02 78) | "n" (02 6e) → null (01)
    const { records } = decodeBatch(batchAround(hex("1a 00 05 04 01 01 04 02 68 02 78 02 6e 01"), 1));
    expect(records).toEqual([
      { attributes: 0, timestampDelta: -3n, offsetDelta: 2, key: null, value: null, headers: [{ key: "h", value: text("x") }, { key: "n", value: null }] },
    ]);
  });

  it("returns keys and values of an uncompressed batch as views of the input", () => {
    const bytes = batchAround(hex(RECORD_KV), 1);
    const [record] = decodeBatch(bytes).records;
    expect(record!.key!.buffer).toBe(bytes.buffer);
  });

  it("ignores bytes after the batch's declared length", () => {
    const bytes = batchAround(hex(RECORD_KV), 1);
    const padded = new Uint8Array([...bytes, 1, 2, 3]);
    expect(decodeBatch(padded).records).toHaveLength(1);
  });

  it.each([
    { name: "fewer records than declared", records: RECORD_KV, count: 2, message: "batch declares 2 records but has only 9 bytes of record data" },
    { name: "more records than declared", records: RECORD_KV + RECORD_KV, count: 1, message: "9 bytes remain after the 1 records the batch declares" },
    { name: "a negative record count", records: RECORD_KV, count: -1, message: "batch declares a negative record count -1" },
    { name: "a record length past the end", records: "20 00 00 00 02 6b 02 76 00", count: 1, message: "record 0 declares 16 bytes but 8 remain" },
    { name: "fields shorter than the record length", records: "12 00 00 00 02 6b 02 76 00 ff", count: 1, message: "record 0 declares 9 bytes but its fields end 1 bytes early" },
    { name: "fields longer than the record length", records: "0e 00 00 00 02 6b 02 76 00", count: 1, message: "varint runs past the end of the record data" },
    { name: "a key length below -1", records: "10 00 00 00 03 6b 02 76 00", count: 1, message: "record 0 key length -2 does not fit in the record" },
    { name: "a header with a null key", records: "10 00 00 00 01 01 02 01 01", count: 1, message: "record 0 has a header with a null key" },
    { name: "a negative header count", records: "0c 00 00 00 01 01 01", count: 1, message: "record 0 declares -1 headers in 0 bytes" },
    { name: "an empty record", records: "00 " + "00".repeat(6), count: 1, message: "record 0 is empty" },
  ])("rejects $name as CORRUPT_RECORD", ({ records, count, message }) => {
    const err = caught(() => decodeBatch(batchAround(hex(records), count)));
    expect({ code: err.code, message: err.message }).toEqual({ code: "CORRUPT_RECORD", message });
  });

  it("checks the CRC first, unless told not to", () => {
    const bytes = batchAround(hex(RECORD_KV), 1);
    bytes[bytes.length - 2] = 0x77; // value "v" → "w"
    expect(caught(() => decodeBatch(bytes)).code).toBe("CRC_MISMATCH");
    expect(decodeBatch(bytes, { verifyCrc: false }).records[0]!.value).toEqual(text("w"));
  });

  it("rejects magic 0 and 1 before anything else", () => {
    const bytes = batchAround(hex(RECORD_KV), 1);
    bytes[16] = 1;
    expect(caught(() => decodeBatch(bytes)).message).toBe("message format v1 (magic 1) is not supported; only RecordBatch v2");
  });

  it.each([0, -1, 1.5])("rejects maxDecompressedBytes %s", (maxDecompressedBytes) => {
    expect(caught(() => decodeBatch(batchAround(hex(RECORD_KV), 1), { maxDecompressedBytes })).code).toBe("INVALID_ARGUMENT");
  });
});

describe("decodeBatch() against compression bombs", () => {
  const CODECS: CompressionName[] = ["gzip", "snappy", "lz4", "zstd"];
  const zeros = new Uint8Array(DEFAULT_MAX_DECOMPRESSED_BYTES + 1024);

  it.each(CODECS)("stops a %s batch that inflates past the default 64 MiB", (compression) => {
    const bomb = encodeBatch({ baseOffset: 0n, baseTimestamp: 0n, records: [{ value: zeros }], compression });
    expect(bomb.length).toBeLessThan(zeros.length / 20); // snappy's best ratio is ~21:1, the others' far higher
    const err = caught(() => decodeBatch(bomb));
    expect(err.code).toBe("DECOMPRESSED_TOO_LARGE");
    expect(err.message).toContain(String(DEFAULT_MAX_DECOMPRESSED_BYTES));
  });

  it.each([...CODECS.map((c) => [c, "raw"] as const), ["snappy", "xerial"] as const])(
    "honours a smaller maxDecompressedBytes for %s (%s)",
    (compression, snappyFraming) => {
      const batch = encodeBatch({ baseOffset: 0n, baseTimestamp: 0n, records: [{ value: new Uint8Array(2 << 20) }], compression, snappyFraming });
      expect(decodeBatch(batch, { maxDecompressedBytes: 3 << 20 }).records[0]!.value).toHaveLength(2 << 20);
      expect(caught(() => decodeBatch(batch, { maxDecompressedBytes: 1 << 20 })).code).toBe("DECOMPRESSED_TOO_LARGE");
    },
  );
});

describe("recordOffset() / recordTimestamp() / lastOffset() / nextOffset()", () => {
  const records = [{ value: null, offsetDelta: 0, timestampDelta: 10n }, { value: null, offsetDelta: 4, timestampDelta: -2n }];

  it("adds the deltas to the batch's base values", () => {
    const { header, records: decoded } = decodeBatch(encodeBatch({ baseOffset: 100n, baseTimestamp: 5000n, records, lastOffsetDelta: 6 }));
    expect(decoded.map((r) => [recordOffset(header, r), recordTimestamp(header, r)])).toEqual([
      [100n, 5010n],
      [104n, 4998n],
    ]);
    expect([lastOffset(header), nextOffset(header)]).toEqual([106n, 107n]);
  });

  it("gives every record the batch's maxTimestamp under LogAppendTime", () => {
    const bytes = encodeBatch({ baseOffset: 0n, baseTimestamp: 5000n, records, timestampType: TimestampType.LogAppendTime, maxTimestamp: 9999n });
    const { header, records: decoded } = decodeBatch(bytes);
    expect(decoded.map((r) => recordTimestamp(header, r))).toEqual([9999n, 9999n]);
  });
});
