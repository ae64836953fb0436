import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "../test-support/hex.js";
import { buildIndexEntries } from "./index-builder.js";
import { decodeIndex, encodeIndex, lookupIndex, type SegmentIndex } from "./index-format.js";

/*
 * Hand-written from the reference design: header = "IDX\0" | version u16 | entry count i32 | interval i32 | reserved u16
 * (4 + 2 + 4 + 4 + 2 = 16 bytes), then entries of offset i64 | position i32. 42 = 0x2a, 44 = 0x2c, 200 = 0xc8, 32 = 0x20.
 */
const tables: [string, SegmentIndex, string][] = [
  ["no entries", { interval: 1, entries: [] }, "49445800 0001 00000000 00000001 0000"],
  [
    "two entries",
    { interval: 2, entries: [{ offset: 42n, position: 32 }, { offset: 44n, position: 200 }] },
    "49445800 0001 00000002 00000002 0000 | 000000000000002a 00000020 | 000000000000002c 000000c8",
  ],
  [
    "extreme values",
    { interval: 0x7fffffff, entries: [{ offset: 0x0102030405060708n, position: 0x7fffffff }] },
    "49445800 0001 00000001 7fffffff 0000 | 0102030405060708 7fffffff",
  ],
];

describe("encodeIndex()", () => {
  it.each(tables)("writes %s byte for byte", (_name, index, hex) => {
    expect(toHex(encodeIndex(index))).toBe(toHex(fromHex(hex)));
  });

  it.each([
    [{ interval: 0, entries: [] }, "index interval 0 is not a positive int32"],
    [{ interval: 1, entries: [{ offset: 1n, position: 31 }] }, "position 31 is not an int32 ≥ 32"],
    [{ interval: 1, entries: [{ offset: 5n, position: 32 }, { offset: 5n, position: 40 }] }, "does not follow (5 @ 32)"],
    [{ interval: 1, entries: [{ offset: 5n, position: 40 }, { offset: 6n, position: 40 }] }, "does not follow (5 @ 40)"],
  ])("refuses %o with INVALID_ARGUMENT", (index, message) => {
    expect(() => encodeIndex(index)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT", message: expect.stringContaining(message) }));
  });
});

describe("decodeIndex()", () => {
  it.each(tables)("reads %s back", (_name, index, hex) => {
    expect(decodeIndex(fromHex(hex))).toEqual(index);
  });

  it.each([
    ["49445800 0001 0000", "needs a 16-byte header, got 8 bytes"],
    ["49445801 0001 00000000 00000001 0000", "index magic is 0x49445801"],
    ["49445800 0002 00000000 00000001 0000", "index version 2 is not supported"],
    ["49445800 0001 00000000 00000000 0000", "index interval 0 is not a positive int32"],
    ["49445800 0001 00000001 00000001 0000", "declares 1 entries (28 bytes) but has 16 bytes"],
    ["49445800 0001 00000000 00000001 0000 | 000000000000002a 00000020", "declares 0 entries (16 bytes) but has 28 bytes"],
    ["49445800 0001 ffffffff 00000001 0000", "declares -1 entries"],
    ["49445800 0001 00000001 00000001 0000 | 000000000000002a 00000000", "position 0 is not an int32 ≥ 32"],
  ])("refuses %s with CORRUPT_INDEX", (hex, message) => {
    expect(() => decodeIndex(fromHex(hex))).toThrow(expect.objectContaining({ code: "CORRUPT_INDEX", message: expect.stringContaining(message) }));
  });
});

describe("lookupIndex()", () => {
  const entries = [
    { offset: 10n, position: 32 },
    { offset: 20n, position: 100 },
    { offset: 30n, position: 180 },
  ];
  it.each([
    [9n, null, 10n],
    [10n, 10n, 20n],
    [15n, 10n, 20n],
    [20n, 20n, 30n],
    [29n, 20n, 30n],
    [30n, 30n, null],
    [1000n, 30n, null],
  ])("finds the entries around offset %s", (offset, floor, next) => {
    const found = lookupIndex(entries, offset);
    expect(found.floor?.offset ?? null).toBe(floor);
    expect(found.next?.offset ?? null).toBe(next);
  });

  it("handles an empty index", () => {
    expect(lookupIndex([], 5n)).toEqual({ floor: null, next: null });
  });
});

describe("buildIndexEntries()", () => {
  const batch = (baseOffset: bigint, count: number, size: number) => ({ baseOffset, lastOffset: baseOffset + BigInt(count - 1), size });

  it("indexes the first batch, then the first batch after every N messages", () => {
    const batches = [batch(0n, 1, 100), batch(1n, 1, 100), batch(2n, 1, 100), batch(3n, 1, 100), batch(4n, 1, 100)];
    expect(buildIndexEntries(batches, 2)).toEqual([
      { offset: 0n, position: 32 },
      { offset: 2n, position: 232 },
      { offset: 4n, position: 432 },
    ]);
    expect(buildIndexEntries(batches, 1)).toHaveLength(5);
    expect(buildIndexEntries(batches, 100)).toEqual([{ offset: 0n, position: 32 }]);
  });

  it("counts messages by offsets, so a big batch triggers the next entry at once", () => {
    // since last entry: 7 → 5 messages, 12 → entry (5 ≥ 3), 13 → 1, 14 → 2 (no entry), 17 → 5 → entry.
    expect(buildIndexEntries([batch(7n, 5, 300), batch(12n, 1, 70), batch(13n, 1, 70), batch(14n, 3, 90), batch(17n, 1, 60)], 3)).toEqual([
      { offset: 7n, position: 32 },
      { offset: 12n, position: 332 },
      { offset: 17n, position: 562 },
    ]);
  });

  it("returns nothing for no batches and refuses a zero interval", () => {
    expect(buildIndexEntries([], 4)).toEqual([]);
    expect(() => buildIndexEntries([], 0)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });
});
