/**
 * Compares keys by code point, which is the order of their UTF-8 bytes and so etcd's order.
 * JavaScript's `<` compares UTF-16 code units, which puts U+10000.. (surrogate pairs, D800–DFFF)
 * before U+E000..U+FFFF; this fixes that up at the first differing unit.
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Maps a UTF-16 code unit so that surrogates rank above U+E000..U+FFFF. */
function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  if (unit < 0xe000) return unit + 0x2000; // surrogate: part of a code point ≥ U+10000
  return unit - 0x800; // U+E000..U+FFFF
}
