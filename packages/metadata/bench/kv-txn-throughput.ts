// Transactions per second of the embedded KvStore backends: sequential (one client awaiting
// each txn: bounded by one fdatasync per txn) and parallel (many clients: group commit shares
// one write and one sync between the txns that arrive during the previous sync).
//
// Run: pnpm --filter @kafscale/metadata bench   (KV_BENCH_SECONDS=2 by default per case)
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemoryKvStore, openFileKvStore } from "../src/index.js";
import type { KvStore } from "../src/index.js";

const SECONDS = Number(process.env["KV_BENCH_SECONDS"] ?? 2);
const value = new Uint8Array(200).fill(7); // about a PartitionState with a few segments

// Count fdatasync calls by wrapping FileHandle.prototype.datasync.
let syncs = 0;
{
  const probe = await open(tmpdir(), "r");
  const proto = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
  await probe.close();
  const original = proto.datasync;
  proto.datasync = function (this: unknown) {
    syncs++;
    return original.call(this);
  };
}

interface Result {
  txns: number;
  /** Transactions that applied their writes (CAS losers do not). */
  succeeded: number;
  seconds: number;
  syncs: number;
}

async function run(store: KvStore, clients: number, op: (client: number, i: number) => Promise<boolean>): Promise<Result> {
  const deadline = performance.now() + SECONDS * 1000;
  const syncsBefore = syncs;
  const start = performance.now();
  let txns = 0;
  let succeeded = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = 0; performance.now() < deadline; i++) {
        if (await op(c, i)) succeeded++;
        txns++;
      }
    }),
  );
  void store;
  return { txns, succeeded, seconds: (performance.now() - start) / 1000, syncs: syncs - syncsBefore };
}

const rows: Array<Record<string, string | number>> = [];
function report(backend: string, workload: string, clients: number, r: Result) {
  rows.push({
    backend,
    workload,
    clients,
    "txn/s": Math.round(r.txns / r.seconds),
    "succeeded/s": Math.round(r.succeeded / r.seconds),
    "txns per fsync": r.syncs === 0 ? "-" : (r.txns / r.syncs).toFixed(1),
  });
}

async function cases(backend: string, openStore: () => Promise<KvStore>) {
  for (const clients of [1, 16, 64]) {
    const store = await openStore();
    report(backend, "put (own keys)", clients, await run(store, clients, (c, i) => store.put(`/kafscale/topics/t/partitions/${c}-${i % 100}`, value).then(() => true)));
    await store.close();
  }
  for (const clients of [1, 16]) {
    const store = await openStore();
    await store.put("/counter", value);
    report(
      backend,
      "CAS one counter (get + txn)",
      clients,
      await run(store, clients, async () => {
        const kv = (await store.get("/counter"))!;
        const r = await store.txn({ compare: [{ key: "/counter", modRevision: kv.modRevision }], success: [{ type: "put", key: "/counter", value }] });
        return r.succeeded;
      }),
    );
    await store.close();
  }
}

const dir = await mkdtemp(join(tmpdir(), "kafscale-kv-bench-"));
try {
  let n = 0;
  await cases("file://", () => openFileKvStore(join(dir, String(n++))));
  await cases("memory://", async () => createMemoryKvStore());
} finally {
  await rm(dir, { recursive: true, force: true });
}
console.log(`KvStore txn throughput (${SECONDS} s per case, 200-byte values, Node ${process.version})`);
console.table(rows);
