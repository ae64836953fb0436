/**
 * The error family of `@kafscale/metadata`. Everything this package throws on purpose is a
 * {@link MetadataError}; `code` is one of a closed set:
 *
 * | code                 | class                    | raised when                                                                                         |
 * |----------------------|--------------------------|-----------------------------------------------------------------------------------------------------|
 * | `INVALID_ARGUMENT`   | `MetadataError`          | a caller passed a malformed key, value, revision, TTL or message (a programming error)              |
 * | `DUPLICATE_KEY`      | `MetadataError`          | one transaction puts a key twice, or puts a key that it also deletes (etcd refuses this too)        |
 * | `LEASE_NOT_FOUND`    | `MetadataError`          | a put, keepalive or revoke names a lease that never existed, expired or was revoked                 |
 * | `CLOSED`             | `MetadataError`          | the store was closed                                                                                |
 * | `IO_ERROR`           | `MetadataError`          | writing or syncing the embedded store's files failed; the store refuses all further work and must be reopened |
 * | `CORRUPT_DATA`       | `MetadataError`          | a log or snapshot file is damaged (other than a torn tail), or a stored value does not decode       |
 * | `LOCKED`             | `MetadataError`          | another open store (in this or another live process) holds the data directory                       |
 * | `UNSUPPORTED_URL`    | `MetadataError`          | `openKvStore` got a URL scheme it has no backend for                                                 |
 * | `REVISION_CONFLICT`  | `RevisionConflictError`  | a write's `expectedRevision` is not the key's current revision (someone else wrote first)           |
 * | `TOPIC_EXISTS`       | `TopicExistsError`       | `createTopic` for a name that already exists                                                        |
 * | `TOPIC_NOT_FOUND`    | `TopicNotFoundError`     | an operation needs a topic that does not exist                                                       |
 * | `INVALID_TOPIC_NAME` | `MetadataError`          | a topic name is empty, longer than 249, `.`/`..`, or has characters outside `[a-zA-Z0-9._-]`        |
 * | `BROKER_ID_IN_USE`   | `MetadataError`          | `registerBroker` for an id whose registration (and lease) is still live                             |
 * | `UNAVAILABLE`        | `MetadataError`          | the metadata backend cannot be reached or did not answer in time; retriable (see below)             |
 * | `PERMISSION_DENIED`  | `MetadataError`          | the metadata backend refused the credentials or the operation (etcd auth); not retriable            |
 *
 * **`UNAVAILABLE` on a write means "outcome unknown".** A request that timed out or lost its
 * connection may still have been applied by the backend (etcd commits it if it reached the
 * leader). A caller must not assume the write failed: re-read before deciding, and never treat a
 * later `REVISION_CONFLICT` of a retried compare-and-swap as proof that someone else wrote.
 */
export type MetadataErrorCode =
  | "INVALID_ARGUMENT"
  | "DUPLICATE_KEY"
  | "LEASE_NOT_FOUND"
  | "CLOSED"
  | "IO_ERROR"
  | "CORRUPT_DATA"
  | "LOCKED"
  | "UNSUPPORTED_URL"
  | "REVISION_CONFLICT"
  | "TOPIC_EXISTS"
  | "TOPIC_NOT_FOUND"
  | "INVALID_TOPIC_NAME"
  | "BROKER_ID_IN_USE"
  | "UNAVAILABLE"
  | "PERMISSION_DENIED";

/** Every {@link MetadataErrorCode}, in the order of the table above. */
export const METADATA_ERROR_CODES: readonly MetadataErrorCode[] = [
  "INVALID_ARGUMENT",
  "DUPLICATE_KEY",
  "LEASE_NOT_FOUND",
  "CLOSED",
  "IO_ERROR",
  "CORRUPT_DATA",
  "LOCKED",
  "UNSUPPORTED_URL",
  "REVISION_CONFLICT",
  "TOPIC_EXISTS",
  "TOPIC_NOT_FOUND",
  "INVALID_TOPIC_NAME",
  "BROKER_ID_IN_USE",
  "UNAVAILABLE",
  "PERMISSION_DENIED",
];

/** Base class of every error this package throws; see {@link MetadataErrorCode}. */
export class MetadataError extends Error {
  override readonly name: string = "MetadataError";
  readonly code: MetadataErrorCode;

  constructor(code: MetadataErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** A revision-checked write lost a race: `key` is no longer at `expectedRevision`. */
export class RevisionConflictError extends MetadataError {
  override readonly name = "RevisionConflictError";
  /** The key whose revision did not match. */
  readonly key: string;
  /** The revision the caller expected (0: the key must not exist). */
  readonly expectedRevision: number;

  constructor(key: string, expectedRevision: number) {
    super("REVISION_CONFLICT", `revision conflict on ${key}: expected revision ${expectedRevision}, but it has changed`);
    this.key = key;
    this.expectedRevision = expectedRevision;
  }
}

/** `createTopic` for a topic that already exists. */
export class TopicExistsError extends MetadataError {
  override readonly name = "TopicExistsError";
  readonly topic: string;

  constructor(topic: string) {
    super("TOPIC_EXISTS", `topic "${topic}" already exists`);
    this.topic = topic;
  }
}

/** An operation on a topic that does not exist. */
export class TopicNotFoundError extends MetadataError {
  override readonly name = "TopicNotFoundError";
  readonly topic: string;

  constructor(topic: string) {
    super("TOPIC_NOT_FOUND", `topic "${topic}" does not exist`);
    this.topic = topic;
  }
}

/** True when `err` is a {@link MetadataError}, and, if `code` is given, has that code. */
export function isMetadataError(err: unknown, code?: MetadataErrorCode): err is MetadataError {
  return err instanceof MetadataError && (code === undefined || err.code === code);
}
