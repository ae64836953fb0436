import { MetadataError } from "../errors.js";

const UNRESERVED = /^[A-Za-z0-9._-]*$/;
const UNRESERVED_BYTE = /[A-Za-z0-9._-]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const utf8 = new TextEncoder();

/**
 * Encodes a consumer group id as one etcd key segment.
 *
 * Group ids may hold any characters, `/` included, so they are percent-encoded: every UTF-8 byte
 * outside `[A-Za-z0-9._-]` becomes `%XX` (upper-case hex). Ids made only of those characters (the
 * usual case) are stored as they are, so keys stay readable in `etcdctl`. The encoding is
 * injective (`%` itself is encoded) and the result never holds `/`, so a group id cannot alias
 * another key. The empty id encodes to the empty segment. Ids must be well-formed Unicode (no lone
 * surrogates), as every id decoded from a Kafka request is; others throw `INVALID_ARGUMENT`.
 */
export function encodeGroupId(groupId: string): string {
  if (typeof groupId !== "string") throw new MetadataError("INVALID_ARGUMENT", "group id must be a string");
  if (UNRESERVED.test(groupId)) return groupId;
  if (LONE_SURROGATE.test(groupId)) throw new MetadataError("INVALID_ARGUMENT", "group id is not well-formed Unicode (lone surrogate)");
  let out = "";
  for (const byte of utf8.encode(groupId)) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && UNRESERVED_BYTE.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** Reverses {@link encodeGroupId}; undefined when `segment` is not a valid encoding. */
export function decodeGroupId(segment: string): string | undefined {
  if (UNRESERVED.test(segment)) return segment;
  try {
    const id = decodeURIComponent(segment);
    return encodeGroupId(id) === segment ? id : undefined;
  } catch {
    return undefined;
  }
}
