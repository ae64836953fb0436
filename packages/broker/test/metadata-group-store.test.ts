import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runGroupStoreContract } from "@kafscale/group-coordinator/contract";
import { createEtcdKvStore, createMemoryKvStore, createMetadataStore, openFileKvStore, type KvStore } from "@kafscale/metadata";
import { startEtcd, type EtcdServer } from "@kafscale/test-servers";
import { afterAll, beforeAll } from "vitest";
import { MetadataGroupStore } from "../src/groups/metadata-group-store.js";

// The broker's group store (groups and offsets as kafscale.metadata.v1 records in the metadata
// store) against the GroupStore contract, on every metadata backend.
const over = (kv: KvStore) => new MetadataGroupStore(createMetadataStore(kv));

runGroupStoreContract("metadata store on memory://", async () => {
  const kv = createMemoryKvStore();
  return { store: over(kv), cleanup: () => kv.close() };
});

runGroupStoreContract("metadata store on file://", async () => {
  const dir = await mkdtemp(join(tmpdir(), "kafscale-groups-"));
  let kv = await openFileKvStore(dir);
  return {
    store: over(kv),
    reopen: async () => {
      await kv.close();
      kv = await openFileKvStore(dir);
      return over(kv);
    },
    cleanup: async () => {
      await kv.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

let etcd: EtcdServer;
beforeAll(async () => {
  etcd = await startEtcd();
}, 60_000);
afterAll(async () => etcd?.stop());

let run = 0;
runGroupStoreContract("metadata store on etcd", async () => {
  const prefix = `/groups-contract-${process.pid}-${run++}`;
  const open = () => createEtcdKvStore({ endpoints: [etcd.endpoint], prefix });
  const clients: KvStore[] = [await open()];
  return {
    store: over(clients[0]!),
    reopen: async () => {
      clients.push(await open());
      return over(clients.at(-1)!);
    },
    cleanup: async () => {
      await Promise.all(clients.map((c) => c.close()));
    },
  };
});
