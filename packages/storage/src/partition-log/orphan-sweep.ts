import { isStorageError } from "../errors.js";
import type { StorageLogger } from "../logger.js";
import type { ObjectStore } from "../object-store/object-store.js";
import { parseSegmentObjectKey } from "../segment/object-keys.js";
import type { LogCommitter } from "./types.js";

/** What the sweep asks the log, at the moment it decides about each key. */
export interface OrphanSweepView {
  /** `{namespace}/{topic}/{partition}/` */
  keyPrefix: string;
  /** True when a committed segment starts at `baseOffset` (its `.kfs` and `.index` are in use). */
  isCommittedBase(baseOffset: bigint): boolean;
  /** One past the last committed offset. */
  committedEnd(): bigint;
}

/**
 * Deletes the partition's segment and index objects that no committed segment refers to and
 * that start below the committed end: what failed flushes left behind once later flushes moved
 * past their offsets, and segments whose deletion (retention, DeleteRecords) was interrupted.
 *
 * Objects at or beyond the committed end are never touched: a flush in flight writes there, and
 * an orphan there is replaced when a flush needs its key. The decision about each key is taken
 * against the log's state at that moment, right before its delete, so a segment committed while
 * the sweep runs is never deleted; and a log whose view is stale (fenced, being reopened) only
 * ever knows less, so it deletes less; and before deleting anything it asks the committer to
 * confirm that the metadata store still holds the state the log knows (a topic deleted and
 * created again under the same name reuses the keys). Keys that are not segment objects of this
 * partition are left alone. Resolves with the deleted keys; a failed delete is logged and skipped.
 */
export async function sweepOrphanObjects(
  store: ObjectStore,
  view: OrphanSweepView,
  committer: Pick<LogCommitter, "confirmUnchanged">,
  logger: StorageLogger,
): Promise<string[]> {
  const candidates: { key: string; baseOffset: bigint }[] = [];
  for await (const { key } of store.list(view.keyPrefix)) {
    const parsed = parseSegmentObjectKey(key);
    if (parsed === null || parsed.prefix !== view.keyPrefix) continue;
    if (isOrphan(view, parsed.baseOffset)) candidates.push({ key, baseOffset: parsed.baseOffset });
  }
  if (candidates.length === 0) return [];
  await committer.confirmUnchanged?.();
  const deleted: string[] = [];
  for (const { key, baseOffset } of candidates) {
    if (!isOrphan(view, baseOffset)) continue;
    try {
      await store.delete(key);
      deleted.push(key);
    } catch (err) {
      if (isStorageError(err, "CLOSED")) break;
      logger.warn({ err, key }, "could not delete an orphan object; the next sweep tries again");
    }
  }
  return deleted;
}

function isOrphan(view: OrphanSweepView, baseOffset: bigint): boolean {
  return baseOffset < view.committedEnd() && !view.isCommittedBase(baseOffset);
}
