import type { IKeyValue } from "etcd3";
import type { KeyValue } from "../kv-store.js";

/** The smallest key (`"\0"`): as a range end, it means "to the end of the keyspace". */
const ZERO_KEY = Buffer.from([0]);

/**
 * Maps the store's keys to etcd keys inside a namespace (a string every etcd key starts with, ""
 * for none), and etcd's answers back to the store's types.
 */
export class EtcdKeyspace {
  private readonly namespaceBytes: Buffer;

  constructor(readonly namespace: string) {
    this.namespaceBytes = Buffer.from(namespace, "utf8");
  }

  /** The etcd key of `key`. */
  key(key: string): Buffer {
    return Buffer.from(this.namespace + key, "utf8");
  }

  /** The etcd range (`key` .. `range_end`) holding every key that starts with `prefix`. */
  prefixRange(prefix: string): { key: Buffer; range_end: Buffer } {
    const start = this.key(prefix);
    return start.length === 0 ? { key: ZERO_KEY, range_end: ZERO_KEY } : { key: start, range_end: rangeEndOf(start) };
  }

  /** The store's key of an etcd key (which lies inside the namespace: every request is confined to it). */
  userKey(etcdKey: Buffer): string {
    return etcdKey.subarray(this.namespaceBytes.length).toString("utf8");
  }

  /** An etcd key-value as the store returns it: a copied value, numeric revisions, the lease if any. */
  keyValue(kv: IKeyValue): KeyValue {
    return {
      key: this.userKey(kv.key),
      value: new Uint8Array(kv.value),
      createRevision: Number(kv.create_revision),
      modRevision: Number(kv.mod_revision),
      version: Number(kv.version),
      ...(kv.lease !== "0" && kv.lease !== "" ? { leaseId: kv.lease } : {}),
    };
  }
}

/** The first key after every key that starts with `prefix` (etcd's `range_end` of a prefix). */
export function rangeEndOf(prefix: Buffer): Buffer {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i]! < 0xff) {
      const end = Buffer.from(prefix.subarray(0, i + 1));
      end[i] = prefix[i]! + 1;
      return end;
    }
  }
  return ZERO_KEY;
}
