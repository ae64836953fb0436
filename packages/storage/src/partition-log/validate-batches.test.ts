import { computeBatchCrc, encodeBatch } from "@kafscale/protocol/records";
import { describe, expect, it } from "vitest";
import { StorageError } from "../errors.js";
import { kafkaErrorCodeFor } from "../kafka-error-code.js";
import { concatBatches, makeBatch } from "../test-support/batches.js";
import { validateProducedRecords } from "./validate-batches.js";

/** A batch with header fields changed and its CRC recomputed (a well-formed but unacceptable batch). */
function patched(batch: Uint8Array, patch: (view: DataView) => void): Uint8Array {
  const copy = batch.slice();
  const view = new DataView(copy.buffer);
  patch(view);
  view.setUint32(17, computeBatchCrc(copy));
  return copy;
}

/** A batch with header fields changed and the CRC left alone (for fields checked before the CRC). */
function raw(batch: Uint8Array, patch: (view: DataView) => void): Uint8Array {
  const copy = batch.slice();
  patch(new DataView(copy.buffer));
  return copy;
}

const one = makeBatch({ records: 2 });
const N = one.length;

describe("validateProducedRecords()", () => {
  it("splits valid batches without copying them", () => {
    const records = concatBatches([makeBatch({ records: 3, timestamps: [5, 9, 7] }), makeBatch(), makeBatch({ compression: "zstd" })]);
    const batches = validateProducedRecords(records);
    expect(batches.map((b) => [b.lastOffsetDelta, b.recordCount, b.maxTimestamp])).toEqual([
      [2, 3, 9n],
      [0, 1, 1000n],
      [0, 1, 1000n],
    ]);
    expect(batches[0]!.bytes.buffer).toBe(records.buffer);
    expect(batches.reduce((n, b) => n + b.bytes.length, 0)).toBe(records.length);
  });

  it("accepts an idempotent producer's batch", () => {
    const batch = encodeBatch({ baseOffset: 0n, baseTimestamp: 1n, records: [{ value: null }], producerId: 5n, producerEpoch: 0, baseSequence: 0 });
    expect(validateProducedRecords(batch)).toHaveLength(1);
  });

  const cases: { name: string; records: () => Uint8Array; code: string; kafka: number; message: string }[] = [
    { name: "nothing", records: () => new Uint8Array(0), code: "INVALID_RECORD", kafka: 87, message: "the produce request holds no record batch for this partition" },
    {
      name: "16 bytes",
      records: () => one.subarray(0, 16),
      code: "CORRUPT_MESSAGE",
      kafka: 2,
      message: "record batch at byte 0 is truncated: 16 bytes do not reach the magic byte",
    },
    {
      name: "magic 0",
      records: () => raw(one, (v) => v.setInt8(16, 0)),
      code: "UNSUPPORTED_MESSAGE_FORMAT",
      kafka: 43,
      message: "record batch at byte 0 uses message format v0 (magic 0); only RecordBatch v2 is accepted",
    },
    {
      name: "magic 1 in the second batch",
      records: () => concatBatches([one, raw(one, (v) => v.setInt8(16, 1))]),
      code: "UNSUPPORTED_MESSAGE_FORMAT",
      kafka: 43,
      message: `record batch at byte ${N} uses message format v1 (magic 1); only RecordBatch v2 is accepted`,
    },
    {
      name: "magic 3",
      records: () => raw(one, (v) => v.setInt8(16, 3)),
      code: "CORRUPT_MESSAGE",
      kafka: 2,
      message: "record batch at byte 0 has unknown magic 3",
    },
    {
      name: "a header cut at 40 bytes",
      records: () => one.subarray(0, 40),
      code: "CORRUPT_MESSAGE",
      kafka: 2,
      message: "record batch at byte 0 is truncated: 40 bytes, a v2 header needs 61",
    },
    {
      name: "a batchLength below the v2 minimum",
      records: () => raw(one, (v) => v.setInt32(8, 10)),
      code: "CORRUPT_MESSAGE",
      kafka: 2,
      message: "record batch at byte 0 declares 22 bytes, less than a v2 header",
    },
    {
      name: "a batch cut short",
      records: () => concatBatches([one, one.subarray(0, N - 1)]),
      code: "CORRUPT_MESSAGE",
      kafka: 2,
      message: `record batch at byte ${N} declares ${N} bytes but only ${N - 1} remain`,
    },
    {
      name: "trailing bytes",
      records: () => concatBatches([one, new Uint8Array(5)]),
      code: "CORRUPT_MESSAGE",
      kafka: 2,
      message: `record batch at byte ${N} is truncated: 5 bytes do not reach the magic byte`,
    },
    {
      name: "a CRC mismatch",
      records: () => {
        const bad = one.slice();
        bad[N - 3]! ^= 0x01;
        return bad;
      },
      code: "CORRUPT_MESSAGE",
      kafka: 2,
      message: "record batch at byte 0 fails its CRC-32C check",
    },
    {
      name: "compression codec 5",
      records: () => patched(one, (v) => v.setInt16(21, 5)),
      code: "UNSUPPORTED_COMPRESSION",
      kafka: 76,
      message: "record batch at byte 0: unknown compression codec id 5 in batch attributes",
    },
    {
      name: "a zero record count",
      records: () => patched(one, (v) => v.setInt32(57, 0)),
      code: "INVALID_RECORD",
      kafka: 87,
      message: "record batch at byte 0: record count 0 is not positive",
    },
    {
      name: "lastOffsetDelta ≠ count - 1",
      records: () => patched(one, (v) => v.setInt32(23, 5)),
      code: "INVALID_RECORD",
      kafka: 87,
      message: "record batch at byte 0: lastOffsetDelta 5 does not match record count 2",
    },
    {
      name: "a control batch",
      records: () => encodeBatch({ baseOffset: 0n, baseTimestamp: 1n, records: [{ value: null }], isControl: true }),
      code: "INVALID_RECORD",
      kafka: 87,
      message: "record batch at byte 0: clients may not write control batches",
    },
    {
      name: "a producer id without sequence",
      records: () => encodeBatch({ baseOffset: 0n, baseTimestamp: 1n, records: [{ value: null }], producerId: 5n, baseSequence: -1 }),
      code: "INVALID_RECORD",
      kafka: 87,
      message: "record batch at byte 0: producer id 5 comes with an invalid base sequence -1",
    },
  ];

  it.each(cases)("refuses $name with $code", ({ records, code, kafka, message }) => {
    let err: unknown;
    try {
      validateProducedRecords(records());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StorageError);
    expect({ code: (err as StorageError).code, message: (err as StorageError).message }).toEqual({ code, message });
    expect(kafkaErrorCodeFor(err)).toBe(kafka);
  });
});
