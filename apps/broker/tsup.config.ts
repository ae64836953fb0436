import { defineConfig } from "tsup";

// `pnpm build` empties dist/ first (two configs build in parallel, so neither may clean it).
// Two outputs: the CommonJS launcher (dist/main.cjs, see src/main.cts) and the ESM service it loads.
export default defineConfig([
  {
    entry: { main: "src/main.cts" },
    format: ["cjs"],
    outExtension: () => ({ js: ".cjs" }),
    external: ["./service.js"],
    sourcemap: true,
    target: "node20",
    banner: { js: "#!/usr/bin/env node" },
  },
  {
    entry: { service: "src/service.ts" },
    format: ["esm"],
    sourcemap: true,
    target: "node20",
  },
]);
