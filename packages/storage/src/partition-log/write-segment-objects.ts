import { isStorageError, ObjectExistsError, StorageError } from "../errors.js";
import type { StorageLogger } from "../logger.js";
import type { ObjectStore } from "../object-store/object-store.js";
import type { LogCommitter } from "./types.js";

export interface SegmentObjects {
  topic: string;
  partition: number;
  /** The committed end offset, which is also the new segment's base offset. */
  committedNextOffset: bigint;
  objects: { key: string; body: Uint8Array | readonly Uint8Array[] }[];
}

/**
 * Creates a flush's objects (segment and index, in parallel) with
 * `putIfAbsent`, never overwriting.
 *
 * A key that already exists can only be an orphan: its base offset is the
 * committed end offset, so no commit refers to it. It is left by a flush
 * whose put succeeded but whose commit failed (this log's, or a previous
 * leader's). The log confirms with the committer when it can
 * (`confirmOrphan`: still leader, end offset unchanged), deletes the orphan
 * and retries once. If the key is taken again, someone else is writing this
 * partition: `FENCED`.
 *
 * Resolves when every object exists; otherwise rejects with the most telling
 * error (`FENCED` first), after every put has settled, so that no put of this
 * flush is still running when the next flush starts.
 */
export async function writeSegmentObjects(
  store: ObjectStore,
  committer: LogCommitter,
  logger: StorageLogger,
  segment: SegmentObjects,
): Promise<void> {
  const results = await Promise.allSettled(segment.objects.map(({ key, body }) => putFresh(store, committer, logger, segment, key, body)));
  const failures = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
  if (failures.length > 0) throw failures.find((e) => isStorageError(e, "FENCED")) ?? failures[0];
}

async function putFresh(
  store: ObjectStore,
  committer: LogCommitter,
  logger: StorageLogger,
  segment: SegmentObjects,
  key: string,
  body: Uint8Array | readonly Uint8Array[],
): Promise<void> {
  try {
    await store.putIfAbsent(key, body);
    return;
  } catch (err) {
    if (!(err instanceof ObjectExistsError)) throw err;
  }
  const { topic, partition, committedNextOffset } = segment;
  await committer.confirmOrphan?.({ topic, partition, key, committedNextOffset });
  logger.warn({ topic, partition, key, committedNextOffset: committedNextOffset.toString() }, "deleting an orphan object of a failed flush");
  await store.delete(key);
  try {
    await store.putIfAbsent(key, body);
  } catch (err) {
    if (err instanceof ObjectExistsError) {
      throw new StorageError("FENCED", `object ${JSON.stringify(key)} was created again by another writer after its orphan was deleted`, {
        cause: err,
      });
    }
    throw err;
  }
}
