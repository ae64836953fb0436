import { describe, expect, it } from "vitest";
import { assertBatchCrc, computeBatchCrc, crc32c, verifyBatchCrc } from "./crc.js";
import { encodeBatch } from "./encode-batch.js";
import { RecordBatchError } from "./errors.js";

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

function smallBatch(): Uint8Array {
  return encodeBatch({
    baseOffset: 10n,
    baseTimestamp: 1_700_000_000_000n,
    records: [
      { key: text("k"), value: text("v"), headers: [{ key: "h", value: text("x") }] },
      { key: null, value: null, timestampDelta: 3n },
    ],
  });
}

describe("crc32c()", () => {
  // The CRC-32C check value and the iSCSI vectors of RFC 3720 B.4.
  it.each([
    ["'123456789'", text("123456789"), 0xe3069283],
    ["32 zero bytes", new Uint8Array(32), 0x8a9136aa],
    ["32 0xff bytes", new Uint8Array(32).fill(0xff), 0x62a8ab43],
    ["bytes 0..31", Uint8Array.from({ length: 32 }, (_, i) => i), 0x46dd794e],
    ["nothing", new Uint8Array(0), 0],
  ])("of %s", (_, input, expected) => {
    expect(crc32c(input)).toBe(expected);
  });

  it("covers exactly the bytes of a subarray", () => {
    const buffer = text("xx123456789yy");
    expect(crc32c(buffer.subarray(2, 11))).toBe(0xe3069283);
  });
});

describe("verifyBatchCrc()", () => {
  it("accepts a freshly encoded batch", () => {
    expect(verifyBatchCrc(smallBatch())).toBe(true);
  });

  it("detects every single flipped bit from the CRC field to the end", () => {
    const batch = smallBatch();
    for (let byte = 17; byte < batch.length; byte++) {
      for (let bit = 0; bit < 8; bit++) {
        batch[byte]! ^= 1 << bit;
        expect(verifyBatchCrc(batch), `byte ${byte} bit ${bit}`).toBe(false);
        batch[byte]! ^= 1 << bit;
      }
    }
    expect(verifyBatchCrc(batch)).toBe(true);
  });

  it("ignores changes to baseOffset and partitionLeaderEpoch, which the CRC does not cover", () => {
    const batch = smallBatch();
    batch[3] ^= 0xff;
    batch[14] ^= 0xff;
    expect(verifyBatchCrc(batch)).toBe(true);
  });

  it("throws TRUNCATED for an incomplete batch", () => {
    expect(() => verifyBatchCrc(smallBatch().subarray(0, 40))).toThrowError(
      expect.objectContaining({ code: "TRUNCATED" }),
    );
  });
});

describe("assertBatchCrc()", () => {
  it("throws CRC_MISMATCH naming both values", () => {
    const batch = smallBatch();
    const good = computeBatchCrc(batch);
    batch[batch.length - 1]! ^= 1;
    const bad = computeBatchCrc(batch);
    const hex = (n: number): string => n.toString(16).padStart(8, "0");
    expect(() => assertBatchCrc(batch)).toThrowError(
      new RecordBatchError("CRC_MISMATCH", `record batch CRC mismatch: stored 0x${hex(good)}, computed 0x${hex(bad)}`),
    );
  });
});
