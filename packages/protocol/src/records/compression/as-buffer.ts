import { Buffer } from "node:buffer";

/** A Buffer over the same memory as `bytes` (no copy), for native codecs typed as taking Buffer. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
