import { fileURLToPath } from "node:url";
import { MetadataError } from "../errors.js";
import { createEtcdKvStore } from "./etcd/etcd-kv-store.js";
import type { EtcdKvStoreOptions } from "./etcd/etcd-options.js";
import { isEtcdUrl, parseEtcdUrl } from "./etcd/etcd-url.js";
import { openFileKvStore } from "./file/file-kv-store.js";
import type { FileKvStoreOptions } from "./file/file-kv-store.js";
import type { KvStore } from "./kv-store.js";
import { createMemoryKvStore } from "./memory-kv-store.js";

/**
 * Options of {@link openKvStore}; each backend uses the ones that apply to it (etcd: `username`,
 * `password`, `prefix`, `requestTimeoutMs`, `dialTimeoutMs`, `logger`).
 */
export type OpenKvStoreOptions = FileKvStoreOptions & Omit<EtcdKvStoreOptions, "endpoints" | "logger">;

/**
 * Opens the {@link KvStore} a URL names:
 * - `memory://` (anything after it is ignored): a new empty in-memory store;
 * - `file:///abs/dir`, or a plain path (absolute, or relative to the working directory):
 *   the embedded durable store in that directory (created if missing);
 * - `etcd://host:port[,host:port...]` (port 2379 if omitted), or `etcd+https://...` for TLS with
 *   the system's CAs: the etcd cluster, see `createEtcdKvStore` (credentials go in the options,
 *   never in the URL).
 *
 * Other schemes throw `UNSUPPORTED_URL`.
 */
export async function openKvStore(url: string, options: OpenKvStoreOptions = {}): Promise<KvStore> {
  if (typeof url !== "string" || url === "") throw new MetadataError("INVALID_ARGUMENT", "metadata store URL must be a non-empty string");
  if (url.startsWith("memory:")) return createMemoryKvStore(options);
  if (isEtcdUrl(url)) return createEtcdKvStore({ ...etcdOptions(options), endpoints: parseEtcdUrl(url) });
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
    throw new MetadataError("UNSUPPORTED_URL", `no metadata store backend for "${scheme}://" (supported: memory://, file:///path, a path, etcd://host:port)`);
  }
  return openFileKvStore(url, options);
}

function etcdOptions(options: OpenKvStoreOptions): Omit<EtcdKvStoreOptions, "endpoints"> {
  const { username, password, prefix, requestTimeoutMs, dialTimeoutMs, logger } = options;
  return {
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(prefix !== undefined ? { prefix } : {}),
    ...(requestTimeoutMs !== undefined ? { requestTimeoutMs } : {}),
    ...(dialTimeoutMs !== undefined ? { dialTimeoutMs } : {}),
    ...(logger !== undefined ? { logger } : {}),
  };
}
