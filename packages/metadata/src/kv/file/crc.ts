import { crc32c as nativeCrc32c } from "@node-rs/crc32";

/** CRC-32C (Castagnoli), unsigned; the same function Kafka uses for record batches. */
export function crc32c(bytes: Uint8Array): number {
  return nativeCrc32c(bytes) >>> 0;
}
