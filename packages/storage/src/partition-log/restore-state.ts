import { StorageError } from "../errors.js";
import { indexObjectKey, partitionKeyPrefix, segmentObjectKey } from "../segment/object-keys.js";
import { SEGMENT_FOOTER_SIZE, SEGMENT_HEADER_SIZE } from "../segment/segment-format.js";
import { resolvePartitionLogOptions, type ResolvedPartitionLogOptions } from "./options.js";
import type { CommittedSegment } from "./segment-reader.js";
import type { OpenPartitionLogConfig, SegmentInfo } from "./types.js";

export interface RestoredState {
  keyPrefix: string;
  options: ResolvedPartitionLogOptions;
  segments: CommittedSegment[];
  logStartOffset: bigint;
  nextOffset: bigint;
}

/** Checks what metadata says (sorted, non-overlapping segments; start ≤ end) and derives the defaults. */
export function restoreState(config: OpenPartitionLogConfig): RestoredState {
  const keyPrefix = partitionKeyPrefix(config);
  const options = resolvePartitionLogOptions(config);
  const invalid = (why: string): StorageError =>
    new StorageError("INVALID_ARGUMENT", `cannot open ${config.topic}-${config.partition}: ${why}`);
  const segments: CommittedSegment[] = [];
  let previous: SegmentInfo | null = null;
  for (const info of config.segments ?? []) {
    if (info.baseOffset < 0n || info.lastOffset < info.baseOffset) throw invalid(`segment ${info.baseOffset}..${info.lastOffset} is empty or negative`);
    if (previous !== null && info.baseOffset <= previous.lastOffset) {
      throw invalid(`segment ${info.baseOffset}..${info.lastOffset} overlaps or precedes ${previous.baseOffset}..${previous.lastOffset}`);
    }
    if (!Number.isSafeInteger(info.sizeBytes) || info.sizeBytes < SEGMENT_HEADER_SIZE + SEGMENT_FOOTER_SIZE) {
      throw invalid(`segment ${info.baseOffset} has an impossible size ${info.sizeBytes}`);
    }
    segments.push({ info: { ...info }, key: segmentObjectKey(keyPrefix, info.baseOffset), indexKey: indexObjectKey(keyPrefix, info.baseOffset) });
    previous = info;
  }
  const afterLast = previous === null ? null : previous.lastOffset + 1n;
  const nextOffset = config.nextOffset ?? afterLast ?? config.logStartOffset ?? 0n;
  if (afterLast !== null && nextOffset < afterLast) throw invalid(`nextOffset ${nextOffset} is inside the last segment (which ends at ${afterLast - 1n})`);
  const logStartOffset = config.logStartOffset ?? segments[0]?.info.baseOffset ?? nextOffset;
  if (logStartOffset < 0n || logStartOffset > nextOffset) throw invalid(`logStartOffset ${logStartOffset} is not in [0, ${nextOffset}]`);
  return { keyPrefix, options, segments, logStartOffset, nextOffset };
}
