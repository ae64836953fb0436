import { isStorageError } from "../../errors.js";
import { PutBody } from "./s3-put-body.js";

/** What a HEAD tells about the stored object (a subset of the SDK's HeadObject output). */
export interface StoredHead {
  ContentLength?: number | undefined;
  ETag?: string | undefined;
  ServerSideEncryption?: string | undefined;
  SSECustomerAlgorithm?: string | undefined;
}

/** How {@link storedObjectEquals} reaches the stored object (within the put's call and budget). */
export interface StoredObject {
  head(): Promise<StoredHead>;
  read(): Promise<Uint8Array>;
}

/**
 * Whether the stored object is exactly `body` (one buffer or chunks, never
 * concatenated): HEAD first (a different size settles it); a plain MD5 ETag
 * (no SSE-KMS / SSE-C, not multipart) is compared with the body's MD5;
 * otherwise the object is read back and compared byte by byte. A missing
 * object is not equal.
 */
export async function storedObjectEquals(stored: StoredObject, body: PutBody | Uint8Array | readonly Uint8Array[]): Promise<boolean> {
  const data = body instanceof PutBody ? body : new PutBody(body);
  try {
    const head = await stored.head();
    if (head.ContentLength !== data.length) return false;
    const etag = (head.ETag ?? "").replace(/"/g, "").toLowerCase();
    const plainMd5 = /^[0-9a-f]{32}$/.test(etag) && !(head.ServerSideEncryption ?? "").startsWith("aws:kms") && head.SSECustomerAlgorithm === undefined;
    if (plainMd5) return etag === data.digest("md5");
    return data.equals(await stored.read());
  } catch (err) {
    if (isStorageError(err, "NOT_FOUND")) return false;
    throw err;
  }
}
