import {
  ClientClosedError,
  EtcdAuthenticationFailedError,
  EtcdLeaseInvalidError,
  EtcdPermissionDeniedError,
  EtcdUserNotFoundError,
  GRPCInvalidArgumentError,
  GRPCOutOfRangeError,
  GRPCUnauthenticatedError,
} from "etcd3";
import { MetadataError } from "../../errors.js";

/** etcd's answer to a transaction with more operations than its `--max-txn-ops`. */
const TOO_MANY_OPS = "too many operations in txn request";

/**
 * Turns anything an etcd3 call rejects with into a {@link MetadataError}, so no etcd3 or gRPC
 * error class reaches callers. `what` names the operation for the message. Transport failures,
 * timeouts and server-side failures become `UNAVAILABLE`; the message never holds credentials.
 */
export function toMetadataError(err: unknown, what: string): MetadataError {
  if (err instanceof MetadataError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const fail = (code: MetadataError["code"], text: string) => new MetadataError(code, `${what}: ${text}`, { cause: err });
  if (err instanceof EtcdLeaseInvalidError || message.includes("requested lease not found")) return fail("LEASE_NOT_FOUND", "etcd: requested lease not found");
  if (
    err instanceof EtcdAuthenticationFailedError ||
    err instanceof EtcdPermissionDeniedError ||
    err instanceof EtcdUserNotFoundError ||
    err instanceof GRPCUnauthenticatedError ||
    message.includes("etcdserver: user name is empty")
  ) {
    return fail("PERMISSION_DENIED", `etcd refused the credentials or the operation (${message})`);
  }
  if (message.includes(TOO_MANY_OPS)) {
    return fail("INVALID_ARGUMENT", `etcd refused a transaction with more operations than its --max-txn-ops (default 128) allows`);
  }
  if (message.includes("duplicate key given in txn request")) return fail("DUPLICATE_KEY", message);
  if (err instanceof ClientClosedError) return fail("CLOSED", "the etcd client is closed");
  if (err instanceof GRPCInvalidArgumentError || err instanceof GRPCOutOfRangeError) return fail("INVALID_ARGUMENT", `etcd refused the request (${message})`);
  return fail("UNAVAILABLE", `etcd failed (${message})`);
}

/**
 * True when the request provably never left this process (gRPC had no connection to send it on),
 * so even a write can be sent again without risking a second application.
 */
export function neverSent(err: unknown): boolean {
  return err instanceof Error && err.message.includes("No connection established");
}

/** True when etcd refused a read at a revision it has compacted away. */
export function isCompacted(err: unknown): boolean {
  return err instanceof Error && err.message.includes("required revision has been compacted");
}
