import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // The S3 tests start a real Ceph RGW per file (src/object-store/s3/*.test.ts); the AWS SDK
    // would otherwise warn on every run that it will need Node 22 in 2027.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
});
