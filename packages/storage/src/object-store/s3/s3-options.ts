import { StorageError } from "../../errors.js";
import { silentLogger, type StorageLogger } from "../../logger.js";
import { validateObjectKey } from "../keys.js";
import type { ObjectStoreHealth } from "../store-health.js";

/** Static S3 credentials. Never logged. */
export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

/** Called on every health transition of an S3 store (see {@link S3ObjectStoreOptions.onHealthChange}). */
export type HealthChangeListener = (state: ObjectStoreHealth, previous: ObjectStoreHealth, reason: string) => void;

/** How to reach the bucket: everything of {@link S3ObjectStoreOptions} but the bucket and the key prefix. */
export interface S3ConnectionOptions {
  /** AWS region (`us-east-1` for most S3-compatible servers). */
  region: string;
  /** Endpoint URL of an S3-compatible server (`http://127.0.0.1:7480`); omitted → AWS S3. */
  endpoint?: string | undefined;
  /** Path-style addressing (`endpoint/bucket/key`), needed by most S3-compatible servers. Default false. */
  forcePathStyle?: boolean | undefined;
  /** Omitted → the SDK's default chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, profiles, instance roles). */
  credentials?: S3Credentials | undefined;
  /** Limit of one HTTP attempt, body included (default 5000). */
  requestTimeoutMs?: number | undefined;
  /** Attempts per request, the first included (default 6). */
  maxAttempts?: number | undefined;
  /** Backoff before retry n is uniform in [0, min(retryMaxDelayMs, retryBaseDelayMs·2^(n-1))] (default 100). */
  retryBaseDelayMs?: number | undefined;
  /** Cap of the backoff (default 2000). */
  retryMaxDelayMs?: number | undefined;
  /** Budget of one call, retries and queueing included; past it the call rejects with `TIMEOUT` (default 15000). */
  operationTimeoutMs?: number | undefined;
  /** Most HTTP requests in flight at once; further ones queue (default 64). */
  maxConcurrency?: number | undefined;
  /** Consecutive calls failing after all retries that make the store `unavailable` (default 3). */
  unavailableAfterFailures?: number | undefined;
  /** Consecutive clean calls (no retry) that make a troubled store `healthy` again (default 3). */
  healthyAfterSuccesses?: number | undefined;
  /** Pino-like logger: retries at debug, health transitions at info/warn/error. */
  logger?: StorageLogger | undefined;
  /** Told about every health transition (each is also logged once). */
  onHealthChange?: HealthChangeListener | undefined;
  /**
   * Sign the SHA-256 of each put's body into its SigV4 signature (one extra
   * hash pass over the body per put). Default false: bodies are sent as
   * `UNSIGNED-PAYLOAD`; see `S3ObjectStore.putIfAbsent` for why that is safe.
   */
  signPayload?: boolean | undefined;
}

/** Options of `createS3ObjectStore`. */
export interface S3ObjectStoreOptions extends S3ConnectionOptions {
  bucket: string;
  /** Key namespace inside the bucket: every key lives under `prefix/` (default: none). */
  prefix?: string | undefined;
}

/** Defaults of the numeric {@link S3ConnectionOptions}. */
export const S3_DEFAULTS = {
  requestTimeoutMs: 5000,
  maxAttempts: 6,
  retryBaseDelayMs: 100,
  retryMaxDelayMs: 2000,
  operationTimeoutMs: 15_000,
  maxConcurrency: 64,
  unavailableAfterFailures: 3,
  healthyAfterSuccesses: 3,
} as const;

/** {@link S3ObjectStoreOptions} with defaults applied, checked, and the prefix normalized (`""` or ending in `/`). */
export type ResolvedS3Options = Required<Pick<S3ObjectStoreOptions, "bucket" | "region">> &
  { -readonly [K in keyof typeof S3_DEFAULTS]: number } & {
    prefix: string;
    endpoint: string | undefined;
    forcePathStyle: boolean;
    signPayload: boolean;
    credentials: S3Credentials | undefined;
    logger: StorageLogger;
    onHealthChange: HealthChangeListener | undefined;
  };

/** Applies defaults and checks the options; throws `INVALID_ARGUMENT`. */
export function resolveS3Options(o: S3ObjectStoreOptions): ResolvedS3Options {
  if (typeof o.bucket !== "string" || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(o.bucket)) {
    throw new StorageError("INVALID_ARGUMENT", `S3 bucket name ${JSON.stringify(o.bucket)} is not valid`);
  }
  if (typeof o.region !== "string" || o.region === "") throw new StorageError("INVALID_ARGUMENT", "S3 region is missing");
  const numbers = { ...S3_DEFAULTS } as { -readonly [K in keyof typeof S3_DEFAULTS]: number };
  for (const name of Object.keys(S3_DEFAULTS) as (keyof typeof S3_DEFAULTS)[]) {
    const value = o[name] ?? S3_DEFAULTS[name];
    const min = name === "retryBaseDelayMs" || name === "retryMaxDelayMs" ? 0 : 1;
    if (!Number.isSafeInteger(value) || value < min) {
      throw new StorageError("INVALID_ARGUMENT", `S3 option ${name} ${value} is not an integer ≥ ${min}`);
    }
    numbers[name] = value;
  }
  const prefix = (o.prefix ?? "").replace(/^\/+|\/+$/g, "");
  if (prefix !== "") {
    try {
      validateObjectKey(prefix);
    } catch (err) {
      throw new StorageError("INVALID_ARGUMENT", `S3 key prefix ${JSON.stringify(o.prefix)} is not valid`, { cause: err });
    }
  }
  return {
    ...numbers,
    bucket: o.bucket,
    region: o.region,
    prefix: prefix === "" ? "" : `${prefix}/`,
    endpoint: o.endpoint,
    forcePathStyle: o.forcePathStyle ?? false,
    signPayload: o.signPayload ?? false,
    credentials: o.credentials,
    logger: o.logger ?? silentLogger,
    onHealthChange: o.onHealthChange,
  };
}

/** The endpoint without any user:password part, for log lines. */
export function loggableEndpoint(endpoint: string | undefined): string {
  if (endpoint === undefined) return "aws";
  try {
    const url = new URL(endpoint);
    url.username = "";
    url.password = "";
    return url.href;
  } catch {
    return "(unparsable endpoint)";
  }
}
