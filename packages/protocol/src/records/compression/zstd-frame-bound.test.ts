import { describe, expect, it } from "vitest";
import { decompressRecords } from "./codecs.js";
import { zstdCompress, zstdDecompress } from "./zstd.js";
import { zstdFramesBound } from "./zstd-frame-bound.js";
import { Compression } from "../attributes.js";

const hex = (s: string): Uint8Array => Buffer.from(s.replace(/\s+/g, ""), "hex");
const text = (s: string): string => Buffer.from(s).toString("hex");
const MAGIC = "28b52ffd";
/** Block header: size << 3 | type << 1 | last, 3 bytes little-endian. */
const block = (size: number, type: number, last: boolean): string =>
  Buffer.from([((size << 3) | (type << 1) | (last ? 1 : 0)) & 0xff, (size >> 5) & 0xff, (size >> 13) & 0xff]).toString("hex");

describe("zstdFramesBound()", () => {
  it("counts raw and RLE blocks exactly", () => {
    // Descriptor 0x00 + window descriptor 0x00 (1 KiB window): raw "hello", then RLE ×10.
    const frame = MAGIC + "00 00" + block(5, 0, false) + text("hello") + block(10, 1, true) + "61";
    expect(zstdFramesBound(hex(frame), 1 << 20)).toBe(15);
  });

  it("bounds a compressed block by min(window, 128 KiB), and a frame by its content size", () => {
    // window descriptor 0x38 → 2^17 = 128 KiB
    expect(zstdFramesBound(hex(MAGIC + "00 38" + block(3, 2, true) + "000000"), 1 << 20)).toBe(131072);
    // window descriptor 0x00 → 1 KiB
    expect(zstdFramesBound(hex(MAGIC + "00 00" + block(3, 2, true) + "000000"), 1 << 20)).toBe(1024);
    // single segment, 1-byte content size 7
    expect(zstdFramesBound(hex(MAGIC + "20 07" + block(3, 2, true) + "000000"), 1 << 20)).toBe(7);
  });

  it("returns early once RLE blocks add up past the limit", () => {
    const frame = MAGIC + "00 38" + block(131072, 1, false).concat("00").repeat(1000) + block(0, 0, true);
    expect(zstdFramesBound(hex(frame), 64 << 20)).toBe(513 * 131072);
  });

  it("returns a declared content size over the limit (8-byte field, 2^40)", () => {
    expect(zstdFramesBound(hex(MAGIC + "e0 0000000000010000" + block(0, 0, true)), 1 << 20)).toBe(2 ** 40);
  });

  it("steps over dictionary ids, checksums and skippable frames", () => {
    // descriptor 0x25: single segment, checksum, 1-byte dictionary id; FCS 1 byte.
    const frame = MAGIC + "25 aa 05" + block(5, 0, true) + text("hello") + "01020304";
    expect(zstdFramesBound(hex("5a2a4d18 02000000 ffff" + frame), 1 << 20)).toBe(5);
  });

  it.each([
    { name: "not a frame", input: "00112233", message: "not a zstd frame: magic 0x33221100 at byte 0" },
    { name: "a reserved block type", input: MAGIC + "00 00" + block(1, 3, true), message: "zstd block at byte 6 has the reserved block type" },
    { name: "a reserved descriptor bit", input: MAGIC + "08", message: "zstd frame header has the reserved bit set" },
    { name: "a cut-off block", input: MAGIC + "00 00" + block(5, 0, true) + "6869", message: "zstd raw block at byte 9 runs past the end (11 bytes)" },
  ])("rejects $name", ({ input, message }) => {
    expect(() => zstdFramesBound(hex(input), 1 << 20)).toThrowError(expect.objectContaining({ code: "CORRUPT_COMPRESSED_DATA", message }));
  });
});

describe("zstdDecompress()", () => {
  it("decodes hand-written raw and RLE blocks", () => {
    const frame = MAGIC + "00 00" + block(5, 0, false) + text("hello") + block(3, 1, true) + "21";
    expect(Buffer.from(zstdDecompress(hex(frame), 1 << 20)).toString()).toBe("hello!!!");
  });

  it("refuses a real zstd bomb (64 MiB + 1 of zeros) under the default-sized limit", () => {
    const bomb = zstdCompress(new Uint8Array((64 << 20) + 1));
    expect(bomb.length).toBeLessThan(10_000);
    expect(() => zstdDecompress(bomb, 64 << 20)).toThrowError(expect.objectContaining({ code: "DECOMPRESSED_TOO_LARGE" }));
  });

  it("fails a frame that produces more than its declared content size", () => {
    // Single segment, content size 4, but an RLE block of 1000 bytes.
    const frame = MAGIC + "20 04" + block(1000, 1, true) + "61";
    expect(() => decompressRecords(Compression.Zstd, hex(frame), 1 << 20)).toThrowError(
      expect.objectContaining({ code: "CORRUPT_COMPRESSED_DATA" }),
    );
  });
});
