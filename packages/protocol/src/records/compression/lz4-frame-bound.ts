import { FrameCursor, corrupt } from "./frame-cursor.js";

/*
 * Walks LZ4 frames (lz4 frame format 1.6) without decompressing, to bound
 * the decompressed size before any output is allocated:
 *
 * ```
 * magic 04 22 4D 18 | FLG | BD | [content size u64le] | [dict id u32le] | HC
 * blocks: u32le size (high bit = stored uncompressed, 0 = end mark) | data | [u32 checksum]
 * [content checksum u32]
 * ```
 * A stored block inflates to exactly its size; a compressed block to at most
 * the frame's block maximum size (64 KiB – 4 MiB) and at most 256× its
 * compressed size (an LZ4 sequence of 3 + k bytes yields ≤ 19 + 255·k match
 * bytes; literals are 1:1). Skippable frames (magic 0x184D2A5?) are stepped over.
 */

const FRAME_MAGIC = 0x184d2204;
const MAX_BLOCK_RATIO = 256;
const BLOCK_MAX_SIZES: readonly (number | undefined)[] = [
  undefined, undefined, undefined, undefined, 64 * 1024, 256 * 1024, 1024 * 1024, 4 * 1024 * 1024,
];

/** An upper bound of the decompressed size; stops early and returns a value above `limit` once it is exceeded. */
export function lz4FramesBound(data: Uint8Array, limit: number): number {
  const c = new FrameCursor(data, "lz4");
  let bound = 0;
  for (let magic = c.nextFrameMagic(); magic !== null; magic = c.nextFrameMagic()) {
    if (magic !== FRAME_MAGIC) throw corrupt(`not an LZ4 frame: magic 0x${magic.toString(16)} at byte ${c.pos - 4}`);
    c.need(2, "frame descriptor");
    const flg = c.data[c.pos]!;
    const bd = c.data[c.pos + 1]!;
    c.pos += 2;
    if (flg >> 6 !== 1) throw corrupt(`unsupported LZ4 frame version ${flg >> 6}`);
    const blockMax = BLOCK_MAX_SIZES[(bd >> 4) & 0x07];
    if (blockMax === undefined) throw corrupt(`invalid LZ4 block maximum size id ${(bd >> 4) & 0x07}`);
    const hasBlockChecksum = (flg & 0x10) !== 0;
    const hasContentChecksum = (flg & 0x04) !== 0;
    if ((flg & 0x08) !== 0) {
      c.need(8, "content size");
      const contentSize = c.view.getBigUint64(c.pos, true);
      c.pos += 8;
      if (contentSize > BigInt(limit)) return Number(contentSize);
    }
    if ((flg & 0x01) !== 0) {
      c.need(4, "dictionary id");
      c.pos += 4;
    }
    c.need(1, "header checksum");
    c.pos += 1;
    for (;;) {
      c.need(4, "block size");
      const word = c.view.getUint32(c.pos, true);
      c.pos += 4;
      if (word === 0) break;
      const stored = word >= 0x8000_0000;
      const size = word & 0x7fff_ffff;
      if (size > blockMax) throw corrupt(`LZ4 block of ${size} bytes exceeds the frame's ${blockMax}-byte block size`);
      c.need(size, "block");
      c.pos += size;
      if (hasBlockChecksum) {
        c.need(4, "block checksum");
        c.pos += 4;
      }
      bound += stored ? size : Math.min(blockMax, size * MAX_BLOCK_RATIO);
      if (bound > limit) return bound;
    }
    if (hasContentChecksum) {
      c.need(4, "content checksum");
      c.pos += 4;
    }
  }
  return bound;
}
