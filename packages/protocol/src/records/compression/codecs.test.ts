import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { Compression } from "../attributes.js";
import { RecordBatchError } from "../errors.js";
import { compressRecords, decompressRecords } from "./codecs.js";

const hex = (s: string): Uint8Array => Buffer.from(s.replace(/\s+/g, ""), "hex");
const CODECS = [Compression.Gzip, Compression.Snappy, Compression.Lz4, Compression.Zstd];

function caught(fn: () => unknown): RecordBatchError {
  try {
    fn();
  } catch (err) {
    if (err instanceof RecordBatchError) return err;
    throw err;
  }
  throw new Error("expected a RecordBatchError");
}

describe("decompressRecords()", () => {
  it("passes uncompressed data through untouched", () => {
    const data = new Uint8Array([1, 2, 3]);
    expect(decompressRecords(Compression.None, data, 1)).toBe(data);
  });

  it.each(CODECS)("round trips codec %i", (codec) => {
    const data = new Uint8Array(100_000).map((_, i) => (i * 7) % 256);
    expect(Buffer.from(decompressRecords(codec, compressRecords(codec, data), 1 << 20)).equals(data)).toBe(true);
  });

  // The exact size passes and one byte less fails for the codecs that know the size up front.
  it.each([Compression.Gzip, Compression.Snappy])("puts the limit exactly at the decompressed size for codec %i", (codec) => {
    const data = new Uint8Array(300_000).fill(7);
    const compressed = compressRecords(codec, data);
    expect(decompressRecords(codec, compressed, 300_000)).toHaveLength(300_000);
    expect(caught(() => decompressRecords(codec, compressed, 299_999)).code).toBe("DECOMPRESSED_TOO_LARGE");
  });

  it("maps zlib's ERR_BUFFER_TOO_LARGE to DECOMPRESSED_TOO_LARGE, keeping the cause", () => {
    const err = caught(() => decompressRecords(Compression.Gzip, gzipSync(Buffer.alloc(2 << 20)), 1 << 20));
    expect(err.code).toBe("DECOMPRESSED_TOO_LARGE");
    expect(err.message).toBe("gzip payload decompresses past the 1048576-byte limit");
    expect((err.cause as { code?: string }).code).toBe("ERR_BUFFER_TOO_LARGE");
  });

  it.each([
    { codec: Compression.Gzip, input: "1f8b0800000000000003ffff", prefix: "gzip payload is corrupt: " },
    { codec: Compression.Snappy, input: "0610" + Buffer.from("hello").toString("hex"), prefix: "snappy payload is corrupt: " },
    { codec: Compression.Lz4, input: "04224d18604082" + "05000000" + "ffffffffff" + "00000000", prefix: "lz4 payload is corrupt: " },
    { codec: Compression.Zstd, input: "28b52ffd0000" + "150000" + "ffff", prefix: "zstd payload is corrupt: " },
  ])("maps a codec library's rejection to CORRUPT_COMPRESSED_DATA ($prefix…)", ({ codec, input, prefix }) => {
    const err = caught(() => decompressRecords(codec, hex(input), 1 << 20));
    expect(err.code).toBe("CORRUPT_COMPRESSED_DATA");
    expect(err.message.startsWith(prefix)).toBe(true);
    expect(err.cause).toBeInstanceOf(Error);
  });

  it("rejects codec ids beyond zstd", () => {
    expect(caught(() => decompressRecords(5 as Compression, new Uint8Array(1), 1)).code).toBe("UNSUPPORTED_COMPRESSION");
  });
});
