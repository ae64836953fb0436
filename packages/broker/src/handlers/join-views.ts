const EMPTY = new Uint8Array(0);

/**
 * Joins byte views into one. Views that sit back to back in one buffer (batches of one cached
 * segment) become a single view without copying; otherwise they are copied once.
 */
export function joinViews(views: readonly Uint8Array[]): Uint8Array {
  if (views.length === 0) return EMPTY;
  const first = views[0]!;
  if (views.length === 1) return first;
  let end = first.byteOffset + first.byteLength;
  let total = first.byteLength;
  let contiguous = true;
  for (let i = 1; i < views.length; i++) {
    const v = views[i]!;
    if (v.buffer !== first.buffer || v.byteOffset !== end) contiguous = false;
    end = v.byteOffset + v.byteLength;
    total += v.byteLength;
  }
  if (contiguous) return new Uint8Array(first.buffer, first.byteOffset, total);
  const unfilled = Buffer.allocUnsafeSlow(total);
  const out = new Uint8Array(unfilled.buffer, unfilled.byteOffset, total);
  let at = 0;
  for (const v of views) {
    out.set(v, at);
    at += v.byteLength;
  }
  return out;
}
