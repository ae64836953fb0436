import { describe, expect, it } from "vitest";
import { readBatchHeader } from "./batch-header.js";
import { verifyBatchCrc } from "./crc.js";
import { encodeBatch } from "./encode-batch.js";
import { splitBatches } from "./iterate-batches.js";
import { setBaseOffset, setPartitionLeaderEpoch } from "./patch-header.js";

function batch(baseOffset: bigint): Uint8Array {
  return encodeBatch({
    baseOffset,
    baseTimestamp: 1_700_000_000_000n,
    compression: "lz4",
    records: [{ value: new TextEncoder().encode("hello") }, { value: null }],
  });
}

describe("setBaseOffset()", () => {
  it("rewrites the offset in place and the CRC stays valid", () => {
    const bytes = batch(0n);
    const before = Uint8Array.from(bytes);
    setBaseOffset(bytes, 9_007_199_254_740_993n);
    expect(readBatchHeader(bytes).baseOffset).toBe(9_007_199_254_740_993n);
    expect(verifyBatchCrc(bytes)).toBe(true);
    expect(bytes.subarray(8)).toEqual(before.subarray(8));
  });

  it("writes through a subarray into the surrounding records field", () => {
    const records = new Uint8Array([...batch(0n), ...batch(2n)]);
    const [, second] = splitBatches(records).batches;
    setBaseOffset(second!.bytes, 1000n);
    const reread = splitBatches(records).batches.map((b) => b.header.baseOffset);
    expect(reread).toEqual([0n, 1000n]);
  });

  it.each([2n ** 63n, -(2n ** 63n) - 1n])("rejects %s, which is not an int64", (offset) => {
    expect(() => setBaseOffset(batch(0n), offset)).toThrowError(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });

  it("rejects bytes that are not a complete batch", () => {
    expect(() => setBaseOffset(batch(0n).subarray(0, 30), 1n)).toThrowError(expect.objectContaining({ code: "TRUNCATED" }));
  });
});

describe("setPartitionLeaderEpoch()", () => {
  it("rewrites the epoch in place and the CRC stays valid", () => {
    const bytes = batch(5n);
    setPartitionLeaderEpoch(bytes, 42);
    const header = readBatchHeader(bytes);
    expect(header.partitionLeaderEpoch).toBe(42);
    expect(header.baseOffset).toBe(5n);
    expect(verifyBatchCrc(bytes)).toBe(true);
  });

  it.each([2 ** 31, -(2 ** 31) - 1, 0.5])("rejects %s", (epoch) => {
    expect(() => setPartitionLeaderEpoch(batch(0n), epoch)).toThrowError(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });
});
