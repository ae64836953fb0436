import { MetadataError } from "../../errors.js";
import type { MetadataLogger } from "../../logger.js";
import { silentLogger } from "../../logger.js";

/** Options of `createEtcdKvStore`. */
export interface EtcdKvStoreOptions {
  /** etcd client URLs, `http://host:port` or `https://host:port` (all of one kind; https uses the system's CAs). */
  readonly endpoints: readonly string[];
  /** etcd user, when etcd has authentication enabled (with `password`). */
  readonly username?: string;
  /** The user's password. Never logged and never part of an error message. */
  readonly password?: string;
  /**
   * A namespace inside etcd: every key the store reads or writes is prefixed with it, and keys
   * outside it are invisible (default `""`: none). Tests use a unique one each for isolation.
   */
  readonly prefix?: string;
  /**
   * Bound of every call, retries within it included (default 5000 ms). A call that runs out of time
   * rejects with `UNAVAILABLE`; for a write that means "outcome unknown" (it may have been applied).
   */
  readonly requestTimeoutMs?: number;
  /** Bound of the first contact (connect and authenticate) when the store opens (default: `requestTimeoutMs`). */
  readonly dialTimeoutMs?: number;
  /** Receives warnings: watch streams lost and resumed, listener errors (default: none). */
  readonly logger?: MetadataLogger;
}

/** {@link EtcdKvStoreOptions} checked, with the defaults filled in. */
export interface EtcdSettings {
  readonly endpoints: readonly string[];
  readonly auth?: { readonly username: string; readonly password: string };
  readonly prefix: string;
  readonly requestTimeoutMs: number;
  readonly dialTimeoutMs: number;
  readonly logger: MetadataLogger;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;

/** Checks the options (`INVALID_ARGUMENT`) and fills in the defaults. */
export function etcdSettings(options: EtcdKvStoreOptions): EtcdSettings {
  const invalid = (message: string) => new MetadataError("INVALID_ARGUMENT", `etcd metadata store: ${message}`);
  const endpoints = options.endpoints;
  if (!Array.isArray(endpoints) || endpoints.length === 0) throw invalid("needs at least one endpoint");
  for (const e of endpoints) {
    if (typeof e !== "string" || !/^https?:\/\/[^/@\s]+$/.test(e)) throw invalid(`endpoints must look like http://host:port or https://host:port, got ${JSON.stringify(String(e).replace(/\/\/[^@/]*@/, "//…@"))}`);
  }
  if (new Set(endpoints.map((e) => e.startsWith("https:"))).size > 1) throw invalid("endpoints cannot mix http:// and https://");
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const dialTimeoutMs = options.dialTimeoutMs ?? requestTimeoutMs;
  for (const [name, ms] of [["requestTimeoutMs", requestTimeoutMs], ["dialTimeoutMs", dialTimeoutMs]] as const) {
    if (!Number.isFinite(ms) || ms <= 0) throw invalid(`${name} must be a positive number of milliseconds, got ${String(ms)}`);
  }
  if (options.prefix !== undefined && typeof options.prefix !== "string") throw invalid("prefix must be a string");
  const { username, password } = options;
  if ((username === undefined) !== (password === undefined)) throw invalid("username and password go together");
  return {
    endpoints,
    prefix: options.prefix ?? "",
    requestTimeoutMs,
    dialTimeoutMs,
    logger: options.logger ?? silentLogger,
    ...(username !== undefined && password !== undefined ? { auth: { username, password } } : {}),
  };
}
