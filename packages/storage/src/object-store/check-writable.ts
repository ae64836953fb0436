import { randomBytes } from "node:crypto";
import { StorageError } from "../errors.js";
import type { ObjectStore } from "./object-store.js";

/**
 * Proves that `store` can be written and read, for a broker's start-up check:
 * creates a unique probe object under `probeKeyPrefix` (a `/` is added when
 * the prefix does not end with one; e.g. `default/_kafscale/probes/`), reads
 * it back, compares the bytes, and deletes it. Rejects with the store's
 * `StorageError` (a wrong bucket, endpoint or credential shows up as `IO`,
 * an unreachable one as `TIMEOUT`), or `IO` when the bytes read back differ.
 * Works with every backend.
 */
export async function checkObjectStoreWritable(store: ObjectStore, probeKeyPrefix: string): Promise<void> {
  const prefix = probeKeyPrefix === "" || probeKeyPrefix.endsWith("/") ? probeKeyPrefix : `${probeKeyPrefix}/`;
  const key = `${prefix}probe-${Date.now()}-${randomBytes(6).toString("hex")}`;
  // A plain Uint8Array, not a Buffer: Buffer#slice is a view, so a store that copies with slice() would alias it.
  const body = Uint8Array.from(randomBytes(64));
  await store.putIfAbsent(key, body);
  let readError: unknown = null;
  try {
    const read = await store.get(key);
    if (Buffer.compare(read, body) !== 0) {
      readError = new StorageError("IO", `object store probe ${JSON.stringify(key)} read back different bytes (${read.length} bytes, wrote ${body.length})`);
    }
  } catch (err) {
    readError = err;
  }
  // Delete even when the read failed; the read's error is the one worth reporting.
  await store.delete(key).catch((err: unknown) => {
    readError ??= err;
  });
  if (readError !== null) throw readError;
}
