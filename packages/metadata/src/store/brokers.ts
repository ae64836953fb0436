import { MetadataError, isMetadataError } from "../errors.js";
import type { LeaseId, Revision } from "../kv/kv-store.js";
import { BrokerRegistrationSchema } from "../gen/kafscale/metadata/v1/metadata_pb.js";
import type { BrokerRegistration } from "../gen/kafscale/metadata/v1/metadata_pb.js";
import { decodeValue, encodeValue } from "./codec.js";
import type { StoreContext, Versioned } from "./context.js";
import { validateBrokerId } from "./names.js";

/** A live broker registration; keeps its lease alive until closed. */
export interface BrokerRegistrationHandle {
  readonly brokerId: number;
  readonly leaseId: LeaseId;
  /** Revision of the registration's write. */
  readonly revision: Revision;
  /**
   * False once a keepalive found the lease expired (for example after the process stalled longer
   * than the TTL) or the store closed: the registration is gone, and `onLost` was called.
   * Register again to come back. Other keepalive errors are logged and retried.
   */
  readonly alive: boolean;
  /** Stops the keepalives and revokes the lease, which deletes the registration. */
  close(): Promise<void>;
}

/** Options of `registerBroker`. */
export interface RegisterBrokerOptions {
  /** How often to renew the lease (default: a third of the TTL). */
  readonly keepAliveIntervalMs?: number;
  /** Called once when the lease turns out to have expired (or the store to be closed). */
  readonly onLost?: (err: unknown) => void;
}

export async function registerBroker(
  ctx: StoreContext,
  registration: BrokerRegistration,
  leaseTtlMs: number,
  options: RegisterBrokerOptions = {},
): Promise<BrokerRegistrationHandle> {
  validateBrokerId(registration.brokerId);
  const interval = options.keepAliveIntervalMs ?? Math.max(1, Math.floor(leaseTtlMs / 3));
  if (!(interval > 0 && interval < leaseTtlMs)) {
    throw new MetadataError("INVALID_ARGUMENT", `keepalive interval ${interval} ms must be positive and below the lease TTL ${leaseTtlMs} ms`);
  }
  const key = ctx.keys.broker(registration.brokerId);
  const leaseId = await ctx.kv.grantLease(leaseTtlMs);
  let revision: Revision;
  try {
    const result = await ctx.kv.txn({
      compare: [{ key, modRevision: 0 }],
      success: [{ type: "put", key, value: encodeValue(BrokerRegistrationSchema, registration), leaseId }],
    });
    if (!result.succeeded) throw new MetadataError("BROKER_ID_IN_USE", `broker id ${registration.brokerId} is registered by a live broker (${key})`);
    revision = result.revision;
  } catch (err) {
    await ctx.kv.revokeLease(leaseId).catch(() => {});
    throw err;
  }

  let alive = true;
  let stopped = false;
  let timer: unknown;
  const lost = (err: unknown) => {
    alive = false;
    ctx.logger.warn({ err, brokerId: registration.brokerId, leaseId }, "broker registration lost: its lease expired or the store is gone");
    options.onLost?.(err);
  };
  const tick = () => {
    if (stopped) return;
    ctx.kv.keepAlive(leaseId).then(
      () => schedule(),
      (err: unknown) => {
        if (stopped) return;
        // The lease is gone, or the store is (closed or failed): the registration cannot come back by itself.
        if (isMetadataError(err, "LEASE_NOT_FOUND") || isMetadataError(err, "CLOSED") || isMetadataError(err, "IO_ERROR")) return lost(err);
        ctx.logger.warn({ err, brokerId: registration.brokerId, leaseId }, "broker lease keepalive failed; retrying");
        schedule();
      },
    );
  };
  const schedule = () => {
    if (!stopped) timer = ctx.clock.setTimeout(tick, interval);
  };
  schedule();

  return {
    brokerId: registration.brokerId,
    leaseId,
    revision,
    get alive() {
      return alive;
    },
    async close() {
      if (stopped) return;
      stopped = true;
      ctx.clock.clearTimeout(timer);
      if (!alive) return;
      alive = false;
      await ctx.kv.revokeLease(leaseId).catch((err: unknown) => {
        if (!isMetadataError(err, "LEASE_NOT_FOUND")) throw err;
      });
    },
  };
}

export async function listBrokers(ctx: StoreContext): Promise<Array<Versioned<BrokerRegistration>>> {
  const out: Array<Versioned<BrokerRegistration> & { id: number }> = [];
  for (const kv of await ctx.kv.range(ctx.keys.brokersPrefix)) {
    const id = ctx.keys.parseBrokerKey(kv.key);
    if (id === undefined) continue;
    out.push({ id, value: decodeValue(BrokerRegistrationSchema, kv.key, kv.value), revision: kv.modRevision });
  }
  return out.sort((a, b) => a.id - b.id).map(({ value, revision }) => ({ value, revision }));
}
