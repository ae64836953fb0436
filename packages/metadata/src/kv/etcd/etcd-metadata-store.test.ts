import { runMetadataStoreContract } from "../../store/metadata-store.contract.js";
import { etcdHarness, useEtcd } from "./etcd-test-support.js";

// The typed store over a real etcd with its defaults (--max-txn-ops 128), one prefix per test.
// etcd rounds lease TTLs up to seconds (minimum 2 s by default): broker registrations use 1 s.
const etcd = useEtcd();

runMetadataStoreContract(
  "etcd (real etcd 3.4, one prefix per test)",
  async () => {
    const { store, reopen, cleanup } = await etcdHarness(etcd());
    return { kv: store, reopen, cleanup };
  },
  { leaseTtlMs: 1_000, durable: true },
);
