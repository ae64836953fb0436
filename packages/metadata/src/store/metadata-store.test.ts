import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openFileKvStore } from "../kv/file/file-kv-store.js";
import type { KvStore } from "../kv/kv-store.js";
import { createMemoryKvStore } from "../kv/memory-kv-store.js";
import { createManualClock } from "../manual-clock.js";
import { runMetadataStoreContract } from "./metadata-store.contract.js";

runMetadataStoreContract("memory:// (manual clock)", async () => {
  const clock = createManualClock();
  const kv = createMemoryKvStore({ clock });
  return { kv, clock, cleanup: () => kv.close() };
});

runMetadataStoreContract("memory:// (system clock)", async () => {
  const kv = createMemoryKvStore();
  return { kv, cleanup: () => kv.close() };
});

runMetadataStoreContract("file:// (manual clock, 4 KiB snapshot threshold)", async () => {
  const dir = await mkdtemp(join(tmpdir(), "kafscale-metadata-test-"));
  const clock = createManualClock();
  const options = { clock, snapshotThresholdBytes: 4096 };
  let current: KvStore = await openFileKvStore(dir, options);
  return {
    kv: current,
    clock,
    async reopen() {
      await current.close();
      current = await openFileKvStore(dir, options);
      return current;
    },
    async cleanup() {
      await current.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}, { durable: true });
