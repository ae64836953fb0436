import type { ICompare, IRequestOp, ITxnRequest } from "etcd3";
import { MetadataError } from "../../errors.js";
import type { LeaseId, TxnCompare, TxnOp, TxnRequest } from "../kv-store.js";
import type { EtcdKeyspace } from "./etcd-keyspace.js";

/**
 * The etcd transaction of a (validated) store transaction. A compare against modRevision 0
 * ("must not exist") becomes etcd's idiom `create_revision == 0`; the others compare `mod_revision`.
 */
export function toEtcdTxn(keys: EtcdKeyspace, request: TxnRequest): ITxnRequest {
  return {
    compare: (request.compare ?? []).map((c) => toCompare(keys, c)),
    success: request.success.map((op) => toRequestOp(keys, op)),
  };
}

function toCompare(keys: EtcdKeyspace, c: TxnCompare): ICompare {
  return c.modRevision === 0
    ? { key: keys.key(c.key), target: "Create", result: "Equal", create_revision: 0 }
    : { key: keys.key(c.key), target: "Mod", result: "Equal", mod_revision: c.modRevision };
}

function toRequestOp(keys: EtcdKeyspace, op: TxnOp): IRequestOp {
  switch (op.type) {
    case "put":
      return {
        request_put: {
          key: keys.key(op.key),
          value: Buffer.from(op.value.buffer, op.value.byteOffset, op.value.byteLength),
          ...(op.leaseId !== undefined ? { lease: etcdLeaseId(op.leaseId) } : {}),
        },
      };
    case "delete":
      return { request_delete_range: { key: keys.key(op.key) } };
    case "deletePrefix":
      return { request_delete_range: keys.prefixRange(op.prefix) };
  }
}

/**
 * A lease id as etcd takes it (the decimal string of its int64). Anything else cannot name a lease
 * etcd granted: `LEASE_NOT_FOUND`.
 */
export function etcdLeaseId(leaseId: LeaseId): string {
  if (typeof leaseId !== "string" || !/^-?[0-9]{1,19}$/.test(leaseId) || BigInt(leaseId) === 0n) {
    throw new MetadataError("LEASE_NOT_FOUND", `lease ${String(leaseId)} does not exist (etcd lease ids are non-zero decimal int64s)`);
  }
  return leaseId;
}
