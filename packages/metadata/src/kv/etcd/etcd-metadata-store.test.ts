import { runMetadataStoreContract } from "../../store/metadata-store.contract.js";
import { openEtcdStore, uniquePrefix, useEtcd, wipe } from "./etcd-test-support.js";

// The typed store over a real etcd with its defaults (--max-txn-ops 128), one prefix per test.
// etcd rounds lease TTLs up to seconds (minimum 2 s by default): broker registrations use 1 s.
const etcd = useEtcd();

runMetadataStoreContract(
  "etcd (real etcd 3.4, one prefix per test)",
  async () => {
    const prefix = uniquePrefix();
    let current = await openEtcdStore(etcd(), prefix);
    return {
      kv: current,
      async reopen() {
        await current.close();
        current = await openEtcdStore(etcd(), prefix);
        return current;
      },
      async cleanup() {
        await current.close();
        await wipe(etcd(), prefix);
      },
    };
  },
  { leaseTtlMs: 1_000, durable: true },
);
