import type { Etcd3 } from "etcd3";
import { MetadataError } from "../../errors.js";
import type { LeaseId } from "../kv-store.js";
import type { CallOptions, EtcdCalls } from "./etcd-calls.js";
import { etcdLeaseId } from "./etcd-txn.js";

/** The store's lease operations on etcd; keepalives are sent only when asked for (no background timer). */
export class EtcdLeases {
  constructor(
    private readonly client: Etcd3,
    private readonly calls: EtcdCalls,
  ) {}

  /** Grants a lease of `ttlMs` rounded up to whole seconds (etcd raises TTLs below its minimum, about 2 s by default). */
  async grant(ttlMs: number): Promise<LeaseId> {
    this.calls.checkOpen();
    if (typeof ttlMs !== "number" || !Number.isFinite(ttlMs) || ttlMs <= 0) {
      throw new MetadataError("INVALID_ARGUMENT", `lease TTL must be a positive number of milliseconds, got ${String(ttlMs)}`);
    }
    const TTL = Math.ceil(ttlMs / 1_000);
    const granted = await this.calls.run("grant lease", "write", (o) => this.client.leaseClient.leaseGrant({ TTL }, o));
    if (granted.error !== "") throw new MetadataError("UNAVAILABLE", `grant lease: etcd refused (${granted.error})`);
    return granted.ID;
  }

  /** One keepalive (renewing a lease twice is harmless, so it is retried like a read). */
  async keepAlive(leaseId: LeaseId): Promise<void> {
    this.calls.checkOpen();
    const id = etcdLeaseId(leaseId);
    const ttl = await this.calls.run("keep lease alive", "read", (o) => this.keepAliveOnce(id, o));
    if (ttl <= 0) throw new MetadataError("LEASE_NOT_FOUND", `keep lease alive: lease ${id} has expired or was revoked`);
  }

  /** Revokes a lease; etcd deletes its keys before it answers. */
  async revoke(leaseId: LeaseId): Promise<void> {
    this.calls.checkOpen();
    const id = etcdLeaseId(leaseId);
    await this.calls.run("revoke lease", "write", (o) => this.client.leaseClient.leaseRevoke({ ID: id }, o));
  }

  /** Sends one keepalive on a stream of its own and resolves with the TTL etcd answers (0: no such lease). */
  private async keepAliveOnce(id: string, options: CallOptions): Promise<number> {
    const stream = await this.client.leaseClient.leaseKeepAlive(options);
    return new Promise<number>((resolve, reject) => {
      stream.on("data", (res) => {
        resolve(Number(res.TTL));
        stream.end(); // half-close: etcd then ends the stream (cancelling it would reset the connection)
      });
      stream.on("error", reject);
      stream.on("end", () => reject(new Error("etcd ended the keepalive stream without an answer")));
      stream.write({ ID: id });
    });
  }
}
