import { iterateBatches, lastOffset, RecordBatchError, verifyBatchCrc, type RecordBatchView } from "@kafscale/protocol/records";
import { isStorageError, StorageError } from "../errors.js";
import type { StorageLogger } from "../logger.js";
import type { ObjectStore } from "../object-store/object-store.js";
import { decodeIndex, lookupIndex, type SegmentIndex } from "../segment/index-format.js";
import { SEGMENT_FOOTER_SIZE, SEGMENT_HEADER_SIZE, verifySegment } from "../segment/segment-format.js";
import type { SegmentCache, StoredBatch } from "./segment-cache.js";
import type { SegmentInfo } from "./types.js";

/** A segment the metadata says exists, with its object keys. */
export interface CommittedSegment {
  info: SegmentInfo;
  key: string;
  indexKey: string;
}

/** Whole batches read from one segment. */
export interface SegmentSlice {
  batches: Uint8Array[];
  bytes: number;
  /** True when reading stopped because the next batch would exceed the budget (rather than at the segment's end). */
  full: boolean;
}

/** Smallest ranged read, so that small budgets do not cost a second GET for a whole first batch. */
const MIN_WINDOW = 64 * 1024;


/**
 * Reads batches of committed segments: from the cache when the segment is
 * there, otherwise from the object store with one ranged GET from the index
 * entry at or before the wanted offset (indexes are cached).
 */
export class SegmentReader {
  readonly #store: ObjectStore;
  readonly #cache: SegmentCache;
  readonly #logger: StorageLogger;
  /** Whole-segment loads in progress, so that concurrent readers of one segment share one GET. */
  readonly #loading = new Map<string, Promise<StoredBatch[]>>();

  /**
   * Segments up to `wholeReadMaxBytes` are read whole with one GET (no index GET) and kept in the
   * cache, so the next fetch of the partition, and other consumers, read them from memory. Larger
   * ones are read by ranged GETs from their index.
   */
  constructor(
    store: ObjectStore,
    cache: SegmentCache,
    logger: StorageLogger,
    readonly wholeReadMaxBytes: number,
  ) {
    this.#store = store;
    this.#cache = cache;
    this.#logger = logger;
  }

  /**
   * The whole batches of `segment` from the one holding `from` onwards, while
   * their total stays within `budget` bytes; with `needOne`, the first batch
   * is returned even if it alone exceeds the budget.
   */
  async read(segment: CommittedSegment, from: bigint, budget: number, needOne: boolean): Promise<SegmentSlice> {
    const cached = this.#cache.get(segment.key);
    if (cached?.kind === "segment") return sliceBatches(cached.batches, from, budget, needOne);
    if (segment.info.sizeBytes <= this.wholeReadMaxBytes) return sliceBatches(await this.loadBatches(segment), from, budget, needOne);
    return this.#readFromStore(segment, from, budget, needOne);
  }

  /** True when `segment` is in the cache. */
  isCached(segment: CommittedSegment): boolean {
    return this.#cache.get(segment.key)?.kind === "segment";
  }

  /**
   * Every batch of `segment`: from the cache, or one GET of the whole object, verified and then
   * cached (concurrent calls for one segment share the GET).
   */
  loadBatches(segment: CommittedSegment): Promise<StoredBatch[]> {
    const cached = this.#cache.get(segment.key);
    if (cached?.kind === "segment") return Promise.resolve(cached.batches);
    let loading = this.#loading.get(segment.key);
    if (loading === undefined) {
      loading = this.#loadWhole(segment).finally(() => this.#loading.delete(segment.key));
      this.#loading.set(segment.key, loading);
    }
    return loading;
  }

  async #loadWhole(segment: CommittedSegment): Promise<StoredBatch[]> {
    const bytes = await this.#store.get(segment.key);
    const { header, footer, body } = verifySegment(bytes);
    const { info } = segment;
    if (header.baseOffset !== info.baseOffset || footer.lastOffset !== info.lastOffset || bytes.length !== info.sizeBytes) {
      throw new StorageError(
        "CORRUPT_SEGMENT",
        `segment ${segment.key} holds offsets ${header.baseOffset}..${footer.lastOffset} in ${bytes.length} bytes; ` +
          `metadata says ${info.baseOffset}..${info.lastOffset} in ${info.sizeBytes}`,
      );
    }
    const batches: StoredBatch[] = [];
    for (const view of iterateBatches(body)) {
      batches.push({
        baseOffset: view.header.baseOffset,
        lastOffset: lastOffset(view.header),
        maxTimestamp: view.header.maxTimestamp,
        bytes: view.bytes,
      });
    }
    this.#cache.set(segment.key, { kind: "segment", batches, size: bytes.length });
    return batches;
  }

  async #readFromStore(segment: CommittedSegment, from: bigint, budget: number, needOne: boolean): Promise<SegmentSlice> {
    const { info } = segment;
    const bodyEnd = info.sizeBytes - SEGMENT_FOOTER_SIZE;
    let position = SEGMENT_HEADER_SIZE;
    let expectedFirst = info.baseOffset;
    // A position the batch holding `from` starts at or before.
    let bound = SEGMENT_HEADER_SIZE;
    if (from > info.baseOffset) {
      const index = await this.#loadIndex(segment);
      bound = bodyEnd;
      if (index !== null) {
        const { floor, next } = lookupIndex(index.entries, from);
        if (floor !== null) {
          position = floor.position;
          expectedFirst = floor.offset;
        }
        if (next !== null) bound = next.position;
      }
    }

    const out: Uint8Array[] = [];
    let used = 0;
    let first = true;
    let windowEnd = Math.min(bodyEnd, bound + Math.max(budget, MIN_WINDOW));
    while (position < bodyEnd) {
      const window = await this.#store.get(segment.key, { start: position, end: windowEnd });
      const walk = walkWindow(window, segment, position);
      for (const view of walk.batches) {
        const last = lastOffset(view.header);
        if (first && view.header.baseOffset !== expectedFirst) {
          throw corruptAt(segment, position, `batch starts at offset ${view.header.baseOffset}, expected ${expectedFirst}`);
        }
        first = false;
        if (last > info.lastOffset) throw corruptAt(segment, position + view.position, `batch ends at offset ${last}, past the segment's ${info.lastOffset}`);
        if (last < from) continue;
        if ((out.length > 0 || !needOne) && used + view.bytes.length > budget) return { batches: out, bytes: used, full: true };
        // A ranged read skips the segment's CRC, so each batch's own CRC-32C is checked instead.
        if (!verifyBatchCrc(view.bytes)) throw corruptAt(segment, position + view.position, `batch at offset ${view.header.baseOffset} fails its CRC-32C`);
        out.push(view.bytes);
        used += view.bytes.length;
      }
      position += walk.consumed;
      if (position >= bodyEnd) break;
      if (windowEnd >= bodyEnd) throw corruptAt(segment, position, "the body ends inside a batch");
      // Batches that fit the budget lie inside the window, so a cut batch after some were taken would not fit.
      if (out.length > 0) return { batches: out, bytes: used, full: true };
      windowEnd = Math.min(bodyEnd, position + Math.max(walk.partialSize ?? 0, budget, MIN_WINDOW));
    }
    return { batches: out, bytes: used, full: false };
  }

  async #loadIndex(segment: CommittedSegment): Promise<SegmentIndex | null> {
    const cached = this.#cache.get(segment.indexKey);
    if (cached?.kind === "index") return cached.index;
    try {
      const bytes = await this.#store.get(segment.indexKey);
      const index = decodeIndex(bytes);
      this.#cache.set(segment.indexKey, { kind: "index", index, size: bytes.length });
      return index;
    } catch (err) {
      if (!isStorageError(err, "NOT_FOUND", "CORRUPT_INDEX")) throw err;
      this.#logger.warn({ err, key: segment.indexKey }, "segment index unusable; reading the segment from its start");
      return null;
    }
  }
}

/** The complete batches at the start of `window`, how many bytes they cover, and the declared size of a cut batch after them. */
function walkWindow(
  window: Uint8Array,
  segment: CommittedSegment,
  windowStart: number,
): { batches: RecordBatchView[]; consumed: number; partialSize: number | null } {
  const batches: RecordBatchView[] = [];
  try {
    const iterator = iterateBatches(window);
    for (;;) {
      const step = iterator.next();
      if (step.done === true) {
        const partial = step.value;
        return { batches, consumed: partial === null ? window.length : partial.position, partialSize: partial?.declaredSize ?? null };
      }
      batches.push(step.value);
    }
  } catch (err) {
    if (err instanceof RecordBatchError) throw corruptAt(segment, windowStart, err.message, err);
    throw err;
  }
}

/** Whole batches from the one holding `from`, within `budget` (at least one with `needOne`). */
export function sliceBatches(batches: readonly StoredBatch[], from: bigint, budget: number, needOne: boolean): SegmentSlice {
  let lo = 0;
  let hi = batches.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (batches[mid]!.lastOffset < from) lo = mid + 1;
    else hi = mid;
  }
  const out: Uint8Array[] = [];
  let used = 0;
  for (let i = lo; i < batches.length; i++) {
    const bytes = batches[i]!.bytes;
    if ((out.length > 0 || !needOne) && used + bytes.length > budget) return { batches: out, bytes: used, full: true };
    out.push(bytes);
    used += bytes.length;
  }
  return { batches: out, bytes: used, full: false };
}

function corruptAt(segment: CommittedSegment, position: number, why: string, cause?: unknown): StorageError {
  return new StorageError("CORRUPT_SEGMENT", `segment ${segment.key} near byte ${position}: ${why}`, cause === undefined ? undefined : { cause });
}
