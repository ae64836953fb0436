import { fileURLToPath } from "node:url";
import { StorageError } from "../errors.js";
import { createFileObjectStore } from "./file-object-store.js";
import { createMemoryObjectStore } from "./memory-object-store.js";
import type { ObjectStore } from "./object-store.js";

/**
 * Opens the object store a URL names:
 *
 * - `memory://` — a fresh private in-memory store; `memory://name` — an
 *   in-memory store shared by name within the process (see
 *   `createMemoryObjectStore`).
 * - `file:///abs/path` — objects as files under `/abs/path` (created if
 *   missing); see `createFileObjectStore`.
 *
 * Anything else (including `s3://`, which a later backend adds) is
 * `INVALID_URL`.
 */
export async function openObjectStore(url: string): Promise<ObjectStore> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (err) {
    throw new StorageError("INVALID_URL", `object store URL ${JSON.stringify(url)} is not a URL`, { cause: err });
  }
  switch (parsed.protocol) {
    case "memory:":
      return createMemoryObjectStore(decodeURIComponent(parsed.host + parsed.pathname.replace(/^\/$/, "")));
    case "file:": {
      if (parsed.host !== "" && parsed.host !== "localhost") {
        throw new StorageError("INVALID_URL", `file URL ${JSON.stringify(url)} names a host; use file:///abs/path`);
      }
      return createFileObjectStore(fileURLToPath(parsed));
    }
    default:
      throw new StorageError(
        "INVALID_URL",
        `object store URL ${JSON.stringify(url)}: unsupported scheme ${JSON.stringify(parsed.protocol)} (memory://, file:///abs/path)`,
      );
  }
}
