import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/group-store.contract.ts"],
  // The contract suite (./contract) is for other packages' tests: vitest stays their dependency.
  external: ["vitest"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
});
