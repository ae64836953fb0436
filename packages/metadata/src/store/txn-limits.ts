/**
 * The most operations the typed store puts in one transaction: etcd refuses transactions with
 * more than `--max-txn-ops` operations (128 by default), and the store must work on a default
 * etcd. Writes whose size grows with their input (offset commits, offset and segment deletes)
 * are split into transactions of at most this many operations; topic creation and growth write
 * no per-partition keys at all (see `partition-state-write.ts`).
 */
export const MAX_TXN_OPS = 128;

/** `items` in consecutive chunks of at most `size` (at least one chunk, possibly empty). */
export function chunks<T>(items: readonly T[], size: number = MAX_TXN_OPS): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out.length === 0 ? [[]] : out;
}
