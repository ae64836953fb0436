import { describe, expect, it } from "vitest";
import { Compression, decodeBatchAttributes, TimestampType } from "./attributes.js";
import { readBatchHeader } from "./batch-header.js";
import { RecordBatchError } from "./errors.js";

/** A header-only batch written out by hand, field by field (CRC from kafka-python's crc32c). */
const HEADER_TABLE: [field: string, hex: string][] = [
  ["baseOffset = 256", "0000000000000100"],
  ["batchLength = 49 (no records)", "00000031"],
  ["partitionLeaderEpoch = 7", "00000007"],
  ["magic = 2", "02"],
  ["crc = 0x286fa546", "286fa546"],
  ["attributes = gzip | logAppendTime | transactional | control", "0039"],
  ["lastOffsetDelta = 4", "00000004"],
  ["baseTimestamp = 1700000000000", "0000018bcfe56800"],
  ["maxTimestamp = 1700000001000", "0000018bcfe56be8"],
  ["producerId = 12345", "0000000000003039"],
  ["producerEpoch = -2", "fffe"],
  ["baseSequence = 42", "0000002a"],
  ["recordCount = 5", "00000005"],
];
const HEADER = Buffer.from(HEADER_TABLE.map(([, hex]) => hex).join(""), "hex");

function withBytes(base: Uint8Array, patch: Record<number, number>): Uint8Array {
  const copy = Uint8Array.from(base);
  for (const [at, value] of Object.entries(patch)) copy[Number(at)] = value;
  return copy;
}

function catchError(fn: () => unknown): RecordBatchError {
  try {
    fn();
  } catch (err) {
    if (err instanceof RecordBatchError) return err;
    throw err;
  }
  throw new Error("expected a RecordBatchError");
}

describe("readBatchHeader()", () => {
  it("reads every field of a hand-built 61-byte header", () => {
    expect(HEADER.length).toBe(61);
    expect(readBatchHeader(HEADER)).toEqual({
      baseOffset: 256n,
      batchLength: 49,
      partitionLeaderEpoch: 7,
      magic: 2,
      crc: 0x286fa546,
      attributes: {
        raw: 0x39,
        compression: Compression.Gzip,
        compressionName: "gzip",
        timestampType: TimestampType.LogAppendTime,
        isTransactional: true,
        isControl: true,
        hasDeleteHorizon: false,
      },
      lastOffsetDelta: 4,
      baseTimestamp: 1700000000000n,
      maxTimestamp: 1700000001000n,
      producerId: 12345n,
      producerEpoch: -2,
      baseSequence: 42,
      recordCount: 5,
    });
  });

  it("reads a batch at an offset inside a larger buffer", () => {
    const buffer = new Uint8Array(5 + HEADER.length + 3);
    buffer.set(HEADER, 5);
    expect(readBatchHeader(buffer, 5).baseOffset).toBe(256n);
  });

  it("reads the int64 fields as signed", () => {
    const bytes = withBytes(HEADER, { 0: 0x80, 43: 0xff, 44: 0xff, 45: 0xff, 46: 0xff, 47: 0xff, 48: 0xff, 49: 0xff, 50: 0xff });
    const header = readBatchHeader(bytes);
    expect(header.producerId).toBe(-1n);
    expect(header.baseOffset).toBe(-(2n ** 63n) + 256n);
  });

  it.each([
    { input: withBytes(HEADER, { 16: 0 }), code: "UNSUPPORTED_MAGIC", message: "message format v0 (magic 0) is not supported; only RecordBatch v2" },
    { input: withBytes(HEADER, { 16: 1 }), code: "UNSUPPORTED_MAGIC", message: "message format v1 (magic 1) is not supported; only RecordBatch v2" },
    { input: withBytes(HEADER, { 16: 3 }), code: "UNSUPPORTED_MAGIC", message: "unknown message format magic 3; only RecordBatch v2 (magic 2) is supported" },
    { input: HEADER.subarray(0, 16), code: "TRUNCATED", message: "record batch at byte 0 is truncated: 16 bytes, the header alone needs 17 to reach magic" },
    { input: HEADER.subarray(0, 60), code: "TRUNCATED", message: "record batch at byte 0 declares 61 bytes but only 60 remain" },
    { input: withBytes(HEADER, { 10: 0x03, 11: 0xe8 }), code: "TRUNCATED", message: "record batch at byte 0 declares 1012 bytes but only 61 remain" },
    { input: withBytes(HEADER, { 11: 48 }), code: "INVALID_LENGTH", message: "record batch at byte 0 has batchLength 48; a v2 batch needs at least 49" },
    { input: withBytes(HEADER, { 8: 0xff, 9: 0xff, 10: 0xff, 11: 0xff }), code: "INVALID_LENGTH", message: "record batch at byte 0 has batchLength -1; a v2 batch needs at least 49" },
    { input: withBytes(HEADER, { 22: 0x05 }), code: "UNSUPPORTED_COMPRESSION", message: "unknown compression codec id 5 in batch attributes" },
  ])("rejects $code: $message", ({ input, code, message }) => {
    const err = catchError(() => readBatchHeader(input));
    expect(err.code).toBe(code);
    expect(err.message).toBe(message);
  });

  it("rejects a real v0 message (14-byte minimum) as UNSUPPORTED_MAGIC, not INVALID_LENGTH", () => {
    // offset, size 17, crc, magic 0, attributes 0, key -1, value length 3, "abc"
    const v0 = Buffer.from("0000000000000000" + "00000011" + "12345678" + "00" + "00" + "ffffffff" + "00000003" + "616263", "hex");
    expect(catchError(() => readBatchHeader(v0)).code).toBe("UNSUPPORTED_MAGIC");
  });

  it("does not allocate a declared length that runs past the bytes", () => {
    const huge = withBytes(HEADER, { 8: 0x7f, 9: 0xff, 10: 0xff, 11: 0xff });
    expect(catchError(() => readBatchHeader(huge)).code).toBe("TRUNCATED");
  });

  it.each([-1, 62, 1.5])("rejects offset %s outside the bytes", (offset) => {
    expect(catchError(() => readBatchHeader(HEADER, offset)).code).toBe("INVALID_ARGUMENT");
  });
});

describe("decodeBatchAttributes()", () => {
  it.each([
    [0x00, Compression.None, TimestampType.CreateTime, false, false, false],
    [0x01, Compression.Gzip, TimestampType.CreateTime, false, false, false],
    [0x02, Compression.Snappy, TimestampType.CreateTime, false, false, false],
    [0x03, Compression.Lz4, TimestampType.CreateTime, false, false, false],
    [0x04, Compression.Zstd, TimestampType.CreateTime, false, false, false],
    [0x08, Compression.None, TimestampType.LogAppendTime, false, false, false],
    [0x10, Compression.None, TimestampType.CreateTime, true, false, false],
    [0x20, Compression.None, TimestampType.CreateTime, false, true, false],
    [0x40, Compression.None, TimestampType.CreateTime, false, false, true],
    [0x7c, Compression.Zstd, TimestampType.LogAppendTime, true, true, true],
  ])("decodes attributes %i", (raw, compression, timestampType, isTransactional, isControl, hasDeleteHorizon) => {
    expect(decodeBatchAttributes(raw)).toMatchObject({ raw, compression, timestampType, isTransactional, isControl, hasDeleteHorizon });
  });

  it.each([5, 6, 7])("rejects codec id %i", (id) => {
    expect(catchError(() => decodeBatchAttributes(id)).code).toBe("UNSUPPORTED_COMPRESSION");
  });
});
