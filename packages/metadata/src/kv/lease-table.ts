import { randomInt } from "node:crypto";
import type { Clock } from "../clock.js";
import { MetadataError } from "../errors.js";
import type { LeaseId } from "./kv-store.js";

interface Lease {
  readonly ttlMs: number;
  timer: unknown;
  readonly keys: Set<string>;
}

/**
 * In-memory leases of the embedded stores: TTL timers and the keys attached to each lease.
 * Ids are random (1 .. 2^48), so an id from before a restart never names a new lease.
 */
export class LeaseTable {
  private readonly leases = new Map<LeaseId, Lease>();

  /** `onExpire` gets the lease's keys after the lease has been removed from the table. */
  constructor(
    private readonly clock: Clock,
    private readonly onExpire: (leaseId: LeaseId, keys: ReadonlySet<string>) => void,
  ) {}

  grant(ttlMs: number): LeaseId {
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
      throw new MetadataError("INVALID_ARGUMENT", `lease TTL must be a positive number of milliseconds, got ${String(ttlMs)}`);
    }
    let id: LeaseId;
    do id = String(randomInt(1, 2 ** 48));
    while (this.leases.has(id));
    const lease: Lease = { ttlMs, timer: undefined, keys: new Set() };
    this.leases.set(id, lease);
    this.arm(id, lease);
    return id;
  }

  has(leaseId: LeaseId): boolean {
    return this.leases.has(leaseId);
  }

  keepAlive(leaseId: LeaseId): void {
    const lease = this.require(leaseId);
    this.clock.clearTimeout(lease.timer);
    this.arm(leaseId, lease);
  }

  /** Removes a lease and cancels its timer; returns its keys. */
  take(leaseId: LeaseId): ReadonlySet<string> {
    const lease = this.require(leaseId);
    this.clock.clearTimeout(lease.timer);
    this.leases.delete(leaseId);
    return lease.keys;
  }

  attach(leaseId: LeaseId, key: string): void {
    this.leases.get(leaseId)?.keys.add(key);
  }

  detach(leaseId: LeaseId, key: string): void {
    this.leases.get(leaseId)?.keys.delete(key);
  }

  /** Cancels every timer and forgets every lease (on close). */
  clear(): void {
    for (const lease of this.leases.values()) this.clock.clearTimeout(lease.timer);
    this.leases.clear();
  }

  private require(leaseId: LeaseId): Lease {
    const lease = this.leases.get(leaseId);
    if (lease === undefined) throw new MetadataError("LEASE_NOT_FOUND", `lease ${leaseId} not found (expired, revoked or never granted)`);
    return lease;
  }

  private arm(leaseId: LeaseId, lease: Lease): void {
    lease.timer = this.clock.setTimeout(() => {
      if (this.leases.get(leaseId) !== lease) return;
      this.leases.delete(leaseId);
      this.onExpire(leaseId, lease.keys);
    }, lease.ttlMs);
  }
}
