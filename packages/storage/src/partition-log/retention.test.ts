import { describe, expect, it } from "vitest";
import { countRetentionDeletions, countSegmentsBelow } from "./retention.js";
import type { SegmentInfo } from "./types.js";

const seg = (baseOffset: number, lastOffset: number, sizeBytes: number, newestMs: number, withMax = true): SegmentInfo => ({
  baseOffset: BigInt(baseOffset),
  lastOffset: BigInt(lastOffset),
  sizeBytes,
  messageCount: lastOffset - baseOffset + 1,
  createdAtMs: newestMs + 1_000_000,
  ...(withMax ? { maxTimestampMs: newestMs } : {}),
});

const segments = [seg(0, 9, 100, 1_000), seg(10, 19, 200, 2_000), seg(20, 29, 300, 1_500), seg(30, 39, 400, 4_000)];

describe("countRetentionDeletions()", () => {
  it.each([
    [{ retentionMs: -1, retentionBytes: -1, nowMs: 1e12 }, 0],
    [{ retentionMs: 1_000, retentionBytes: -1, nowMs: 2_000 }, 0],
    [{ retentionMs: 999, retentionBytes: -1, nowMs: 2_000 }, 1],
    // Time deletes a prefix only: segment 2 is older than segment 1 but stays while 1 stays.
    [{ retentionMs: 600, retentionBytes: -1, nowMs: 2_500 }, 1],
    [{ retentionMs: 400, retentionBytes: -1, nowMs: 2_500 }, 3],
    [{ retentionMs: 0, retentionBytes: -1, nowMs: 4_001 }, 4],
    [{ retentionMs: -1, retentionBytes: 1_000, nowMs: 0 }, 0],
    [{ retentionMs: -1, retentionBytes: 901, nowMs: 0 }, 0],
    [{ retentionMs: -1, retentionBytes: 900, nowMs: 0 }, 1],
    [{ retentionMs: -1, retentionBytes: 700, nowMs: 0 }, 2],
    [{ retentionMs: -1, retentionBytes: 1, nowMs: 0 }, 3],
    [{ retentionMs: -1, retentionBytes: 0, nowMs: 0 }, 4],
    // Size applies to what time left: time removes 1 (100 B), the rest (900 B) must shrink to 500.
    [{ retentionMs: 999, retentionBytes: 500, nowMs: 2_000 }, 2],
  ])("%o deletes %i segments", (policy, expected) => {
    expect(countRetentionDeletions(segments, policy)).toBe(expected);
  });

  it("falls back to the creation time without maxTimestampMs", () => {
    const noMax = [seg(0, 9, 100, 1_000, false)];
    expect(countRetentionDeletions(noMax, { retentionMs: 10, retentionBytes: -1, nowMs: 1_000_000 })).toBe(0);
    expect(countRetentionDeletions(noMax, { retentionMs: 10, retentionBytes: -1, nowMs: 1_001_011 })).toBe(1);
  });
});

describe("countSegmentsBelow()", () => {
  it.each([
    [0n, 0],
    [9n, 0],
    [10n, 1],
    [29n, 2],
    [40n, 4],
  ])("below %s: %i segments", (offset, expected) => {
    expect(countSegmentsBelow(segments, offset)).toBe(expected);
  });
});
