/**
 * Optional CPU pinning for the s3-etcd runs (BENCH_BROKER_S3_PIN=1), to emulate a gateway on a
 * machine of its own: radosgw, ceph-osd, ceph-mon and etcd on CPU 0; this process (the counting
 * proxy, the raw PUT client) and everything it starts from then on (the broker, the Kafka
 * clients) on the other CPUs. Both the raw PUT and the broker's produce then get the same CPU
 * for the gateway, and the broker's own cost no longer takes CPU from it. Uses `taskset`
 * (util-linux) on every thread (`-a`). Other users' processes are not pinned.
 */
import { spawnSync } from "node:child_process";
import os from "node:os";

function taskset(cpus: string, pid: number): void {
  const r = spawnSync("taskset", ["-a", "-cp", cpus, String(pid)], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`taskset -a -cp ${cpus} ${pid} failed: ${(r.stderr ?? "").trim() || r.error?.message}`);
}

/** Pins the servers to CPU 0 and this process (and its future children) to CPUs 1..n-1. */
export function pinServersApart(serverPids: readonly number[]): string {
  const n = os.availableParallelism();
  if (n < 2) throw new Error("BENCH_BROKER_S3_PIN needs at least 2 CPUs");
  const rest = n === 2 ? "1" : `1-${n - 1}`;
  for (const pid of serverPids) taskset("0", pid);
  taskset(rest, process.pid);
  return `servers (${serverPids.length} processes) on CPU 0, the benchmark, broker and clients on CPU ${rest}`;
}
