import { defineConfig } from "vitest/config";

/**
 * Every test file starts its own broker on a free port with its own data directory, so files run
 * in parallel (two workers for this suite's 2-core machines; the clients mostly wait on the
 * network and on group rebalances). Timeouts are generous: a rebalance takes seconds.
 */
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
    pool: "forks",
    maxWorkers: 2,
    fileParallelism: true,
  },
});
