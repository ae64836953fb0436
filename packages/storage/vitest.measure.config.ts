import { defineConfig } from "vitest/config";

// Measurements that need a real S3 and take minutes (`pnpm measure:s3-put-cpu`); not tests.
export default defineConfig({
  test: {
    include: ["src/**/*.measure.ts"],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
});
