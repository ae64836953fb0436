import type { Clock } from "../clock.js";
import { RevisionConflictError } from "../errors.js";
import type { MetadataLogger } from "../logger.js";
import type { KvStore, Revision, TxnRequest } from "../kv/kv-store.js";
import type { MetadataKeys } from "./keys.js";

/** A value together with the revision it was read at (the `modRevision` of its key). */
export interface Versioned<T> {
  readonly value: T;
  /** Pass this as `expectedRevision` to a write that must not overwrite someone else's change. */
  readonly revision: Revision;
}

/** What the typed store's operations share. */
export interface StoreContext {
  readonly kv: KvStore;
  readonly keys: MetadataKeys;
  readonly clock: Clock;
  readonly logger: MetadataLogger;
}

/**
 * Runs a revision-checked transaction; when its compares fail, throws
 * {@link RevisionConflictError} for `key` and `expectedRevision`. Resolves with the new revision.
 */
export async function txnOrConflict(kv: KvStore, request: TxnRequest, key: string, expectedRevision: Revision): Promise<Revision> {
  const result = await kv.txn(request);
  if (!result.succeeded) throw new RevisionConflictError(key, expectedRevision);
  return result.revision;
}
