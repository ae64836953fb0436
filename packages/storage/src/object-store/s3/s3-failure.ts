import { ObjectExistsError, ObjectNotFoundError, StorageError } from "../../errors.js";

/** What went wrong with one S3 attempt, in this package's terms (no SDK object kept). */
export interface S3Failure {
  /** Retrying may help: throttling, 5xx, timeouts, connection trouble. */
  retriable: boolean;
  /** The attempt timed out (our per-attempt limit or the HTTP handler's). */
  timedOut: boolean;
  /** The HTTP status, when the server answered. */
  status: number | undefined;
  /** S3's error code (`SlowDown`, `NoSuchKey`…) or the transport's (`ECONNRESET`, `TimeoutError`). */
  name: string;
  message: string;
}

/** 4xx answers that S3 documents as worth retrying; every other 4xx is final. */
const RETRIABLE_4XX = new Set(["RequestTimeout", "SlowDown", "Throttling", "ThrottlingException", "ConditionalRequestConflict", "OperationAborted"]);

/**
 * Sorts an error thrown by the SDK (or by reading a response body) into
 * retriable or final. The one place that looks inside SDK errors.
 * `attemptTimedOut` says our own per-attempt timer aborted the request.
 */
export function classifyS3Error(err: unknown, attemptTimedOut: boolean): S3Failure {
  const e = (typeof err === "object" && err !== null ? err : {}) as {
    name?: unknown;
    code?: unknown;
    Code?: unknown;
    message?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  const status = typeof e.$metadata?.httpStatusCode === "number" ? e.$metadata.httpStatusCode : undefined;
  const name = String(e.Code ?? (status === undefined ? (e.code ?? e.name) : e.name) ?? "Error");
  const message = typeof e.message === "string" && e.message !== "" && e.message !== "UnknownError" ? e.message : name;
  if (attemptTimedOut) return { retriable: true, timedOut: true, status: undefined, name: "RequestTimeout", message: "the attempt timed out" };
  if (status === undefined) {
    const timedOut = name === "TimeoutError" || name === "ETIMEDOUT" || e.name === "TimeoutError";
    return { retriable: true, timedOut, status, name, message };
  }
  const retriable = status >= 500 || status === 429 || status === 408 || RETRIABLE_4XX.has(name);
  return { retriable, timedOut: status === 408, status, name, message };
}

/**
 * The `StorageError` a call rejects with for its final failure: 404 →
 * `ObjectNotFoundError` (but a missing bucket is `IO`), 412 →
 * `ObjectExistsError`, 416 → `INVALID_RANGE`, KeyTooLongError →
 * `INVALID_KEY`, timeouts → `TIMEOUT`, everything else → `IO`. The cause is a
 * plain Error with the summary (never the SDK's error object).
 */
export function toStorageError(f: S3Failure, op: string, key: string, attempts: number): StorageError {
  const summary = `${f.status === undefined ? "" : `HTTP ${f.status} `}${f.name}: ${f.message}`;
  const cause = new Error(summary);
  if (f.status === 404 && f.name !== "NoSuchBucket") return new ObjectNotFoundError(key, { cause });
  if (f.status === 412) return new ObjectExistsError(key, { cause });
  const where = `S3 ${op} ${JSON.stringify(key)}`;
  if (f.status === 416) return new StorageError("INVALID_RANGE", `${where}: the range starts at or past the end of the object`, { cause });
  if (f.name === "KeyTooLongError") return new StorageError("INVALID_KEY", `${where}: the key (with the store's prefix) is too long for S3`, { cause });
  const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
  return new StorageError(f.timedOut ? "TIMEOUT" : "IO", `${where} failed${tries}: ${summary}`, { cause });
}
