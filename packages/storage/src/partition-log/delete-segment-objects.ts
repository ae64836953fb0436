import type { StorageLogger } from "../logger.js";
import type { ObjectStore } from "../object-store/object-store.js";
import type { CommittedSegment } from "./segment-reader.js";

/**
 * Deletes the `.kfs` and `.index` objects of segments already removed from
 * the log (and from metadata). A failure only leaves garbage behind: the keys
 * are returned so the caller can report them, and nothing refers to them.
 */
export async function deleteSegmentObjects(store: ObjectStore, segments: readonly CommittedSegment[], logger: StorageLogger): Promise<string[]> {
  const undeleted: string[] = [];
  for (const segment of segments) {
    for (const key of [segment.key, segment.indexKey]) {
      try {
        await store.delete(key);
      } catch (err) {
        undeleted.push(key);
        logger.warn({ err, key }, "could not delete an object of a removed segment; it is garbage now");
      }
    }
  }
  return undeleted;
}
