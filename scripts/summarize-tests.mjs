// Reads test output on stdin, echoes it, and closes with one line "N passed, N failed" summed
// over every vitest run in it (turbo runs one per package).
import { createInterface } from "node:readline";

let passed = 0;
let failed = 0;
let skipped = 0;
const strip = (s) => s.replace(/\x1b\[[0-9;]*m/g, "");
for await (const line of createInterface({ input: process.stdin })) {
  console.log(line);
  const m = /^(?:.*?:\s+)?\s*Tests\s+(.*)\(\d+\)\s*$/.exec(strip(line));
  if (!m) continue;
  for (const [, n, what] of m[1].matchAll(/(\d+) (passed|failed|skipped|todo)/g)) {
    if (what === "passed") passed += Number(n);
    else if (what === "failed") failed += Number(n);
    else skipped += Number(n);
  }
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
