import { StorageError } from "../errors.js";
import { silentLogger, type StorageLogger } from "../logger.js";
import { independentFlushTimer, type FlushTimer } from "./flush-timer.js";
import { createSegmentCache, type SegmentCache } from "./segment-cache.js";

/** Default size trigger of a flush: 4 MiB of buffered batches (the reference design's segment size). */
export const DEFAULT_FLUSH_BYTES = 4 * 1024 * 1024;
/**
 * Default age trigger of a flush: 500 ms after the oldest buffered batch was
 * appended (the reference design's value). Every acks≠0 produce waits for its
 * flush, so this is also the produce latency of a lightly loaded partition;
 * a broker favouring latency over object-store request count lowers it (the
 * bench shows 5 ms and 50 ms).
 */
export const DEFAULT_FLUSH_AGE_MS = 500;
/** Default index density: an entry every 256 messages (≈ 16 entries in a 4 MiB segment of 1 KiB records). */
export const DEFAULT_INDEX_INTERVAL = 256;
/** Segments up to this size are read whole (one GET, then cached); see `wholeReadMaxBytes`. */
export const DEFAULT_WHOLE_READ_MAX_BYTES = 8 * 1024 * 1024;
/** Flushes of one partition in flight at once; see `maxFlushesInFlight`. */
export const DEFAULT_MAX_FLUSHES_IN_FLIGHT = 2;

/** Tuning of a {@link PartitionLog}. */
export interface PartitionLogOptions {
  /** Flush once this many bytes of batches are buffered. Default {@link DEFAULT_FLUSH_BYTES}. */
  flushBytes?: number;
  /** Flush once the oldest buffered batch is this old. Default {@link DEFAULT_FLUSH_AGE_MS}. */
  flushAgeMs?: number;
  /** Messages between `.index` entries. Default {@link DEFAULT_INDEX_INTERVAL}. */
  indexInterval?: number;
  /**
   * The clock of age-due flushes. A broker shares one made by `createAlignedFlushTimer()` among
   * its partitions so that they flush together. Default: each log its own timer.
   */
  flushTimer?: FlushTimer;
  /**
   * The segment cache, normally one shared by all partitions of a broker.
   * Default: a private cache of 4 × `flushBytes`.
   */
  cache?: SegmentCache;
  /**
   * When set, written into each stored batch's `partitionLeaderEpoch` (Kafka
   * stamps the leader epoch there). Default: the producer's value is kept
   * (clients send -1).
   */
  leaderEpoch?: number;
  /**
   * Flushes of one partition that may run at once: a full buffer (`flushBytes`) writes its
   * objects while earlier flushes still write or commit (commits stay in offset order), so a slow
   * write does not hold up the next full segment; a buffer due by age waits for the flush in
   * flight. Default {@link DEFAULT_MAX_FLUSHES_IN_FLIGHT}; 1 flushes strictly one at a time.
   */
  maxFlushesInFlight?: number;
  /**
   * Segments up to this size are read with one GET of the whole object and cached; larger ones
   * by ranged GETs from their index. Default 8 MiB (0: always ranged).
   */
  wholeReadMaxBytes?: number;
  /** Default: silent. */
  logger?: StorageLogger;
  /** Clock, unix ms. Default `Date.now`. */
  now?: () => number;
  /**
   * Called once when the log becomes fenced (its committer refused a write:
   * another writer, or a metadata write whose outcome is unknown). The owner
   * reopens the partition from metadata.
   */
  onFenced?: (err: StorageError) => void;
}

export interface ResolvedPartitionLogOptions {
  flushBytes: number;
  flushAgeMs: number;
  indexInterval: number;
  flushTimer: FlushTimer;
  cache: SegmentCache;
  leaderEpoch: number | undefined;
  wholeReadMaxBytes: number;
  maxFlushesInFlight: number;
  logger: StorageLogger;
  now: () => number;
  onFenced: ((err: StorageError) => void) | undefined;
}

export function resolvePartitionLogOptions(options: PartitionLogOptions): ResolvedPartitionLogOptions {
  const flushBytes = options.flushBytes ?? DEFAULT_FLUSH_BYTES;
  const flushAgeMs = options.flushAgeMs ?? DEFAULT_FLUSH_AGE_MS;
  const indexInterval = options.indexInterval ?? DEFAULT_INDEX_INTERVAL;
  checkInteger("flushBytes", flushBytes, 1, 0x7fffffff - 1024);
  checkInteger("flushAgeMs", flushAgeMs, 0, 0x7fffffff);
  checkInteger("indexInterval", indexInterval, 1, 0x7fffffff);
  if (options.maxFlushesInFlight !== undefined) checkInteger("maxFlushesInFlight", options.maxFlushesInFlight, 1, 64);
  if (options.wholeReadMaxBytes !== undefined) checkInteger("wholeReadMaxBytes", options.wholeReadMaxBytes, 0, 0x7fffffff);
  if (options.leaderEpoch !== undefined) checkInteger("leaderEpoch", options.leaderEpoch, -1, 0x7fffffff);
  return {
    flushBytes,
    flushAgeMs,
    indexInterval,
    flushTimer: options.flushTimer ?? independentFlushTimer,
    cache: options.cache ?? createSegmentCache({ maxBytes: 4 * flushBytes }),
    leaderEpoch: options.leaderEpoch,
    wholeReadMaxBytes: options.wholeReadMaxBytes ?? DEFAULT_WHOLE_READ_MAX_BYTES,
    maxFlushesInFlight: options.maxFlushesInFlight ?? DEFAULT_MAX_FLUSHES_IN_FLIGHT,
    logger: options.logger ?? silentLogger,
    now: options.now ?? Date.now,
    onFenced: options.onFenced,
  };
}

function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new StorageError("INVALID_ARGUMENT", `${name} ${value} is not an integer in [${min}, ${max}]`);
  }
}
