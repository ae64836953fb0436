import { RecordBatchError } from "../errors.js";

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
const SKIPPABLE_MAGIC = 0x184d2a50;
const SKIPPABLE_MASK = 0xfffffff0;
const MAX_BLOCK_SIZE = 128 * 1024;
const DICT_ID_SIZES = [0, 1, 2, 4] as const;
const CONTENT_SIZE_SIZES = [0, 2, 4, 8] as const;

/** An upper bound of the decompressed size; stops early and returns a value above `limit` once it is exceeded. */
export function zstdFramesBound(data: Uint8Array, limit: number): number {
  if (data.length === 0) throw corrupt("zstd payload is empty");
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let pos = 0;
  let bound = 0;
  const need = (n: number, what: string): void => {
    if (pos + n > data.length) throw corrupt(`zstd ${what} at byte ${pos} runs past the end (${data.length} bytes)`);
  };
  while (pos < data.length) {
    need(4, "frame magic");
    const magic = view.getUint32(pos, true);
    pos += 4;
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      need(4, "skippable frame size");
      const size = view.getUint32(pos, true);
      pos += 4;
      need(size, "skippable frame");
      pos += size;
      continue;
    }
    if (magic !== FRAME_MAGIC) throw corrupt(`not a zstd frame: magic 0x${magic.toString(16)} at byte ${pos - 4}`);
    need(1, "frame header descriptor");
    const descriptor = data[pos++]!;
    const singleSegment = (descriptor & 0x20) !== 0;
    if ((descriptor & 0x08) !== 0) throw corrupt("zstd frame header has the reserved bit set");
    const hasChecksum = (descriptor & 0x04) !== 0;
    let windowSize = Number.POSITIVE_INFINITY;
    if (!singleSegment) {
      need(1, "window descriptor");
      const wd = data[pos++]!;
      const windowBase = 2 ** (10 + (wd >> 3));
      windowSize = windowBase + (windowBase / 8) * (wd & 0x07);
    }
    const dictIdSize = DICT_ID_SIZES[descriptor & 0x03]!;
    need(dictIdSize, "dictionary id");
    pos += dictIdSize;
    const fcsFlag = descriptor >> 6;
    const contentSizeSize = fcsFlag === 0 ? (singleSegment ? 1 : 0) : CONTENT_SIZE_SIZES[fcsFlag]!;
    let contentSize: number | null = null;
    if (contentSizeSize > 0) {
      need(contentSizeSize, "content size");
      contentSize = readContentSize(view, pos, contentSizeSize);
      pos += contentSizeSize;
      if (bound + contentSize > limit) return bound + contentSize;
      if (singleSegment) windowSize = contentSize;
    }
    const blockMax = Math.min(windowSize, MAX_BLOCK_SIZE);
    let frameBound = 0;
    for (let last = false; !last; ) {
      need(3, "block header");
      const header = data[pos]! | (data[pos + 1]! << 8) | (data[pos + 2]! << 16);
      pos += 3;
      last = (header & 1) !== 0;
      const type = (header >> 1) & 0x03;
      const size = header >>> 3;
      if (type === 0) {
        need(size, "raw block");
        pos += size;
        frameBound += size;
      } else if (type === 1) {
        need(1, "RLE block");
        pos += 1;
        frameBound += size;
      } else if (type === 2) {
        need(size, "compressed block");
        pos += size;
        frameBound += blockMax;
      } else {
        throw corrupt(`zstd block at byte ${pos - 3} has the reserved block type`);
      }
      if (contentSize === null && bound + frameBound > limit) return bound + frameBound;
    }
    bound += contentSize === null ? frameBound : Math.min(frameBound, contentSize);
    if (hasChecksum) {
      need(4, "content checksum");
      pos += 4;
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

function corrupt(message: string): RecordBatchError {
  return new RecordBatchError("CORRUPT_COMPRESSED_DATA", message);
}
