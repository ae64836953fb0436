import { gunzipSync, gzipSync } from "node:zlib";

/** Kafka's gzip is a plain gzip stream (RFC 1952) of the records section. */
export function gzipCompress(data: Uint8Array): Uint8Array {
  return gzipSync(data);
}

/**
 * zlib stops inflating once the output passes `maxBytes` and throws
 * `ERR_BUFFER_TOO_LARGE`, so memory stays bounded by the limit.
 */
export function gzipDecompress(data: Uint8Array, maxBytes: number): Uint8Array {
  return gunzipSync(data, { maxOutputLength: maxBytes });
}
