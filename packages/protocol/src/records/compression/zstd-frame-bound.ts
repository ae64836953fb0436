import { FrameCursor, corrupt } from "./frame-cursor.js";

/*
 * Walks Zstandard frames (RFC 8878) without decompressing, to bound the
 * decompressed size before any output is allocated:
 *
 * ```
 * magic 28 B5 2F FD | descriptor | [window descriptor] | [dict id 0/1/2/4] | [content size 0/1/2/4/8]
 * blocks: 3-byte header (bit 0 last, bits 1–2 type, bits 3–23 size) | data
 * [content checksum u32]
 * ```
 * Raw and RLE blocks regenerate exactly `size` bytes; a compressed block at
 * most min(window size, 128 KiB). When the frame header states the content
 * size, that caps the frame (the zstd decoder fails a frame that produces
 * more). Skippable frames (magic 0x184D2A5?) are stepped over.
 */

const FRAME_MAGIC = 0xfd2fb528;
const MAX_BLOCK_SIZE = 128 * 1024;
const DICT_ID_SIZES = [0, 1, 2, 4] as const;
const CONTENT_SIZE_SIZES = [0, 2, 4, 8] as const;

/** An upper bound of the decompressed size; stops early and returns a value above `limit` once it is exceeded. */
export function zstdFramesBound(data: Uint8Array, limit: number): number {
  const c = new FrameCursor(data, "zstd");
  let bound = 0;
  for (let magic = c.nextFrameMagic(); magic !== null; magic = c.nextFrameMagic()) {
    if (magic !== FRAME_MAGIC) throw corrupt(`not a zstd frame: magic 0x${magic.toString(16)} at byte ${c.pos - 4}`);
    c.need(1, "frame header descriptor");
    const descriptor = c.data[c.pos++]!;
    const singleSegment = (descriptor & 0x20) !== 0;
    if ((descriptor & 0x08) !== 0) throw corrupt("zstd frame header has the reserved bit set");
    const hasChecksum = (descriptor & 0x04) !== 0;
    let windowSize = Number.POSITIVE_INFINITY;
    if (!singleSegment) {
      c.need(1, "window descriptor");
      const wd = c.data[c.pos++]!;
      const windowBase = 2 ** (10 + (wd >> 3));
      windowSize = windowBase + (windowBase / 8) * (wd & 0x07);
    }
    const dictIdSize = DICT_ID_SIZES[descriptor & 0x03]!;
    c.need(dictIdSize, "dictionary id");
    c.pos += dictIdSize;
    const fcsFlag = descriptor >> 6;
    const contentSizeSize = fcsFlag === 0 ? (singleSegment ? 1 : 0) : CONTENT_SIZE_SIZES[fcsFlag]!;
    let contentSize: number | null = null;
    if (contentSizeSize > 0) {
      c.need(contentSizeSize, "content size");
      contentSize = readContentSize(c.view, c.pos, contentSizeSize);
      c.pos += contentSizeSize;
      if (bound + contentSize > limit) return bound + contentSize;
      if (singleSegment) windowSize = contentSize;
    }
    const blockMax = Math.min(windowSize, MAX_BLOCK_SIZE);
    let frameBound = 0;
    for (let last = false; !last; ) {
      c.need(3, "block header");
      const header = c.data[c.pos]! | (c.data[c.pos + 1]! << 8) | (c.data[c.pos + 2]! << 16);
      c.pos += 3;
      last = (header & 1) !== 0;
      const type = (header >> 1) & 0x03;
      const size = header >>> 3;
      if (type === 0) {
        c.need(size, "raw block");
        c.pos += size;
        frameBound += size;
      } else if (type === 1) {
        c.need(1, "RLE block");
        c.pos += 1;
        frameBound += size;
      } else if (type === 2) {
        c.need(size, "compressed block");
        c.pos += size;
        frameBound += blockMax;
      } else {
        throw corrupt(`zstd block at byte ${c.pos - 3} has the reserved block type`);
      }
      if (contentSize === null && bound + frameBound > limit) return bound + frameBound;
    }
    bound += contentSize === null ? frameBound : Math.min(frameBound, contentSize);
    if (hasChecksum) {
      c.need(4, "content checksum");
      c.pos += 4;
    }
  }
  return bound;
}

function readContentSize(view: DataView, pos: number, size: number): number {
  switch (size) {
    case 1:
      return view.getUint8(pos);
    case 2:
      return view.getUint16(pos, true) + 256;
    case 4:
      return view.getUint32(pos, true);
    default:
      return Number(view.getBigUint64(pos, true));
  }
}
