import { setMaxListeners } from "node:events";
import { StorageError } from "../../errors.js";
import { classifyS3Error, toStorageError, type S3Failure } from "./s3-failure.js";
import type { HealthTracker } from "./s3-health.js";
import { ConcurrencyLimiter } from "./s3-limiter.js";
import type { ResolvedS3Options } from "./s3-options.js";

/** One store call (a `get`, a `putIfAbsent` with its verification…): its budget and what happened so far. */
export interface S3Call {
  readonly op: string;
  readonly key: string;
  /** Epoch ms by which the call must be done (`operationTimeoutMs` after it started). */
  readonly deadline: number;
  attempts: number;
  /** Some attempt failed and was retried: for a put, an earlier attempt may have landed. */
  retried: boolean;
  budgetExhausted: boolean;
  lastFailure: S3Failure | undefined;
}

/** One HTTP attempt: must honour `signal` (aborted at the attempt's timeout or at close). */
export type S3Attempt<T> = (signal: AbortSignal, timeoutMs: number) => Promise<T>;

type Outcome<T> = { ok: true; value: T } | { ok: false; failure: S3Failure };

/**
 * Runs S3 requests with this package's retry policy: at most `maxAttempts`
 * attempts of at most `requestTimeoutMs` each, exponential backoff with full
 * jitter between them, all within the call's `operationTimeoutMs` budget
 * (queueing for one of `maxConcurrency` slots included), and records each
 * call's outcome in the health tracker.
 */
export class S3Requester {
  readonly #o: ResolvedS3Options;
  readonly #health: HealthTracker;
  readonly #limiter: ConcurrencyLimiter;
  readonly #closing = new AbortController();

  constructor(options: ResolvedS3Options, health: HealthTracker) {
    this.#o = options;
    this.#health = health;
    this.#limiter = new ConcurrencyLimiter(options.maxConcurrency);
    // Every attempt, backoff and queued request listens for close().
    setMaxListeners(0, this.#closing.signal);
  }

  get closed(): boolean {
    return this.#closing.signal.aborted;
  }

  /** Rejects every call from now on, and aborts those in flight, with `CLOSED`. */
  close(): void {
    this.#closing.abort();
  }

  /** Runs one store call: gives it its budget and records its outcome in the health state. */
  async call<T>(op: string, key: string, body: (call: S3Call) => Promise<T>): Promise<T> {
    if (this.closed) throw closedError();
    const call: S3Call = { op, key, deadline: Date.now() + this.#o.operationTimeoutMs, attempts: 0, retried: false, budgetExhausted: false, lastFailure: undefined };
    try {
      const value = await body(call);
      this.#health.succeeded(call.retried);
      return value;
    } catch (err) {
      if (this.closed) throw closedError();
      if (err instanceof StorageError && (err.code === "IO" || err.code === "TIMEOUT")) {
        this.#health.failed(err.message, call.budgetExhausted);
        this.#o.logger.debug({ op, key, attempts: call.attempts, code: err.code, error: err.message }, "S3 call failed");
      } else {
        this.#health.succeeded(call.retried);
      }
      throw err;
    }
  }

  /** One S3 request of `call`, retried as the policy allows; rejects with a `StorageError`. */
  async request<T>(call: S3Call, attempt: S3Attempt<T>): Promise<T> {
    for (let n = 1; ; n++) {
      const outcome = await this.#attemptOnce(call, attempt);
      if (outcome.ok) return outcome.value;
      const f = outcome.failure;
      call.lastFailure = f;
      if (!f.retriable || n >= this.#o.maxAttempts) throw toStorageError(f, call.op, call.key, call.attempts);
      call.retried = true;
      const delayMs = Math.floor(Math.random() * Math.min(this.#o.retryMaxDelayMs, this.#o.retryBaseDelayMs * 2 ** (n - 1)));
      if (Date.now() + delayMs >= call.deadline) throw this.#budgetError(call);
      const reason = `${f.status === undefined ? "" : `HTTP ${f.status} `}${f.name}`;
      this.#health.retried(`${call.op} retried after ${reason}`);
      this.#o.logger.debug({ op: call.op, key: call.key, attempt: n, status: f.status, error: f.name, delayMs }, "S3 request failed; retrying");
      await sleep(delayMs, this.#closing.signal);
      if (this.closed) throw closedError();
    }
  }

  async #attemptOnce<T>(call: S3Call, attempt: S3Attempt<T>): Promise<Outcome<T>> {
    const release = await this.#limiter.acquire(call.deadline, this.#closing.signal);
    if (this.closed) {
      release?.();
      throw closedError();
    }
    const timeoutMs = Math.min(this.#o.requestTimeoutMs, call.deadline - Date.now());
    if (release === null || timeoutMs <= 0) {
      release?.();
      throw this.#budgetError(call);
    }
    call.attempts++;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onClose = (): void => controller.abort();
    this.#closing.signal.addEventListener("abort", onClose, { once: true });
    try {
      return { ok: true, value: await attempt(controller.signal, timeoutMs) };
    } catch (err) {
      if (this.closed) throw closedError();
      return { ok: false, failure: classifyS3Error(err, timedOut) };
    } finally {
      clearTimeout(timer);
      this.#closing.signal.removeEventListener("abort", onClose);
      release();
    }
  }

  #budgetError(call: S3Call): StorageError {
    call.budgetExhausted = true;
    const last = call.lastFailure;
    const lastError = last === undefined ? "" : `; last error: ${last.status === undefined ? "" : `HTTP ${last.status} `}${last.name}`;
    return new StorageError(
      "TIMEOUT",
      `S3 ${call.op} ${JSON.stringify(call.key)}: no success within operationTimeoutMs ${this.#o.operationTimeoutMs} (${call.attempts} attempts${lastError})`,
    );
  }
}

function closedError(): StorageError {
  return new StorageError("CLOSED", "S3 object store is closed");
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
