import { compressSync } from "snappy";
import { describe, expect, it } from "vitest";
import { isXerialFramed, snappyCompress, snappyDecompress } from "./snappy.js";

const hex = (s: string): Uint8Array => Buffer.from(s.replace(/\s+/g, ""), "hex");
const text = (s: string): string => Buffer.from(s).toString("hex");
const LIMIT = 1 << 20;

/** The 16-byte header snappy-java's SnappyOutputStream writes: magic, version 1, compatible 1. */
const XERIAL_HEADER = "82 534e4150505900 00000001 00000001";
/** A raw snappy block written by hand: length 5, literal tag (5-1)<<2, "hello". */
const RAW_HELLO = "05 10" + text("hello");
/** length 6, literal tag (6-1)<<2, " world". */
const RAW_WORLD = "06 14" + text(" world");

describe("snappyDecompress()", () => {
  it("reads a hand-written raw block", () => {
    expect(Buffer.from(snappyDecompress(hex(RAW_HELLO), LIMIT)).toString()).toBe("hello");
  });

  it("reads a hand-written xerial stream of two chunks", () => {
    const stream = hex(XERIAL_HEADER + "00000007" + RAW_HELLO + "00000008" + RAW_WORLD);
    expect(isXerialFramed(stream)).toBe(true);
    expect(Buffer.from(snappyDecompress(stream, LIMIT)).toString()).toBe("hello world");
  });

  it("reads a xerial stream with only the header as empty", () => {
    expect(snappyDecompress(hex(XERIAL_HEADER), LIMIT)).toEqual(new Uint8Array(0));
  });

  it("reads xerial chunks produced by the snappy library", () => {
    const data = Buffer.from("abcdefgh".repeat(10_000));
    const chunks = [data.subarray(0, 32768), data.subarray(32768)].map((c) => compressSync(c));
    const length = (n: number): string => n.toString(16).padStart(8, "0");
    const stream = hex(XERIAL_HEADER + chunks.map((c) => length(c.length) + c.toString("hex")).join(""));
    expect(Buffer.from(snappyDecompress(stream, LIMIT)).equals(data)).toBe(true);
  });

  it.each([
    { name: "a cut-off chunk length", input: XERIAL_HEADER + "0000", message: "xerial snappy chunk length at byte 16 is cut off" },
    { name: "a chunk longer than the rest", input: XERIAL_HEADER + "00000009" + RAW_HELLO, message: "xerial snappy chunk at byte 16 declares 9 bytes but 7 remain" },
    { name: "a short header", input: "82534e4150505900 0000", message: "xerial snappy header is 10 bytes, expected 16" },
    { name: "a bad length preamble", input: "ffffffffff", message: "snappy block does not start with a valid uncompressed length" },
  ])("rejects $name as CORRUPT_COMPRESSED_DATA", ({ input, message }) => {
    expect(() => snappyDecompress(hex(input), LIMIT)).toThrowError(expect.objectContaining({ code: "CORRUPT_COMPRESSED_DATA", message }));
  });

  it("refuses a block whose preamble exceeds the limit before allocating", () => {
    // Preamble 0xffffffff (4 GiB) followed by nothing.
    expect(() => snappyDecompress(hex("ffffffff0f"), LIMIT)).toThrowError(
      expect.objectContaining({ code: "DECOMPRESSED_TOO_LARGE" }),
    );
  });

  it("refuses xerial chunks that add up past the limit", () => {
    const block = compressSync(Buffer.alloc(600_000));
    const length = block.length.toString(16).padStart(8, "0");
    const stream = hex(XERIAL_HEADER + (length + block.toString("hex")).repeat(2));
    expect(snappyDecompress(stream, 1_200_000)).toHaveLength(1_200_000);
    expect(() => snappyDecompress(stream, 1_199_999)).toThrowError(
      expect.objectContaining({ code: "DECOMPRESSED_TOO_LARGE", message: "snappy payload decompresses to at least 1200000 bytes, over the 1199999-byte limit" }),
    );
  });
});

describe("snappyCompress()", () => {
  it("writes xerial chunks of 32 KiB input each", () => {
    const data = new Uint8Array(70_000).map((_, i) => i % 251);
    const stream = snappyCompress(data, "xerial");
    const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
    let chunks = 0;
    for (let pos = 16; pos < stream.length; pos += 4 + view.getInt32(pos)) chunks++;
    expect(chunks).toBe(3);
    expect(snappyDecompress(stream, LIMIT)).toEqual(data);
  });
});
