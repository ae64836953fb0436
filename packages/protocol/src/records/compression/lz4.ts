import { compressFrameSync, decompressFrameSync } from "lz4-napi";
import { RecordBatchError } from "../errors.js";
import { asBuffer } from "./as-buffer.js";
import { lz4FramesBound } from "./lz4-frame-bound.js";

/*
 * Kafka (magic ≥ 1) uses the standard LZ4 *frame* format. The Java reader
 * (KafkaLZ4BlockInputStream) rejects dependent blocks and preset
 * dictionaries, so frames written here use independent blocks, no
 * dictionary (lz4-napi's default: FLG 0x60). Reading accepts any standard
 * frame, including linked blocks, block/content checksums and content size
 * (python-lz4 and librdkafka's LZ4F write these).
 */

export function lz4Compress(data: Uint8Array): Uint8Array {
  return compressFrameSync(asBuffer(data));
}

export function lz4Decompress(data: Uint8Array, maxBytes: number): Uint8Array {
  const bound = lz4FramesBound(data, maxBytes);
  if (bound > maxBytes) {
    throw new RecordBatchError(
      "DECOMPRESSED_TOO_LARGE",
      `lz4 payload may decompress to ${bound} bytes, over the ${maxBytes}-byte limit`,
    );
  }
  return decompressFrameSync(asBuffer(data));
}
