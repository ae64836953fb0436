import { describe, expect, it } from "vitest";
import { lz4Compress, lz4Decompress } from "./lz4.js";
import { lz4FramesBound } from "./lz4-frame-bound.js";

const hex = (s: string): Uint8Array => Buffer.from(s.replace(/\s+/g, ""), "hex");
const text = (s: string): string => Buffer.from(s).toString("hex");

/** magic, FLG 0x60 (v01, independent blocks), BD 0x40 (64 KiB), header checksum 0x82. */
const FRAME_HEADER = "04224d18 60 40 82";
/** One stored (uncompressed) block holding "hello", then the end mark. */
const STORED_HELLO = FRAME_HEADER + "05000080" + text("hello") + "00000000";

describe("lz4FramesBound()", () => {
  it("counts a stored block exactly", () => {
    expect(lz4FramesBound(hex(STORED_HELLO), 1 << 20)).toBe(5);
  });

  it("bounds a compressed block by min(256 × size, block maximum)", () => {
    expect(lz4FramesBound(hex(FRAME_HEADER + "0a000000" + "00".repeat(10) + "00000000"), 1 << 20)).toBe(2560);
    expect(lz4FramesBound(hex(FRAME_HEADER + "00040000" + "00".repeat(1024) + "00000000"), 1 << 20)).toBe(65536);
  });

  it("steps over block and content checksums and skippable frames", () => {
    // FLG 0x74: v01, independent, block checksum, content checksum.
    const frame = "04224d18 74 40 00" + "05000080" + text("hello") + "11111111" + "00000000" + "22222222";
    const skippable = "502a4d18 03000000 aabbcc";
    expect(lz4FramesBound(hex(skippable + frame + frame), 1 << 20)).toBe(10);
  });

  it("returns the declared content size when it is over the limit", () => {
    // FLG 0x68: content size present (2^40).
    expect(lz4FramesBound(hex("04224d18 68 40 0000000000010000 00" + "00000000"), 1 << 20)).toBe(2 ** 40);
  });

  it.each([
    { name: "not a frame", input: "00112233", message: "not an LZ4 frame: magic 0x33221100 at byte 0" },
    { name: "a cut-off block", input: FRAME_HEADER + "05000080" + text("hel"), message: "lz4 block at byte 11 runs past the end (14 bytes)" },
    { name: "a missing end mark", input: FRAME_HEADER + "05000080" + text("hello"), message: "lz4 block size at byte 16 runs past the end (16 bytes)" },
    { name: "a bad version", input: "04224d18 a0 40 00 00000000", message: "unsupported LZ4 frame version 2" },
    { name: "a block bigger than the block size", input: FRAME_HEADER + "01000100", message: "LZ4 block of 65537 bytes exceeds the frame's 65536-byte block size" },
  ])("rejects $name", ({ input, message }) => {
    expect(() => lz4FramesBound(hex(input), 1 << 20)).toThrowError(expect.objectContaining({ code: "CORRUPT_COMPRESSED_DATA", message }));
  });
});

describe("lz4Decompress()", () => {
  it("decodes a hand-written frame", () => {
    expect(Buffer.from(lz4Decompress(hex(STORED_HELLO), 1 << 20)).toString()).toBe("hello");
  });

  it("refuses a frame whose bound is over the limit without decompressing", () => {
    const frame = lz4Compress(new Uint8Array(4 << 20));
    expect(lz4Decompress(frame, 4 << 20)).toHaveLength(4 << 20);
    expect(() => lz4Decompress(frame, 1 << 20)).toThrowError(expect.objectContaining({ code: "DECOMPRESSED_TOO_LARGE" }));
  });
});
