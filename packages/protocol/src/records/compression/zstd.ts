import { Decoder, Encoder } from "@toondepauw/node-zstd";
import { RecordBatchError } from "../errors.js";
import { asBuffer } from "./as-buffer.js";
import { zstdFramesBound } from "./zstd-frame-bound.js";

/** Kafka's default zstd level (compression.zstd.level). */
const DEFAULT_LEVEL = 3;

// Contexts are reused: the sync calls cannot interleave on one thread.
let encoder: Encoder | undefined;
let decoder: Decoder | undefined;

export function zstdCompress(data: Uint8Array): Uint8Array {
  encoder ??= new Encoder(DEFAULT_LEVEL);
  return encoder.encodeSync(asBuffer(data));
}

export function zstdDecompress(data: Uint8Array, maxBytes: number): Uint8Array {
  const bound = zstdFramesBound(data, maxBytes);
  if (bound > maxBytes) {
    throw new RecordBatchError(
      "DECOMPRESSED_TOO_LARGE",
      `zstd payload may decompress to ${bound} bytes, over the ${maxBytes}-byte limit`,
    );
  }
  decoder ??= new Decoder();
  return decoder.decodeSync(asBuffer(data));
}
