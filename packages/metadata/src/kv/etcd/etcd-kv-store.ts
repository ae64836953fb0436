import type { Etcd3 } from "etcd3";
import { isMetadataError, MetadataError } from "../../errors.js";
import type { KeyValue, KvStore, LeaseId, PutOptions, Revision, TxnRequest, TxnResult, Unsubscribe, WatchListener } from "../kv-store.js";
import { validateTxn } from "../txn-validation.js";
import { EtcdCalls } from "./etcd-calls.js";
import { newEtcdClient } from "./etcd-client.js";
import { EtcdKeyspace } from "./etcd-keyspace.js";
import { EtcdLeases } from "./etcd-leases.js";
import { etcdSettings } from "./etcd-options.js";
import type { EtcdKvStoreOptions, EtcdSettings } from "./etcd-options.js";
import { rangePrefix } from "./etcd-range.js";
import { toEtcdTxn } from "./etcd-txn.js";
import { PrefixWatch } from "./etcd-watch.js";

/**
 * Opens a {@link KvStore} on etcd 3.4+ (through etcd3): the first contact (connect, and
 * authenticate when a username is given) must succeed within `dialTimeoutMs`, else it throws
 * `UNAVAILABLE` or `PERMISSION_DENIED`. Keys live under `options.prefix` inside etcd.
 *
 * Every call is bounded by `requestTimeoutMs` and rejects with `UNAVAILABLE` when etcd cannot be
 * reached or does not answer in time. Reads are retried within that bound; writes only when they
 * provably were not sent. **`UNAVAILABLE` from a write means its outcome is unknown**: etcd may
 * have applied it. Watches survive lost connections and etcd restarts, resuming at the first
 * revision they have not delivered. etcd refuses transactions with more operations than its
 * `--max-txn-ops` (128 by default) with `INVALID_ARGUMENT`.
 */
export async function createEtcdKvStore(options: EtcdKvStoreOptions): Promise<KvStore> {
  const settings = etcdSettings(options);
  const client = newEtcdClient(settings);
  const store = new EtcdKvStore(client, settings);
  try {
    await store.currentRevision("/", settings.dialTimeoutMs);
  } catch (err) {
    // "permission denied" means etcd accepted the credentials; the user just may not read there.
    if (!(isMetadataError(err, "PERMISSION_DENIED") && err.message.includes("etcdserver: permission denied"))) {
      await store.close();
      throw err;
    }
  }
  return store;
}

class EtcdKvStore implements KvStore {
  private readonly keys: EtcdKeyspace;
  private readonly calls: EtcdCalls;
  private readonly leases: EtcdLeases;
  private readonly watches = new Set<PrefixWatch>();
  private closing: Promise<void> | undefined;

  constructor(
    private readonly client: Etcd3,
    private readonly settings: EtcdSettings,
  ) {
    this.keys = new EtcdKeyspace(settings.prefix);
    this.calls = new EtcdCalls(settings.requestTimeoutMs);
    this.leases = new EtcdLeases(client, this.calls);
  }

  async get(key: string): Promise<KeyValue | null> {
    this.calls.checkOpen();
    checkKey(key);
    const res = await this.calls.run("get", "read", (o) => this.client.kv.range({ key: this.keys.key(key) }, o));
    const kv = res.kvs[0];
    return kv === undefined ? null : this.keys.keyValue(kv);
  }

  async range(prefix: string): Promise<KeyValue[]> {
    this.calls.checkOpen();
    if (typeof prefix !== "string") throw new MetadataError("INVALID_ARGUMENT", "range prefix must be a string");
    return this.calls.run("range", "read", (o) => rangePrefix(this.client, this.keys, prefix, o));
  }

  async txn(request: TxnRequest): Promise<TxnResult> {
    this.calls.checkOpen();
    validateTxn(request);
    const txn = toEtcdTxn(this.keys, request);
    const res = await this.calls.run("txn", "write", (o) => this.client.kv.txn(txn, o));
    return { succeeded: res.succeeded, revision: Number(res.header.revision) };
  }

  async put(key: string, value: Uint8Array, options: PutOptions = {}): Promise<Revision> {
    const op = { type: "put" as const, key, value, ...(options.leaseId !== undefined ? { leaseId: options.leaseId } : {}) };
    return (await this.txn({ success: [op] })).revision;
  }

  async delete(key: string): Promise<Revision> {
    this.calls.checkOpen();
    checkKey(key);
    const res = await this.calls.run("delete", "write", (o) => this.client.kv.deleteRange({ key: this.keys.key(key) }, o));
    return Number(res.header.revision);
  }

  async watch(prefix: string, listener: WatchListener): Promise<Unsubscribe> {
    this.calls.checkOpen();
    if (typeof prefix !== "string" || typeof listener !== "function") throw new MetadataError("INVALID_ARGUMENT", "watch needs a prefix string and a listener function");
    const ctx = { client: this.client, keys: this.keys, logger: this.settings.logger, timeoutMs: this.settings.requestTimeoutMs, currentRevision: () => this.currentRevision(prefix) };
    const watch = new PrefixWatch(ctx, prefix, listener);
    this.watches.add(watch);
    try {
      await watch.start();
    } catch (err) {
      this.watches.delete(watch);
      throw err;
    }
    return async () => {
      this.watches.delete(watch);
      await watch.stop();
    };
  }

  grantLease(ttlMs: number): Promise<LeaseId> {
    return this.leases.grant(ttlMs);
  }

  keepAlive(leaseId: LeaseId): Promise<void> {
    return this.leases.keepAlive(leaseId);
  }

  revokeLease(leaseId: LeaseId): Promise<void> {
    return this.leases.revoke(leaseId);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.calls.close();
      await Promise.all([...this.watches].map((w) => w.stop()));
      this.watches.clear();
      this.client.close();
    })();
    return this.closing;
  }

  /** The store's current revision, from a read of at most one key under `prefix` (which the user must be allowed to read). */
  async currentRevision(prefix: string, timeoutMs = this.settings.requestTimeoutMs): Promise<Revision> {
    const range = { ...this.keys.prefixRange(prefix), limit: 1, keys_only: true };
    const res = await this.calls.run("read revision", "read", (o) => this.client.kv.range(range, o), timeoutMs);
    return Number(res.header.revision);
  }
}

function checkKey(key: unknown): void {
  if (typeof key !== "string" || key === "") throw new MetadataError("INVALID_ARGUMENT", "key must be a non-empty string");
}
