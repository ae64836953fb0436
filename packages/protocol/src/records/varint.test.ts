import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readVarint, readVarlong, sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from "./varint.js";

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");

// Values and encodings from Kafka's ByteUtilsTest, plus the int64 edges and the 2^48 boundary
// where the implementation switches from doubles to bigints.
const VARINTS: [number, string][] = [
  [0, "00"],
  [-1, "01"],
  [1, "02"],
  [63, "7e"],
  [-64, "7f"],
  [64, "8001"],
  [-65, "8101"],
  [8191, "fe7f"],
  [-8192, "ff7f"],
  [8192, "808001"],
  [-8193, "818001"],
  [1048575, "feff7f"],
  [-1048576, "ffff7f"],
  [1048576, "80808001"],
  [-1048577, "81808001"],
  [134217727, "feffff7f"],
  [-134217728, "ffffff7f"],
  [134217728, "8080808001"],
  [-134217729, "8180808001"],
  [2147483647, "feffffff0f"],
  [-2147483648, "ffffffff0f"],
];

const VARLONGS: [bigint, string][] = [
  ...VARINTS.map(([n, h]): [bigint, string] => [BigInt(n), h]),
  [2n ** 48n - 1n, "feffffffffff7f"],
  [-(2n ** 48n), "ffffffffffff7f"],
  [2n ** 48n, "8080808080808001"],
  [-(2n ** 48n) - 1n, "8180808080808001"],
  [9223372036854775807n, "feffffffffffffffff01"],
  [-9223372036854775808n, "ffffffffffffffffff01"],
];

describe("writeVarint() / readVarint()", () => {
  it.each(VARINTS)("%i ⇄ %s", (value, expected) => {
    const out = new Uint8Array(5);
    const end = writeVarint(out, 0, value);
    expect(hex(out.subarray(0, end))).toBe(expected);
    expect(sizeOfVarint(value)).toBe(end);
    const cursor = { pos: 0 };
    expect(readVarint(Buffer.from(expected, "hex"), cursor, expected.length / 2)).toBe(value);
    expect(cursor.pos).toBe(expected.length / 2);
  });

  it("rejects a varint longer than 5 bytes", () => {
    const bytes = Buffer.from("ffffffffff01", "hex");
    expect(() => readVarint(bytes, { pos: 0 }, bytes.length)).toThrowError(
      expect.objectContaining({ code: "CORRUPT_RECORD", message: "varint is longer than 5 bytes" }),
    );
  });

  it("rejects a varint cut off by the end", () => {
    const bytes = Buffer.from("8080", "hex");
    expect(() => readVarint(bytes, { pos: 0 }, bytes.length)).toThrowError(
      expect.objectContaining({ code: "CORRUPT_RECORD", message: "varint runs past the end of the record data" }),
    );
  });

  it("round trips every int32", () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (value) => {
        const out = new Uint8Array(5);
        const end = writeVarint(out, 0, value);
        return sizeOfVarint(value) === end && readVarint(out, { pos: 0 }, end) === value;
      }),
    );
  });
});

describe("writeVarlong() / readVarlong()", () => {
  it.each(VARLONGS)("%s ⇄ %s", (value, expected) => {
    const out = new Uint8Array(10);
    const end = writeVarlong(out, 0, value);
    expect(hex(out.subarray(0, end))).toBe(expected);
    expect(sizeOfVarlong(value)).toBe(end);
    const cursor = { pos: 0 };
    expect(readVarlong(Buffer.from(expected, "hex"), cursor, expected.length / 2)).toBe(value);
    expect(cursor.pos).toBe(expected.length / 2);
  });

  it("rejects a varlong longer than 10 bytes", () => {
    const bytes = Buffer.from("ffffffffffffffffffff01", "hex");
    expect(() => readVarlong(bytes, { pos: 0 }, bytes.length)).toThrowError(
      expect.objectContaining({ code: "CORRUPT_RECORD", message: "varlong is longer than 10 bytes" }),
    );
  });

  it("round trips every int64", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (value) => {
        const out = new Uint8Array(10);
        const end = writeVarlong(out, 0, value);
        return sizeOfVarlong(value) === end && readVarlong(out, { pos: 0 }, end) === value;
      }),
    );
  });
});
