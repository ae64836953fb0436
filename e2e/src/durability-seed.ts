/** A small seeded PRNG (mulberry32): the same seed gives the same kill schedule. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of this run: E2E_SEED, or a fixed default (printed so a failure can be replayed). */
export function testSeed(fallback: number): number {
  const raw = process.env["E2E_SEED"];
  return raw === undefined || raw === "" ? fallback : Number(raw);
}
