export { seededRandom } from "@kafscale/test-servers";

/** The seed of this run: E2E_SEED, or a fixed default (printed so a failure can be replayed). */
export function testSeed(fallback: number): number {
  const raw = process.env["E2E_SEED"];
  return raw === undefined || raw === "" ? fallback : Number(raw);
}
