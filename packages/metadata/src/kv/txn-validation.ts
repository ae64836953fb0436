import { MetadataError } from "../errors.js";
import type { TxnRequest } from "./kv-store.js";

/**
 * Checks a transaction the way etcd does before applying it:
 * keys are non-empty strings, values are `Uint8Array`s, compare revisions are non-negative safe
 * integers, `deletePrefix` has a non-empty prefix, no key is put twice, and no put falls on a key
 * that a delete or deletePrefix of the same transaction removes (`DUPLICATE_KEY`).
 */
export function validateTxn(request: TxnRequest): void {
  if (request === null || typeof request !== "object" || !Array.isArray(request.success)) {
    throw new MetadataError("INVALID_ARGUMENT", "txn request needs a success array");
  }
  for (const c of request.compare ?? []) {
    checkKey(c.key, "compare key");
    if (!Number.isSafeInteger(c.modRevision) || c.modRevision < 0) {
      throw new MetadataError("INVALID_ARGUMENT", `compare modRevision of ${c.key} must be a non-negative integer, got ${String(c.modRevision)}`);
    }
  }
  const puts = new Set<string>();
  const deletedKeys = new Set<string>();
  const deletedPrefixes: string[] = [];
  for (const op of request.success) {
    switch (op.type) {
      case "put":
        checkKey(op.key, "put key");
        if (!(op.value instanceof Uint8Array)) throw new MetadataError("INVALID_ARGUMENT", `value of ${op.key} must be a Uint8Array`);
        if (op.leaseId !== undefined && typeof op.leaseId !== "string") {
          throw new MetadataError("INVALID_ARGUMENT", `leaseId of ${op.key} must be a string`);
        }
        if (puts.has(op.key)) throw new MetadataError("DUPLICATE_KEY", `txn puts ${op.key} more than once`);
        puts.add(op.key);
        break;
      case "delete":
        checkKey(op.key, "delete key");
        deletedKeys.add(op.key);
        break;
      case "deletePrefix":
        if (typeof op.prefix !== "string" || op.prefix === "") {
          throw new MetadataError("INVALID_ARGUMENT", "deletePrefix needs a non-empty prefix");
        }
        deletedPrefixes.push(op.prefix);
        break;
      default:
        throw new MetadataError("INVALID_ARGUMENT", `unknown txn op type ${String((op as { type: unknown }).type)}`);
    }
  }
  for (const key of puts) {
    if (deletedKeys.has(key) || deletedPrefixes.some((p) => key.startsWith(p))) {
      throw new MetadataError("DUPLICATE_KEY", `txn both puts and deletes ${key}`);
    }
  }
}

function checkKey(key: unknown, what: string): void {
  if (typeof key !== "string" || key === "") throw new MetadataError("INVALID_ARGUMENT", `${what} must be a non-empty string`);
}
