import { fileURLToPath } from "node:url";
import { MetadataError } from "../errors.js";
import { openFileKvStore } from "./file/file-kv-store.js";
import type { FileKvStoreOptions } from "./file/file-kv-store.js";
import type { KvStore } from "./kv-store.js";
import { createMemoryKvStore } from "./memory-kv-store.js";

/** Options of {@link openKvStore}; each backend uses the ones that apply to it. */
export type OpenKvStoreOptions = FileKvStoreOptions;

/**
 * Opens the {@link KvStore} a URL names:
 * - `memory://` (anything after it is ignored): a new empty in-memory store;
 * - `file:///abs/dir`, or a plain path (absolute, or relative to the working directory):
 *   the embedded durable store in that directory (created if missing).
 *
 * Other schemes (`etcd://` comes with the etcd backend) throw `UNSUPPORTED_URL`.
 */
export async function openKvStore(url: string, options: OpenKvStoreOptions = {}): Promise<KvStore> {
  if (typeof url !== "string" || url === "") throw new MetadataError("INVALID_ARGUMENT", "metadata store URL must be a non-empty string");
  if (url.startsWith("memory:")) return createMemoryKvStore(options);
  if (url.startsWith("file:")) {
    let path: string;
    try {
      path = fileURLToPath(url);
    } catch (err) {
      throw new MetadataError("INVALID_ARGUMENT", `metadata store URL ${url} is not a valid file URL (use file:///absolute/path)`, { cause: err });
    }
    return openFileKvStore(path, options);
  }
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(url)?.[1];
  if (scheme !== undefined) {
    throw new MetadataError("UNSUPPORTED_URL", `no metadata store backend for "${scheme}://" (supported: memory://, file:///path, or a path)`);
  }
  return openFileKvStore(url, options);
}
