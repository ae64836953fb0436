import { expect } from "vitest";

/** A message to produce. Values are long and repetitive so that every codec really compresses. */
export interface OutMessage {
  key: string | null;
  value: string;
  headers?: Record<string, string>;
  partition?: number;
}

/** A message the broker acknowledged: where it went. */
export interface Delivered {
  key: string | null;
  value: string;
  partition: number;
  offset: number;
}

/** A message a consumer read. */
export interface Consumed {
  partition: number;
  offset: number;
  key: string | null;
  value: string;
  headers?: Record<string, string>;
  timestamp?: number;
}

export const CODECS = ["none", "gzip", "snappy", "lz4", "zstd"] as const;
export type Codec = (typeof CODECS)[number];

/**
 * `count` messages over `keys` keys, round robin; each value names its key and its sequence
 * number within the key ("<prefix>|<key>|<seq>|padding"), so per-key order can be checked.
 */
export function keyedMessages(prefix: string, count: number, keys = 8, headers?: Record<string, string>): OutMessage[] {
  return Array.from({ length: count }, (_, i) => {
    const key = `key-${i % keys}`;
    const seq = Math.floor(i / keys);
    return {
      key,
      value: `${prefix}|${key}|${seq}|${"kafscale end-to-end payload ".repeat(8)}`,
      ...(headers === undefined ? {} : { headers: { ...headers, seq: String(seq) } }),
    };
  });
}

/** "prefix|key|seq|..." → seq. */
export function seqOf(value: string): number {
  return Number(value.split("|")[2]);
}

/** (partition, offset) as one comparable string. */
export const at = (m: { partition: number; offset: number }) => `${m.partition}@${m.offset}`;

/**
 * Every key lives in one partition, offsets grow within a partition, and a key's sequence
 * numbers grow with its offsets (Kafka's per-partition order for keyed messages).
 */
export function expectPerPartitionOrder(messages: readonly Consumed[]): void {
  const partitionOfKey = new Map<string, number>();
  const lastSeqOfKey = new Map<string, number>();
  const lastOffsetOfPartition = new Map<number, number>();
  const sorted = [...messages].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  for (const m of messages) {
    const last = lastOffsetOfPartition.get(m.partition);
    if (last !== undefined) expect(m.offset, `offsets of partition ${m.partition} grow in delivery order`).toBeGreaterThan(last);
    lastOffsetOfPartition.set(m.partition, m.offset);
  }
  for (const m of sorted) {
    if (m.key === null) continue;
    const p = partitionOfKey.get(m.key);
    if (p !== undefined) expect(m.partition, `partition of ${m.key}`).toBe(p);
    partitionOfKey.set(m.key, m.partition);
    const seq = seqOf(m.value);
    const lastSeq = lastSeqOfKey.get(m.key);
    if (lastSeq !== undefined) expect(seq, `sequence of ${m.key} at ${at(m)}`).toBeGreaterThan(lastSeq);
    lastSeqOfKey.set(m.key, seq);
  }
}

/** The consumed messages are exactly the delivered ones: same places, keys and values, no extras. */
export function expectExactly(consumed: readonly Consumed[], delivered: readonly Delivered[]): void {
  const view = (m: Consumed | Delivered) => `${at(m)} ${m.key ?? "<null>"} ${m.value}`;
  const sort = (xs: readonly (Consumed | Delivered)[]) =>
    [...xs].sort((a, b) => a.partition - b.partition || a.offset - b.offset).map(view);
  expect(sort(consumed)).toEqual(sort(delivered));
}

/** The multiset of "(partition@offset)" strings has no repeats. */
export function duplicatesOf(items: readonly string[]): string[] {
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const s of items) (seen.has(s) ? dups : seen).add(s);
  return [...dups];
}

/**
 * For clients that report no offsets when producing: the consumed messages are exactly the
 * produced ones (keys and values, as a multiset), and every partition's offsets run 0, 1, 2, ...
 * (`from` for a partition that started later) without holes.
 */
export function expectSameContent(consumed: readonly Consumed[], produced: readonly OutMessage[], from: ReadonlyMap<number, number> = new Map()): void {
  const view = (m: { key: string | null; value: string }) => `${m.key ?? "<null>"} ${m.value}`;
  expect([...consumed].map(view).sort()).toEqual([...produced].map(view).sort());
  const byPartition = new Map<number, number[]>();
  for (const m of consumed) byPartition.set(m.partition, [...(byPartition.get(m.partition) ?? []), m.offset]);
  for (const [p, unsorted] of byPartition) {
    const offsets = [...unsorted].sort((a, b) => a - b);
    const first = from.get(p) ?? 0;
    expect(offsets, `offsets of partition ${p}`).toEqual(offsets.map((_, i) => first + i));
  }
}
