import { encodeBatch } from "@kafscale/protocol/records";
import { describe, expect, it } from "vitest";
import { StorageError } from "../errors.js";
import { concatBytes, fromHex, toHex } from "../test-support/hex.js";
import { decodeSegmentFooter, decodeSegmentHeader, encodeSegment, verifySegment } from "./segment-format.js";

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/*
 * Byte tables written out by hand from the reference design (all big-endian):
 * header = magic KAFS u32 | version u16 | flags u16 | base offset i64 | message count i32 | created ms i64 | reserved u32,
 * footer = CRC-32C(body) u32 | last offset i64 | magic END! u32.
 * 1700000000000 ms = 0x0000018BCFE56800. The body "123456789" has the standard
 * CRC-32C check value 0xE3069283 (RFC 3720, appendix B.4).
 */
const HEADER_42 = "4b414653 | 0001 | 0000 | 000000000000002a | 00000004 | 0000018bcfe56800 | 00000000";
const FOOTER_45 = "e3069283 | 000000000000002d | 454e4421";

describe("encodeSegment()", () => {
  it("writes header, body chunks unchanged, and footer byte for byte", () => {
    const body = [text("1234"), text("56789")];
    const chunks = encodeSegment({ baseOffset: 42n, lastOffset: 45n, messageCount: 4, createdAtMs: 1_700_000_000_000, batches: body });
    expect(chunks).toHaveLength(4);
    expect(chunks[1]).toBe(body[0]);
    expect(chunks[2]).toBe(body[1]);
    expect(toHex(chunks[0]!)).toBe(toHex(fromHex(HEADER_42)));
    expect(toHex(chunks[3]!)).toBe(toHex(fromHex(FOOTER_45)));
    expect(toHex(chunks)).toBe(toHex(fromHex(`${HEADER_42} 313233343536373839 ${FOOTER_45}`)));
  });

  it.each([
    [
      { baseOffset: 0n, lastOffset: 0n, messageCount: 1, createdAtMs: 0, batches: [] },
      "4b414653 0001 0000 0000000000000000 00000001 0000000000000000 00000000",
      "00000000 0000000000000000 454e4421",
    ],
    [
      { baseOffset: 0x0102030405060708n, lastOffset: 2n ** 63n - 1n, messageCount: 0x7fffffff, createdAtMs: 1_700_000_000_123, batches: [], flags: 0xbeef },
      "4b414653 0001 beef 0102030405060708 7fffffff 0000018bcfe5687b 00000000",
      "00000000 7fffffffffffffff 454e4421",
    ],
  ])("encodes the fields of %o", (input, header, footer) => {
    const chunks = encodeSegment(input);
    expect(toHex(chunks[0]!)).toBe(toHex(fromHex(header)));
    expect(toHex(chunks.at(-1)!)).toBe(toHex(fromHex(footer)));
  });

  it.each([
    [{ baseOffset: 2n ** 63n, lastOffset: 0n, messageCount: 1, createdAtMs: 0, batches: [] }, "baseOffset"],
    [{ baseOffset: 0n, lastOffset: 0n, messageCount: -1, createdAtMs: 0, batches: [] }, "messageCount"],
    [{ baseOffset: 0n, lastOffset: 0n, messageCount: 1, createdAtMs: 1.5, batches: [] }, "createdAtMs"],
    [{ baseOffset: 0n, lastOffset: 0n, messageCount: 1, createdAtMs: 0, batches: [], flags: 0x10000 }, "flags"],
  ])("refuses %o (bad %s) with INVALID_ARGUMENT", (input, field) => {
    expect(() => encodeSegment(input)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT", message: expect.stringContaining(field) }));
  });
});

describe("decodeSegmentHeader() / decodeSegmentFooter()", () => {
  it("read the hand-written tables back", () => {
    const segment = fromHex(`${HEADER_42} 313233343536373839 ${FOOTER_45}`);
    expect(decodeSegmentHeader(segment)).toEqual({
      version: 1,
      flags: 0,
      baseOffset: 42n,
      messageCount: 4,
      createdAtMs: 1_700_000_000_000,
      reserved: 0,
    });
    expect(decodeSegmentFooter(segment)).toEqual({ bodyCrc: 0xe3069283, lastOffset: 45n });
    expect(decodeSegmentFooter(fromHex(FOOTER_45))).toEqual({ bodyCrc: 0xe3069283, lastOffset: 45n });
  });

  it.each([
    ["4b414653 0001 0000", "needs 32 bytes, got 8"],
    ["4b414654 0001 0000 000000000000002a 00000004 0000018bcfe56800 00000000", 'magic is 0x4b414654, not 0x4b414653 ("KAFS")'],
    ["4b414653 0002 0000 000000000000002a 00000004 0000018bcfe56800 00000000", "segment version 2 is not supported (only 1)"],
  ])("refuses the header %s with CORRUPT_SEGMENT (%s)", (hex, message) => {
    expect(() => decodeSegmentHeader(fromHex(hex))).toThrow(expect.objectContaining({ code: "CORRUPT_SEGMENT", message: expect.stringContaining(message) }));
  });

  it.each([
    ["e3069283 000000000000002d 454e44", "needs 16 bytes, got 15"],
    ["e3069283 000000000000002d 454e4420", 'magic is 0x454e4420, not 0x454e4421 ("END!")'],
  ])("refuses the footer %s with CORRUPT_SEGMENT (%s)", (hex, message) => {
    expect(() => decodeSegmentFooter(fromHex(hex))).toThrow(expect.objectContaining({ code: "CORRUPT_SEGMENT", message: expect.stringContaining(message) }));
  });
});

describe("verifySegment()", () => {
  const batchA = encodeBatch({ baseOffset: 100n, baseTimestamp: 1000n, records: [{ value: text("a") }, { value: text("b") }] });
  const batchB = encodeBatch({ baseOffset: 102n, baseTimestamp: 1001n, records: [{ value: text("c") }] });
  const good = { baseOffset: 100n, lastOffset: 102n, messageCount: 3, createdAtMs: 5, batches: [batchA, batchB] };

  it("accepts a well-formed segment and returns its parts", () => {
    const bytes = concatBytes(encodeSegment(good));
    const verified = verifySegment(bytes);
    expect(verified.header.baseOffset).toBe(100n);
    expect(verified.footer.lastOffset).toBe(102n);
    expect(toHex(verified.body)).toBe(toHex([batchA, batchB]));
    expect(bytes.length).toBe(32 + batchA.length + batchB.length + 16);
  });

  const cases: [string, () => Uint8Array, string][] = [
    ["too short", () => new Uint8Array(47), "shorter than header and footer (48)"],
    [
      "a flipped body bit",
      () => {
        const b = concatBytes(encodeSegment(good));
        b[32 + 70]! ^= 1;
        return b;
      },
      "segment body CRC-32C is",
    ],
    ["a partial last batch", () => concatBytes(encodeSegment({ ...good, batches: [batchA, batchB.subarray(0, 40)] })), "ends with a partial batch at byte"],
    ["a wrong base offset", () => concatBytes(encodeSegment({ ...good, baseOffset: 99n })), "first batch starts at 100, the header says 99"],
    ["a wrong last offset", () => concatBytes(encodeSegment({ ...good, lastOffset: 103n })), "last batch ends at 102, the footer says 103"],
    ["a wrong message count", () => concatBytes(encodeSegment({ ...good, messageCount: 4 })), "body holds 3 records, the header says 4"],
    ["batches out of order", () => concatBytes(encodeSegment({ ...good, baseOffset: 102n, lastOffset: 101n, batches: [batchB, batchA] })), "starts at offset 100, not after 102"],
    ["a magic-1 batch", () => {
      const bad = batchA.slice();
      bad[16] = 1;
      return concatBytes(encodeSegment({ ...good, batches: [bad, batchB] }));
    }, "segment body holds a bad batch"],
  ];
  it.each(cases)("refuses %s with CORRUPT_SEGMENT", (_name, make, message) => {
    let err: unknown;
    try {
      verifySegment(make());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StorageError);
    expect(err).toMatchObject({ code: "CORRUPT_SEGMENT", message: expect.stringContaining(message) });
  });
});
