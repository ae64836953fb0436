import { StorageError } from "../errors.js";
import type { ByteRange } from "./object-store.js";

/** Longest key S3 accepts, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Throws `INVALID_KEY` unless `key` is usable by every backend: non-empty, at
 * most 1024 UTF-8 bytes, no leading or trailing `/`, no empty, `.` or `..`
 * segment, no NUL or backslash, and no lone surrogate. (S3 itself accepts more; these rules keep
 * keys portable to the file:// backend.)
 */
export function validateObjectKey(key: string): void {
  if (typeof key !== "string" || key.length === 0) throw invalidKey(key, "it is empty");
  if (Buffer.byteLength(key, "utf8") > MAX_KEY_BYTES) throw invalidKey(key, `it is longer than ${MAX_KEY_BYTES} bytes`);
  if (LONE_SURROGATE.test(key)) throw invalidKey(key, "it is not well-formed UTF-16 (lone surrogate)");
  if (key.includes("\0") || key.includes("\\")) throw invalidKey(key, "it contains NUL or a backslash");
  for (const segment of key.split("/")) {
    if (segment === "") throw invalidKey(key, "it has an empty segment (leading, trailing or double '/')");
    if (segment === "." || segment === "..") throw invalidKey(key, `it has a '${segment}' segment`);
  }
}

function invalidKey(key: string, why: string): StorageError {
  return new StorageError("INVALID_KEY", `invalid object key ${JSON.stringify(key)}: ${why}`);
}

/**
 * Orders keys by their UTF-8 bytes, as S3 lists them. This equals UTF-16
 * code-unit order except between astral characters and U+E000–U+FFFF, which
 * is handled by comparing code points.
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    // A surrogate (an astral code point) sorts after every BMP character in UTF-8.
    const sa = ca >= 0xd800 && ca <= 0xdfff;
    const sb = cb >= 0xd800 && cb <= 0xdfff;
    if (sa !== sb) return sa ? 1 : -1;
    return ca - cb;
  }
  return a.length - b.length;
}

/**
 * Checks `range` against an object of `size` bytes and returns `[start, end)`
 * clamped to the object. Throws `INVALID_RANGE` as {@link ObjectStore.get} documents.
 */
export function resolveRange(key: string, size: number, range: ByteRange | undefined): { start: number; end: number } {
  if (range === undefined) return { start: 0, end: size };
  validateRangeShape(range);
  const { start, end } = range;
  if (start >= size) {
    throw new StorageError(
      "INVALID_RANGE",
      `range [${start}, ${end ?? ""}) of ${JSON.stringify(key)} starts at or past its end (${size} bytes)`,
    );
  }
  return { start, end: end === undefined ? size : Math.min(end, size) };
}

/** Throws `INVALID_RANGE` for a malformed range (before any I/O). */
export function validateRangeShape(range: ByteRange): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || start < 0) {
    throw new StorageError("INVALID_RANGE", `range start ${start} is not a non-negative integer`);
  }
  if (end !== undefined && (!Number.isSafeInteger(end) || end <= start)) {
    throw new StorageError("INVALID_RANGE", `range end ${end} must be an integer greater than start ${start}`);
  }
}
