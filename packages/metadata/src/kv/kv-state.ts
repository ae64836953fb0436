import { compareKeys } from "./key-order.js";
import type { KeyValue, LeaseId, Revision } from "./kv-store.js";

/** One change of a committed transaction, as the log records it. */
export type Effect =
  | { readonly type: "put"; readonly key: string; readonly value: Uint8Array; readonly leaseId?: LeaseId }
  | { readonly type: "delete"; readonly key: string };

/** A committed transaction: its revision and what it changed, in op order. */
export interface TxnRecord {
  readonly revision: Revision;
  readonly effects: readonly Effect[];
}

/** What applying a record changed: a put with its computed revisions, or a delete of a key that existed. */
export type Change = { readonly type: "put"; readonly kv: KeyValue } | { readonly type: "delete"; readonly key: string };

/**
 * The keys of a store at one revision: a map plus a key-ordered array for prefix ranges.
 * Values are stored as given (callers copy on the way in and out).
 */
export class KvState {
  private readonly byKey = new Map<string, KeyValue>();
  private readonly sorted: string[] = [];
  /** Revision of the last applied transaction. */
  revision: Revision = 0;

  get size(): number {
    return this.byKey.size;
  }

  get(key: string): KeyValue | undefined {
    return this.byKey.get(key);
  }

  /** Keys starting with `prefix`, in key order. */
  *range(prefix: string): IterableIterator<KeyValue> {
    for (let i = this.lowerBound(prefix); i < this.sorted.length; i++) {
      const key = this.sorted[i]!;
      if (!key.startsWith(prefix)) return;
      yield this.byKey.get(key)!;
    }
  }

  /** Inserts or replaces a key. */
  set(kv: KeyValue): void {
    if (!this.byKey.has(kv.key)) this.sorted.splice(this.lowerBound(kv.key), 0, kv.key);
    this.byKey.set(kv.key, kv);
  }

  /** Removes a key; returns what it held. */
  delete(key: string): KeyValue | undefined {
    const kv = this.byKey.get(key);
    if (kv === undefined) return undefined;
    this.byKey.delete(key);
    this.sorted.splice(this.lowerBound(key), 1);
    return kv;
  }

  /**
   * Applies a committed transaction (from the live store or a log replay). Returns the applied
   * changes: each put with its computed revisions, each delete of a key that existed.
   */
  apply(record: TxnRecord): Change[] {
    const changes: Change[] = [];
    for (const effect of record.effects) {
      if (effect.type === "put") {
        const kv = nextKeyValue(this.byKey.get(effect.key), effect, record.revision);
        this.set(kv);
        changes.push({ type: "put", kv });
      } else if (this.delete(effect.key) !== undefined) {
        changes.push({ type: "delete", key: effect.key });
      }
    }
    this.revision = record.revision;
    return changes;
  }

  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.sorted[mid]!, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** The key a put produces, given the key before it (undefined: absent). */
export function nextKeyValue(
  previous: KeyValue | undefined,
  put: { readonly key: string; readonly value: Uint8Array; readonly leaseId?: LeaseId },
  revision: Revision,
): KeyValue {
  const base = {
    key: put.key,
    value: put.value,
    createRevision: previous?.createRevision ?? revision,
    modRevision: revision,
    version: (previous?.version ?? 0) + 1,
  };
  return put.leaseId === undefined ? base : { ...base, leaseId: put.leaseId };
}

/** A copy of `kv` whose value the caller may keep and change. */
export function copyKeyValue(kv: KeyValue): KeyValue {
  return { ...kv, value: kv.value.slice() };
}
