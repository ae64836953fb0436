/**
 * A small etcd-like key-value store: the one interface every metadata backend implements
 * (`memory://`, the embedded `file://` store, and etcd 3.4).
 *
 * Semantics follow etcd v3:
 * - **Revisions.** The store has one revision counter, a positive integer that grows by exactly one
 *   with every transaction that changes something (puts, or deletes of existing keys). All keys a
 *   transaction writes share its revision. A transaction that changes nothing (a failed compare,
 *   no ops, deletes of absent keys) does not advance it. Revisions are JavaScript numbers: exact up
 *   to 2^53, which at a million writes per second lasts 285 years.
 * - **Keys** are non-empty strings (UTF-8 in etcd), ordered by their UTF-8 bytes, which is
 *   code-point order — not JavaScript's UTF-16 `<` (see `compareKeys`).
 * - Every key carries `createRevision` (revision of the put that created it), `modRevision`
 *   (revision of its last put) and `version` (puts since creation: 1 after the first). Deleting a
 *   key forgets all three; putting it again starts over.
 * - **Transactions** compare `modRevision`s (0 means "the key must not exist") and, when all
 *   compares hold, apply their ops atomically. As in etcd, one transaction may not put a key twice
 *   or put a key it also deletes (`DUPLICATE_KEY`).
 * - **Watches** see every change under a prefix after it is durable, in revision order (within one
 *   revision, in op order).
 * - **Leases** have a TTL; a key put with a lease is deleted (with watch events) when the lease
 *   expires or is revoked, unless it was re-put without that lease or deleted before.
 * - Reads return only durable data: a write is visible once the transaction that made it resolves.
 */
export interface KvStore {
  /** The key's current value and revisions, or null when it does not exist. */
  get(key: string): Promise<KeyValue | null>;
  /** Every key starting with `prefix` (`""`: all keys), in key order. */
  range(prefix: string): Promise<KeyValue[]>;
  /**
   * Applies `request.success` atomically if every compare holds. Resolves once the outcome is
   * durable, with `succeeded` and the store revision after the transaction.
   * Throws `DUPLICATE_KEY`, `INVALID_ARGUMENT`, or `LEASE_NOT_FOUND` (a put names a lease that does
   * not exist; checked only when the compares hold); nothing is applied then.
   */
  txn(request: TxnRequest): Promise<TxnResult>;
  /** Unconditional put; resolves with the revision that wrote it. */
  put(key: string, value: Uint8Array, options?: PutOptions): Promise<Revision>;
  /** Unconditional delete; resolves with the store revision afterwards (unchanged if the key did not exist). */
  delete(key: string): Promise<Revision>;
  /**
   * Calls `listener` for every put and delete under `prefix` made after the returned promise
   * resolves (etcd sets watches up asynchronously). Resolves with a function that stops the watch.
   * A listener must not throw; if it does, the error is logged and delivery goes on.
   */
  watch(prefix: string, listener: WatchListener): Promise<Unsubscribe>;
  /** Creates a lease that expires `ttlMs` after now (etcd rounds up to whole seconds). */
  grantLease(ttlMs: number): Promise<LeaseId>;
  /** Restarts a lease's TTL. Throws `LEASE_NOT_FOUND` when it has expired or was revoked. */
  keepAlive(leaseId: LeaseId): Promise<void>;
  /** Ends a lease now, deleting its keys; resolves when the deletes are durable. Throws `LEASE_NOT_FOUND`. */
  revokeLease(leaseId: LeaseId): Promise<void>;
  /**
   * Finishes in-flight transactions, stops lease timers and watches, and releases files or
   * connections. Every call afterwards throws `CLOSED`. Calling it again is harmless.
   */
  close(): Promise<void>;
}

/** A store-wide revision: a non-negative safe integer (0: "no revision", e.g. a missing key). */
export type Revision = number;

/** Opaque lease id (etcd's are 64-bit integers, hence a string). */
export type LeaseId = string;

/** One key with its value and revisions. */
export interface KeyValue {
  readonly key: string;
  /** A copy: changing it does not change the store. */
  readonly value: Uint8Array;
  /** Revision of the put that created the key. */
  readonly createRevision: Revision;
  /** Revision of the key's latest put. */
  readonly modRevision: Revision;
  /** Number of puts since the key was created: 1 after the first. */
  readonly version: number;
  /** The lease the key is attached to, if any. */
  readonly leaseId?: LeaseId;
}

/** Holds when the key's `modRevision` equals `modRevision`; 0 means "the key does not exist". */
export interface TxnCompare {
  readonly key: string;
  readonly modRevision: Revision;
}

/** One write of a transaction. */
export type TxnOp =
  | { readonly type: "put"; readonly key: string; readonly value: Uint8Array; readonly leaseId?: LeaseId }
  | { readonly type: "delete"; readonly key: string }
  | { readonly type: "deletePrefix"; readonly prefix: string };

/** A transaction: if every compare holds, apply `success` atomically. */
export interface TxnRequest {
  readonly compare?: readonly TxnCompare[];
  readonly success: readonly TxnOp[];
}

/** The outcome of a transaction. */
export interface TxnResult {
  /** True when every compare held and the ops were applied. */
  readonly succeeded: boolean;
  /** The store revision after the transaction: its own when it wrote something. */
  readonly revision: Revision;
}

/** Options of {@link KvStore.put}. */
export interface PutOptions {
  readonly leaseId?: LeaseId;
}

/** A change seen by a watch. */
export type WatchEvent =
  | {
      readonly type: "put";
      readonly key: string;
      /** The new value; shared between watchers, do not modify. */
      readonly value: Uint8Array;
      readonly modRevision: Revision;
      readonly createRevision: Revision;
      readonly version: number;
    }
  | {
      readonly type: "delete";
      readonly key: string;
      /** The revision of the delete. */
      readonly modRevision: Revision;
    };

/** Receives watch events, one call per event. */
export type WatchListener = (event: WatchEvent) => void;

/** Stops a watch; resolves once no more events will be delivered. */
export type Unsubscribe = () => Promise<void>;
