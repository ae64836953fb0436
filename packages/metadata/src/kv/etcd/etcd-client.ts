import { Etcd3 } from "etcd3";
import type { IOptions } from "etcd3";
import type { EtcdSettings } from "./etcd-options.js";

type FaultHandling = NonNullable<IOptions["faultHandling"]>;
type Policy = NonNullable<FaultHandling["global"]>;
type WatchBackoff = NonNullable<FaultHandling["watchBackoff"]>;

/**
 * A cockatiel policy that just runs the call: etcd3's default retries (which would send a write
 * twice) and circuit breakers (which refuse calls for seconds after etcd is back) are off; the
 * store bounds and retries its calls itself (see `EtcdCalls`).
 */
const passThrough = {
  onSuccess: () => ({ dispose() {} }),
  onFailure: () => ({ dispose() {} }),
  execute: async <T>(fn: (context: { signal: AbortSignal }) => PromiseLike<T> | T, signal?: AbortSignal) =>
    fn({ signal: signal ?? new AbortController().signal }),
} as unknown as Policy;

/** Watch streams reconnect after 100 ms, doubling up to 1 s, so a watch resumes soon after etcd does. */
function watchBackoff(durationMs = 100): WatchBackoff {
  return { duration: durationMs, next: () => watchBackoff(Math.min(durationMs * 2, 1_000)) } as unknown as WatchBackoff;
}

/** A new etcd3 client for the settings (it connects lazily, on the first call). */
export function newEtcdClient(settings: EtcdSettings): Etcd3 {
  const { auth, requestTimeoutMs } = settings;
  return new Etcd3({
    hosts: [...settings.endpoints],
    ...(auth !== undefined
      ? { auth: { username: auth.username, password: auth.password, callOptions: () => ({ deadline: Date.now() + requestTimeoutMs }) } }
      : {}),
    faultHandling: { host: () => passThrough, global: passThrough, watchBackoff: watchBackoff() },
    grpcOptions: {
      // Reconnect within a second once etcd is back, instead of gRPC's default backoff of up to 2 minutes.
      "grpc.initial_reconnect_backoff_ms": 100,
      "grpc.max_reconnect_backoff_ms": 1_000,
      // Notice a silent (frozen, partitioned) etcd on open watch streams; etcd allows pings every 5 s.
      "grpc.keepalive_time_ms": 10_000,
      "grpc.keepalive_timeout_ms": 5_000,
      // Large ranges come in pages, but one watch response can carry a big transaction.
      "grpc.max_receive_message_length": 64 * 1024 * 1024,
    },
  });
}
