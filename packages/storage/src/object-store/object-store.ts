/**
 * A flat key → bytes store with S3's semantics, implemented by every backend
 * (`memory://`, `file:///abs/path`, and later `s3://bucket/prefix`).
 *
 * - Keys are `/`-separated UTF-8 strings (`default/orders/0/segment-….kfs`);
 *   see `validateObjectKey` for the rules. "Directories" exist only as key
 *   prefixes.
 * - Objects are immutable once created: the only write is
 *   {@link ObjectStore.putIfAbsent}, which never overwrites. A reader never
 *   sees a partially written object.
 * - Every failure is a `StorageError` (`NOT_FOUND`, `EXISTS`, `INVALID_KEY`,
 *   `INVALID_RANGE`, `IO`, `TIMEOUT`, `CLOSED`).
 */
export interface ObjectStore {
  /**
   * Creates `key` with `body` (one buffer, or chunks written in order) only if
   * it does not exist: S3's `PUT` with `If-None-Match: *`. Rejects with
   * `ObjectExistsError` (code `EXISTS`) when the key exists, including when a
   * concurrent call for the same key won. The object becomes visible whole, or
   * not at all. The store copies or writes the bytes before resolving; the
   * caller may reuse them afterwards.
   */
  putIfAbsent(key: string, body: Uint8Array | readonly Uint8Array[]): Promise<void>;

  /**
   * Reads the object, or the byte range `[start, end)` of it. `end` is
   * exclusive (unlike HTTP's inclusive `Range`) and is clamped to the object's
   * size; without `end` the range runs to the end of the object.
   * Rejects with `ObjectNotFoundError` (`NOT_FOUND`) for a missing key, and
   * with `INVALID_RANGE` when `start` is at or past the end of the object (S3's
   * 416) or the range is malformed (`start` not a non-negative integer,
   * `end <= start`).
   */
  get(key: string, range?: ByteRange): Promise<Uint8Array>;

  /** The object's size, or `null` when it does not exist. */
  head(key: string): Promise<ObjectHead | null>;

  /**
   * The objects whose key starts with `prefix` (plain string prefix, not a
   * directory: `"a/b"` matches `"a/b/c"` and `"a/bc"`), in ascending order of
   * the keys' UTF-8 bytes (S3's order), starting after `startAfter` when given.
   * Objects created or deleted while iterating may or may not be seen.
   */
  list(prefix: string, options?: ListOptions): AsyncIterable<ObjectListEntry>;

  /** Deletes the object; deleting a missing key succeeds (as in S3). */
  delete(key: string): Promise<void>;

  /** Releases the backend's resources; later calls reject with `CLOSED`. Idempotent. */
  close(): Promise<void>;
}

/** A byte range `[start, end)`; see {@link ObjectStore.get}. */
export interface ByteRange {
  start: number;
  /** Exclusive; omitted means "to the end of the object". */
  end?: number;
}

export interface ObjectHead {
  size: number;
}

export interface ObjectListEntry {
  key: string;
  size: number;
}

export interface ListOptions {
  /** Only keys strictly greater than this one (S3's `start-after`). */
  startAfter?: string;
}
