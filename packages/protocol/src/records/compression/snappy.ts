import { Buffer } from "node:buffer";
import { compressSync, uncompressSync } from "snappy";
import { RecordBatchError } from "../errors.js";
import { asBuffer } from "./as-buffer.js";

/*
 * Kafka readers must accept two snappy layouts:
 * - raw: one snappy block (varint uncompressed length, then the block) —
 *   what librdkafka writes;
 * - xerial: the snappy-java SnappyOutputStream stream the Java client writes:
 *   magic 0x82 "SNAPPY" 0x00, int32 version, int32 min-compatible version
 *   (16 bytes), then chunks of [int32 big-endian length][raw snappy block].
 * Java's SnappyInputStream reads raw input too, so raw is the default to write.
 */

export type SnappyFraming = "raw" | "xerial";

const XERIAL_MAGIC = Uint8Array.of(0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00);
const XERIAL_HEADER_SIZE = 16;
const XERIAL_VERSION = 1;
const XERIAL_MIN_COMPATIBLE_VERSION = 1;
/** snappy-java's default block size. */
const XERIAL_BLOCK_SIZE = 32 * 1024;

export function isXerialFramed(data: Uint8Array): boolean {
  return data.length >= XERIAL_MAGIC.length && XERIAL_MAGIC.every((b, i) => data[i] === b);
}

export function snappyCompress(data: Uint8Array, framing: SnappyFraming = "raw"): Uint8Array {
  if (framing === "raw") return compressSync(data);
  const chunks: Uint8Array[] = [xerialHeader()];
  for (let start = 0; start < data.length; start += XERIAL_BLOCK_SIZE) {
    const block = compressSync(data.subarray(start, start + XERIAL_BLOCK_SIZE));
    const length = new Uint8Array(4);
    new DataView(length.buffer).setInt32(0, block.length);
    chunks.push(length, block);
  }
  return Buffer.concat(chunks);
}

/** Sizes every block from its length preamble first, so nothing past `maxBytes` is allocated. */
export function snappyDecompress(data: Uint8Array, maxBytes: number): Uint8Array {
  if (!isXerialFramed(data)) {
    const size = rawUncompressedLength(data);
    checkLimit(size, maxBytes);
    return uncompressBlock(data, size);
  }
  if (data.length < XERIAL_HEADER_SIZE) throw corrupt(`xerial snappy header is ${data.length} bytes, expected 16`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const blocks: { block: Uint8Array; size: number }[] = [];
  let total = 0;
  for (let pos = XERIAL_HEADER_SIZE; pos < data.length; ) {
    if (pos + 4 > data.length) throw corrupt(`xerial snappy chunk length at byte ${pos} is cut off`);
    const length = view.getInt32(pos);
    pos += 4;
    if (length < 0 || pos + length > data.length) {
      throw corrupt(`xerial snappy chunk at byte ${pos - 4} declares ${length} bytes but ${data.length - pos} remain`);
    }
    const block = data.subarray(pos, pos + length);
    const size = rawUncompressedLength(block);
    total += size;
    checkLimit(total, maxBytes);
    blocks.push({ block, size });
    pos += length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const { block, size } of blocks) {
    out.set(uncompressBlock(block, size), at);
    at += size;
  }
  return out;
}

function xerialHeader(): Uint8Array {
  const header = new Uint8Array(XERIAL_HEADER_SIZE);
  header.set(XERIAL_MAGIC);
  const view = new DataView(header.buffer);
  view.setInt32(8, XERIAL_VERSION);
  view.setInt32(12, XERIAL_MIN_COMPATIBLE_VERSION);
  return header;
}

/** The unsigned varint (≤ 32 bits) that starts every raw snappy block. */
function rawUncompressedLength(block: Uint8Array): number {
  let value = 0;
  for (let i = 0; i < 5; i++) {
    const b = block[i];
    if (b === undefined) break;
    value += (b & 0x7f) * 2 ** (7 * i);
    if ((b & 0x80) === 0) {
      if (value > 0xffff_ffff) break;
      return value;
    }
  }
  throw corrupt("snappy block does not start with a valid uncompressed length");
}

function uncompressBlock(block: Uint8Array, expected: number): Uint8Array {
  const out = uncompressSync(asBuffer(block), { asBuffer: true }) as Buffer;
  if (out.length !== expected) throw corrupt(`snappy block decoded to ${out.length} bytes, its preamble says ${expected}`);
  return out;
}

function checkLimit(size: number, maxBytes: number): void {
  if (size > maxBytes) {
    throw new RecordBatchError(
      "DECOMPRESSED_TOO_LARGE",
      `snappy payload decompresses to at least ${size} bytes, over the ${maxBytes}-byte limit`,
    );
  }
}

function corrupt(message: string): RecordBatchError {
  return new RecordBatchError("CORRUPT_COMPRESSED_DATA", message);
}
