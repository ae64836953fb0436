import type { KVClient } from "etcd3";
import { MetadataError } from "../../errors.js";
import { neverSent, toMetadataError } from "./etcd-errors.js";

/**
 * How a call may be retried within its deadline: `"read"` (and other idempotent calls) on any
 * transient failure; `"write"` only when the request provably never left (no connection), because
 * a write that reached etcd may have been applied even if its answer was lost.
 */
export type EtcdCallKind = "read" | "write";

/** gRPC call options (the deadline), as etcd3's clients take them. */
export type CallOptions = NonNullable<Parameters<KVClient["range"]>[1]>;

const FIRST_RETRY_DELAY_MS = 25;
const MAX_RETRY_DELAY_MS = 250;

/**
 * Runs the store's etcd calls: each bounded by one deadline (`timeoutMs`, retries included),
 * errors turned into `MetadataError`s, and counted in flight so `close()` can wait for them.
 */
export class EtcdCalls {
  private closed = false;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(readonly timeoutMs: number) {}

  /** Throws `CLOSED` once {@link EtcdCalls.close} was called. */
  checkOpen(): void {
    if (this.closed) throw new MetadataError("CLOSED", "the etcd metadata store is closed");
  }

  /**
   * Runs `attempt` (given gRPC call options carrying the deadline) until it succeeds, fails in a
   * way that is not retriable for `kind`, or the deadline passes (`UNAVAILABLE`).
   */
  run<T>(what: string, kind: EtcdCallKind, attempt: (options: CallOptions) => Promise<T>, timeoutMs = this.timeoutMs): Promise<T> {
    this.checkOpen();
    const call = this.retrying(what, kind, attempt, timeoutMs);
    this.inFlight.add(call);
    const forget = () => this.inFlight.delete(call);
    call.then(forget, forget);
    return call;
  }

  /** Refuses new calls and waits for those in flight. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
  }

  private async retrying<T>(what: string, kind: EtcdCallKind, attempt: (options: CallOptions) => Promise<T>, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (let delay = FIRST_RETRY_DELAY_MS; ; delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS)) {
      try {
        return await withinDeadline(attempt({ deadline }), deadline);
      } catch (err) {
        const mapped = err === TIMED_OUT ? undefined : toMetadataError(err, what);
        if (mapped !== undefined && mapped.code !== "UNAVAILABLE") throw mapped;
        const retriable = mapped !== undefined && (kind === "read" || neverSent(err));
        if (!retriable || Date.now() + delay >= deadline) throw unavailable(what, kind, timeoutMs, err);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }
}

const TIMED_OUT = Symbol("timed out");

/** `promise`, or a rejection with {@link TIMED_OUT} at `deadline` (gRPC deadlines do not cover every wait, e.g. authentication). */
function withinDeadline<T>(promise: Promise<T>, deadline: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(TIMED_OUT), Math.max(0, deadline - Date.now()));
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function unavailable(what: string, kind: EtcdCallKind, timeoutMs: number, cause: unknown): MetadataError {
  const why = cause === TIMED_OUT ? `no answer within ${timeoutMs} ms` : cause instanceof Error ? cause.message : String(cause);
  const unknown = kind === "write" ? "; the write may still have been applied (outcome unknown)" : "";
  return new MetadataError("UNAVAILABLE", `${what}: etcd is unavailable (${why})${unknown}`, cause === TIMED_OUT ? {} : { cause });
}
