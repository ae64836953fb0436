import { describe, expect, it } from "vitest";
import { encodeBatch } from "./encode-batch.js";
import { iterateBatches, splitBatches } from "./iterate-batches.js";

function batch(baseOffset: bigint, count: number): Uint8Array {
  return encodeBatch({
    baseOffset,
    baseTimestamp: 0n,
    records: Array.from({ length: count }, (_, i) => ({ value: new TextEncoder().encode(`value ${i}`) })),
  });
}

const A = batch(0n, 1);
const B = batch(1n, 3);
const C = batch(4n, 2);
const concat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

describe("splitBatches()", () => {
  it("walks concatenated batches and returns subarrays of the input", () => {
    const records = concat(A, B, C);
    const { batches, partial } = splitBatches(records);
    expect(partial).toBeNull();
    expect(batches.map((b) => [b.position, b.header.baseOffset, b.header.recordCount])).toEqual([
      [0, 0n, 1],
      [A.length, 1n, 3],
      [A.length + B.length, 4n, 2],
    ]);
    for (const b of batches) {
      expect(b.bytes.buffer).toBe(records.buffer);
      expect(b.bytes.byteOffset).toBe(records.byteOffset + b.position);
    }
    expect(batches[1]!.bytes).toEqual(B);
  });

  it("returns nothing for an empty records field", () => {
    expect(splitBatches(new Uint8Array(0))).toEqual({ batches: [], partial: null });
  });

  // A fetch response may be cut anywhere inside its last batch.
  it.each([
    { cut: 1, declaredSize: null, baseOffset: null },
    { cut: 8, declaredSize: null, baseOffset: 4n },
    { cut: 12, declaredSize: C.length, baseOffset: 4n },
    { cut: 17, declaredSize: C.length, baseOffset: 4n },
    { cut: 61, declaredSize: C.length, baseOffset: 4n },
    { cut: C.length - 1, declaredSize: C.length, baseOffset: 4n },
  ])("reports a trailing batch cut after $cut bytes as partial, without throwing", ({ cut, declaredSize, baseOffset }) => {
    const records = concat(A, B, C.subarray(0, cut));
    const { batches, partial } = splitBatches(records);
    expect(batches).toHaveLength(2);
    expect(partial).toEqual({
      position: A.length + B.length,
      bytes: C.subarray(0, cut),
      declaredSize,
      baseOffset,
    });
  });

  it("throws UNSUPPORTED_MAGIC when a v1 message follows a v2 batch", () => {
    const v1 = Uint8Array.from(A);
    v1[16] = 1;
    expect(() => splitBatches(concat(A, v1))).toThrowError(
      expect.objectContaining({ code: "UNSUPPORTED_MAGIC", message: "message format v1 (magic 1) is not supported; only RecordBatch v2" }),
    );
  });
});

describe("iterateBatches()", () => {
  it("yields only complete batches; the partial tail is the return value", () => {
    const records = concat(A, B.subarray(0, 30));
    const iterator = iterateBatches(records);
    const first = iterator.next();
    expect(first.done).toBe(false);
    const last = iterator.next();
    expect(last.done).toBe(true);
    expect(last.value).toMatchObject({ position: A.length, declaredSize: B.length, baseOffset: 1n });
    expect([...iterateBatches(records)]).toHaveLength(1);
  });
});
