import { fileURLToPath } from "node:url";
import { StorageError } from "../errors.js";
import { createFileObjectStore } from "./file-object-store.js";
import { createMemoryObjectStore } from "./memory-object-store.js";
import type { ObjectStore } from "./object-store.js";
import { createS3ObjectStore } from "./s3/s3-object-store.js";
import type { S3ConnectionOptions } from "./s3/s3-options.js";

/** Settings `openObjectStore` needs beyond the URL (only S3 has any). */
export interface OpenObjectStoreOptions {
  /**
   * How to reach S3 for `s3://` URLs. Without it (or without its `region`),
   * the region comes from `AWS_REGION` / `AWS_DEFAULT_REGION` and every other
   * setting takes its default (credentials from the SDK's default chain).
   */
  s3?: Partial<S3ConnectionOptions> | undefined;
}

/**
 * Opens the object store a URL names:
 *
 * - `memory://` — a fresh private in-memory store; `memory://name` — an
 *   in-memory store shared by name within the process (see
 *   `createMemoryObjectStore`).
 * - `file:///abs/path` — objects as files under `/abs/path` (created if
 *   missing); see `createFileObjectStore`.
 * - `s3://bucket` or `s3://bucket/key/prefix` — objects in an S3 bucket,
 *   under the prefix if given; `options.s3` says how to reach it (endpoint,
 *   region, credentials, timeouts…); see `createS3ObjectStore`. Nothing is
 *   sent until the first call (see `checkObjectStoreWritable`).
 *
 * Anything else is `INVALID_URL`.
 */
export async function openObjectStore(url: string, options: OpenObjectStoreOptions = {}): Promise<ObjectStore> {
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
    case "s3:":
      return openS3(url, parsed, options.s3 ?? {});
    default:
      throw new StorageError(
        "INVALID_URL",
        `object store URL ${JSON.stringify(url)}: unsupported scheme ${JSON.stringify(parsed.protocol)} (memory://, file:///abs/path, s3://bucket/prefix)`,
      );
  }
}

function openS3(url: string, parsed: URL, s3: Partial<S3ConnectionOptions>): ObjectStore {
  const bucket = parsed.hostname;
  if (bucket === "" || parsed.port !== "" || parsed.username !== "" || parsed.search !== "" || parsed.hash !== "") {
    throw new StorageError("INVALID_URL", `S3 URL ${JSON.stringify(url)}: use s3://bucket or s3://bucket/key/prefix`);
  }
  const region = s3.region ?? process.env["AWS_REGION"] ?? process.env["AWS_DEFAULT_REGION"];
  if (region === undefined || region === "") {
    throw new StorageError("INVALID_URL", `S3 URL ${JSON.stringify(url)}: no region (give options.s3.region or set AWS_REGION)`);
  }
  try {
    return createS3ObjectStore({ ...s3, region, bucket, prefix: decodeURIComponent(parsed.pathname) });
  } catch (err) {
    throw new StorageError("INVALID_URL", `S3 URL ${JSON.stringify(url)}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
