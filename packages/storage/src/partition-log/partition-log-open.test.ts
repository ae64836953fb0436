import { describe, expect, it } from "vitest";
import { createMemoryObjectStore } from "../object-store/memory-object-store.js";
import { RecordingCommitter } from "../test-support/recording-committer.js";
import { PartitionLog } from "./partition-log.js";
import type { OpenPartitionLogConfig, SegmentInfo } from "./types.js";

const seg = (baseOffset: bigint, lastOffset: bigint): SegmentInfo => ({ baseOffset, lastOffset, sizeBytes: 1000, messageCount: 1, createdAtMs: 0 });
const open = (config: Partial<OpenPartitionLogConfig>): Promise<PartitionLog> =>
  PartitionLog.open({ store: createMemoryObjectStore(), committer: new RecordingCommitter(), topic: "t", partition: 0, ...config });

describe("PartitionLog.open()", () => {
  it.each([
    [{}, 0n, 0n],
    [{ nextOffset: 42n }, 42n, 42n],
    [{ segments: [seg(10n, 19n), seg(20n, 29n)] }, 10n, 30n],
    [{ segments: [seg(10n, 19n)], logStartOffset: 15n, nextOffset: 25n }, 15n, 25n],
  ])("derives offsets from %o", async (config, logStart, next) => {
    const log = await open(config);
    expect([log.logStartOffset, log.highWatermark, log.logEndOffset]).toEqual([logStart, next, next]);
    await log.close();
  });

  it.each([
    [{ segments: [seg(10n, 19n), seg(19n, 29n)] }, "overlaps or precedes"],
    [{ segments: [seg(20n, 29n), seg(10n, 19n)] }, "overlaps or precedes"],
    [{ segments: [seg(10n, 9n)] }, "is empty or negative"],
    [{ segments: [seg(10n, 19n)], nextOffset: 15n }, "nextOffset 15 is inside the last segment"],
    [{ nextOffset: 5n, logStartOffset: 6n }, "logStartOffset 6 is not in [0, 5]"],
    [{ segments: [{ ...seg(0n, 1n), sizeBytes: 47 }] }, "impossible size 47"],
    [{ flushBytes: 0 }, "flushBytes 0"],
    [{ indexInterval: 0 }, "indexInterval 0"],
    [{ topic: "a/b" }, 'topic "a/b" cannot be used'],
  ])("refuses %o", async (config, message) => {
    await expect(open(config)).rejects.toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringContaining(message) });
  });
});
