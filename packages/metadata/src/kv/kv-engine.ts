import type { Clock } from "../clock.js";
import { systemClock } from "../clock.js";
import { MetadataError } from "../errors.js";
import type { MetadataLogger } from "../logger.js";
import { silentLogger } from "../logger.js";
import { compareKeys } from "./key-order.js";
import type {
  KeyValue,
  KvStore,
  LeaseId,
  PutOptions,
  Revision,
  TxnOp,
  TxnRequest,
  TxnResult,
  Unsubscribe,
  WatchEvent,
  WatchListener,
} from "./kv-store.js";
import { copyKeyValue, KvState, nextKeyValue } from "./kv-state.js";
import type { Effect, TxnRecord } from "./kv-state.js";
import { LeaseTable } from "./lease-table.js";
import { validateTxn } from "./txn-validation.js";
import { WatchHub } from "./watch-hub.js";

/** Where an engine makes transactions durable. The memory backend's does nothing. */
export interface KvPersistence {
  /** Makes `records` durable, in order (one write and one sync for the whole batch). */
  append(records: readonly TxnRecord[]): Promise<void>;
  /** Called between batches, when `state` holds exactly what has been appended; may snapshot it. */
  afterCommit(state: KvState): Promise<void>;
  /** Releases files. Called once, after the last append. */
  close(): Promise<void>;
}

/** Options shared by the embedded backends. */
export interface EmbeddedKvOptions {
  /** Time source for lease TTLs (default: the system clock). */
  readonly clock?: Clock;
  /** Receives warnings (default: none). */
  readonly logger?: MetadataLogger;
}

interface Batch {
  readonly records: TxnRecord[];
  readonly done: Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
}

interface OverlayEntry {
  /** The key after the pending write; undefined when the write deleted it. */
  readonly kv: KeyValue | undefined;
  readonly revision: Revision;
}

/**
 * The embedded stores' engine: one implementation of {@link KvStore} semantics over a
 * {@link KvPersistence}.
 *
 * Group commit. A transaction is evaluated synchronously against the *head* (durable state plus
 * the overlay of writes waiting for their sync), so transactions are ordered by call. Its writes
 * join the open batch; one flush loop appends a whole batch with one write and one sync, then
 * moves it into the durable state, publishes watch events and resolves its transactions. Readers
 * (`get`, `range`) see only the durable state. A transaction that writes nothing still waits for
 * the batches whose state it observed, so no caller learns of a write before it is durable.
 */
export class KvEngine implements KvStore {
  private readonly overlay = new Map<string, OverlayEntry>();
  private headRevision: Revision;
  private current: Batch | undefined;
  private inFlight: Batch | undefined;
  private flushing = false;
  private flushDone: Promise<void> = Promise.resolve();
  private failure: MetadataError | undefined;
  private closing: Promise<void> | undefined;
  private readonly leases: LeaseTable;
  private readonly hub: WatchHub;
  private readonly logger: MetadataLogger;

  constructor(
    private readonly name: string,
    private readonly committed: KvState,
    private readonly persistence: KvPersistence,
    options: EmbeddedKvOptions = {},
  ) {
    this.headRevision = committed.revision;
    this.logger = options.logger ?? silentLogger;
    this.hub = new WatchHub(this.logger);
    this.leases = new LeaseTable(options.clock ?? systemClock, (leaseId, keys) => this.expire(leaseId, keys));
  }

  get(key: string): Promise<KeyValue | null> {
    return attempt(() => {
      this.assertUsable();
      checkString(key, "key");
      const kv = this.committed.get(key);
      return kv === undefined ? null : copyKeyValue(kv);
    });
  }

  range(prefix: string): Promise<KeyValue[]> {
    return attempt(() => {
      this.assertUsable();
      checkString(prefix, "prefix");
      return Array.from(this.committed.range(prefix), copyKeyValue);
    });
  }

  txn(request: TxnRequest): Promise<TxnResult> {
    try {
      this.assertUsable();
      validateTxn(request);
      const holds = (request.compare ?? []).every((c) => (this.headGet(c.key)?.modRevision ?? 0) === c.modRevision);
      if (!holds) return this.afterObserved({ succeeded: false, revision: this.headRevision });
      for (const op of request.success) {
        if (op.type === "put" && op.leaseId !== undefined && !this.leases.has(op.leaseId)) {
          throw new MetadataError("LEASE_NOT_FOUND", `lease ${op.leaseId} of ${op.key} not found (expired, revoked or never granted)`);
        }
      }
      return this.commit(this.effectsOf(request.success));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  put(key: string, value: Uint8Array, options: PutOptions = {}): Promise<Revision> {
    const op: TxnOp = options.leaseId === undefined ? { type: "put", key, value } : { type: "put", key, value, leaseId: options.leaseId };
    return this.txn({ success: [op] }).then((r) => r.revision);
  }

  delete(key: string): Promise<Revision> {
    return this.txn({ success: [{ type: "delete", key }] }).then((r) => r.revision);
  }

  watch(prefix: string, listener: WatchListener): Promise<Unsubscribe> {
    return attempt(() => {
      this.assertUsable();
      checkString(prefix, "prefix");
      if (typeof listener !== "function") throw new MetadataError("INVALID_ARGUMENT", "watch listener must be a function");
      const remove = this.hub.add(prefix, listener);
      return () => {
        remove();
        return Promise.resolve();
      };
    });
  }

  grantLease(ttlMs: number): Promise<LeaseId> {
    return attempt(() => {
      this.assertUsable();
      return this.leases.grant(ttlMs);
    });
  }

  keepAlive(leaseId: LeaseId): Promise<void> {
    return attempt(() => {
      this.assertUsable();
      this.leases.keepAlive(leaseId);
    });
  }

  revokeLease(leaseId: LeaseId): Promise<void> {
    try {
      this.assertUsable();
      return this.deleteLeaseKeys(this.leases.take(leaseId)).then(() => undefined);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  close(): Promise<void> {
    if (this.closing !== undefined) return this.closing;
    this.leases.clear();
    this.closing = (async () => {
      await this.flushDone;
      this.hub.clear();
      await this.persistence.close();
    })();
    return this.closing;
  }

  /**
   * Deletes keys attached to leases this engine never granted: leases live in memory, so after a
   * restart the leased keys of the previous run are orphans (as in etcd once their TTL passes).
   * Returns how many keys it deleted.
   */
  async dropOrphanLeasedKeys(): Promise<number> {
    const keys: string[] = [];
    for (const kv of this.committed.range("")) {
      if (kv.leaseId !== undefined && !this.leases.has(kv.leaseId)) keys.push(kv.key);
    }
    if (keys.length > 0) await this.commit(keys.map((key) => ({ type: "delete", key })));
    return keys.length;
  }

  private assertUsable(): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.closing !== undefined) throw new MetadataError("CLOSED", `metadata store ${this.name} is closed`);
  }

  private headGet(key: string): KeyValue | undefined {
    const pending = this.overlay.get(key);
    return pending !== undefined ? pending.kv : this.committed.get(key);
  }

  /** Keys under `prefix` at the head, in key order. */
  private headKeys(prefix: string): string[] {
    const keys: string[] = [];
    for (const kv of this.committed.range(prefix)) if (!this.overlay.has(kv.key)) keys.push(kv.key);
    for (const [key, pending] of this.overlay) if (pending.kv !== undefined && key.startsWith(prefix)) keys.push(key);
    return keys.sort(compareKeys);
  }

  private effectsOf(ops: readonly TxnOp[]): Effect[] {
    const effects: Effect[] = [];
    const deleted = new Set<string>();
    const del = (key: string) => {
      if (deleted.has(key) || this.headGet(key) === undefined) return;
      deleted.add(key);
      effects.push({ type: "delete", key });
    };
    for (const op of ops) {
      if (op.type === "put") {
        const value = op.value.slice();
        effects.push(op.leaseId === undefined ? { type: "put", key: op.key, value } : { type: "put", key: op.key, value, leaseId: op.leaseId });
      } else if (op.type === "delete") {
        del(op.key);
      } else {
        for (const key of this.headKeys(op.prefix)) del(key);
      }
    }
    return effects;
  }

  /** Applies effects to the head as one new revision and queues them; resolves when durable. */
  private commit(effects: readonly Effect[]): Promise<TxnResult> {
    if (effects.length === 0) return this.afterObserved({ succeeded: true, revision: this.headRevision });
    const revision = ++this.headRevision;
    for (const effect of effects) {
      const previous = this.headGet(effect.key);
      if (previous?.leaseId !== undefined) this.leases.detach(previous.leaseId, effect.key);
      if (effect.type === "put") {
        this.overlay.set(effect.key, { kv: nextKeyValue(previous, effect, revision), revision });
        if (effect.leaseId !== undefined) this.leases.attach(effect.leaseId, effect.key);
      } else {
        this.overlay.set(effect.key, { kv: undefined, revision });
      }
    }
    return this.enqueue({ revision, effects }).done.then(() => ({ succeeded: true, revision }));
  }

  /** Resolves with `result` once every write the caller may have observed is durable. */
  private afterObserved(result: TxnResult): Promise<TxnResult> {
    const pending = this.current ?? this.inFlight;
    return pending === undefined ? Promise.resolve(result) : pending.done.then(() => result);
  }

  private enqueue(record: TxnRecord): Batch {
    this.current ??= createBatch();
    this.current.records.push(record);
    if (!this.flushing) {
      this.flushing = true;
      this.flushDone = Promise.resolve().then(() => this.flushLoop());
    }
    return this.current;
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.current !== undefined && this.failure === undefined) {
        const batch = this.current;
        this.current = undefined;
        this.inFlight = batch;
        await this.persistence.append(batch.records);
        this.applyDurable(batch.records);
        this.inFlight = undefined;
        batch.resolve();
        await this.persistence.afterCommit(this.committed);
      }
    } catch (err) {
      this.fail(err);
    } finally {
      this.flushing = false;
    }
  }

  private applyDurable(records: readonly TxnRecord[]): void {
    const events: WatchEvent[] = [];
    for (const record of records) {
      for (const change of this.committed.apply(record)) {
        if (change.type === "delete") {
          events.push({ type: "delete", key: change.key, modRevision: record.revision });
        } else {
          const { key, value, modRevision, createRevision, version } = change.kv;
          events.push({ type: "put", key, value, modRevision, createRevision, version });
        }
      }
      for (const effect of record.effects) {
        if (this.overlay.get(effect.key)?.revision === record.revision) this.overlay.delete(effect.key);
      }
    }
    this.hub.publish(events);
  }

  private fail(err: unknown): void {
    this.failure =
      err instanceof MetadataError
        ? err
        : new MetadataError(
            "IO_ERROR",
            `metadata store ${this.name}: writing the log failed (${err instanceof Error ? err.message : String(err)}); ` +
              "the store refuses further work and must be reopened",
            { cause: err },
          );
    this.logger.warn({ err: this.failure }, "metadata store failed");
    this.leases.clear();
    this.inFlight?.reject(this.failure);
    this.current?.reject(this.failure);
    this.inFlight = undefined;
    this.current = undefined;
  }

  private expire(leaseId: LeaseId, keys: ReadonlySet<string>): void {
    if (this.failure !== undefined || this.closing !== undefined) return;
    this.deleteLeaseKeys(keys).catch((err: unknown) => {
      this.logger.warn({ err, leaseId }, "deleting the keys of an expired lease failed");
    });
  }

  private deleteLeaseKeys(keys: ReadonlySet<string>): Promise<TxnResult> {
    const live = [...keys].filter((key) => this.headGet(key) !== undefined).sort(compareKeys);
    return this.commit(live.map((key) => ({ type: "delete", key })));
  }
}

function createBatch(): Batch {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  done.catch(() => {}); // waiters get the rejection through their own chains
  return { records: [], done, resolve, reject };
}

function attempt<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err);
  }
}

function checkString(value: unknown, what: string): void {
  if (typeof value !== "string") throw new MetadataError("INVALID_ARGUMENT", `${what} must be a string`);
}
