import type { Etcd3, IRangeRequest } from "etcd3";
import type { KeyValue } from "../kv-store.js";
import type { CallOptions } from "./etcd-calls.js";
import { isCompacted } from "./etcd-errors.js";
import type { EtcdKeyspace } from "./etcd-keyspace.js";

/** Keys per range request: a large prefix comes in pages, so no answer outgrows gRPC's message limit. */
export const RANGE_PAGE_SIZE = 1_000;

/**
 * Every key under `prefix` in key order, read as one snapshot: the first page fixes the revision
 * and the others read at it. If etcd compacts that revision away mid-way, the read starts over.
 */
export async function rangePrefix(client: Etcd3, keys: EtcdKeyspace, prefix: string, options: CallOptions): Promise<KeyValue[]> {
  const { key, range_end } = keys.prefixRange(prefix);
  for (;;) {
    const out: KeyValue[] = [];
    let revision: string | undefined;
    let next = key;
    try {
      for (;;) {
        const request: IRangeRequest = { key: next, range_end, limit: RANGE_PAGE_SIZE, ...(revision !== undefined ? { revision } : {}) };
        const page = await client.kv.range(request, options);
        revision ??= page.header.revision;
        for (const kv of page.kvs) out.push(keys.keyValue(kv));
        const last = page.kvs.at(-1);
        if (!page.more || last === undefined) return out;
        next = Buffer.concat([last.key, Buffer.from([0])]);
      }
    } catch (err) {
      if (revision === undefined || !isCompacted(err)) throw err;
    }
  }
}
