/**
 * etcd's write counters, read from its Prometheus endpoint (`GET {endpoint}/metrics`) before and
 * after a phase. What etcd 3.4 exposes and what the benchmark takes from it:
 *
 * - `etcd_server_proposals_committed_total`: raft proposals committed. Every write request (Put,
 *   a Txn with a write in either branch, DeleteRange, LeaseGrant/Revoke, Compact) is one proposal,
 *   one WAL entry and one fsync'd append; reads and lease keep-alives are not. This is **the etcd
 *   writes figure** the benchmark reports.
 * - `etcd_mvcc_put_total`, `etcd_mvcc_delete_total`, `etcd_mvcc_txn_total`: keys written, keys
 *   deleted and transactions applied by the MVCC store (a Txn whose compare fails still counts
 *   as a txn; its keys do not). In 3.4 the `etcd_debugging_mvcc_*` twins carry the same values.
 * - `etcd_disk_wal_fsync_duration_seconds` and `etcd_disk_backend_commit_duration_seconds`
 *   (sum/count): the disk's share of a commit's latency.
 * - `grpc_server_handled_total{grpc_method="Txn"|"Put"}`: write RPCs answered; with etcd started
 *   with `--metrics=extensive`, `grpc_server_handling_seconds{grpc_method="Txn"}` gives the
 *   server-side latency of the broker's commits.
 */

export interface EtcdCounters {
  proposalsCommitted: number;
  proposalsFailed: number;
  mvccPut: number;
  mvccDelete: number;
  mvccTxn: number;
  walFsyncs: number;
  walFsyncSeconds: number;
  backendCommits: number;
  backendCommitSeconds: number;
  grpcTxn: number;
  grpcPut: number;
  /** Summed server handling time of Txn RPCs (NaN without `--metrics=extensive`). */
  grpcTxnSeconds: number;
}

/** Parses Prometheus text exposition into `name{labels}` → value (the label text kept verbatim). */
export function parsePrometheus(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = /^(\S+?)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (m !== null) out.set(`${m[1]}${m[2] ?? ""}`, Number(m[3]));
  }
  return out;
}

/** Sum of every series of `name` whose labels contain all of `labels` (e.g. `grpc_method="Txn"`). */
function sum(metrics: Map<string, number>, name: string, ...labels: string[]): number {
  let total = 0;
  let found = false;
  for (const [series, value] of metrics) {
    if (series !== name && !series.startsWith(`${name}{`)) continue;
    if (labels.every((l) => series.includes(l))) {
      total += value;
      found = true;
    }
  }
  return found ? total : Number.NaN;
}

export async function readEtcdCounters(endpoint: string): Promise<EtcdCounters> {
  const res = await fetch(`${endpoint}/metrics`, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`GET ${endpoint}/metrics: HTTP ${res.status}`);
  const m = parsePrometheus(await res.text());
  return {
    proposalsCommitted: sum(m, "etcd_server_proposals_committed_total"),
    proposalsFailed: sum(m, "etcd_server_proposals_failed_total"),
    mvccPut: sum(m, "etcd_mvcc_put_total"),
    mvccDelete: sum(m, "etcd_mvcc_delete_total"),
    mvccTxn: sum(m, "etcd_mvcc_txn_total"),
    walFsyncs: sum(m, "etcd_disk_wal_fsync_duration_seconds_count"),
    walFsyncSeconds: sum(m, "etcd_disk_wal_fsync_duration_seconds_sum"),
    backendCommits: sum(m, "etcd_disk_backend_commit_duration_seconds_count"),
    backendCommitSeconds: sum(m, "etcd_disk_backend_commit_duration_seconds_sum"),
    grpcTxn: sum(m, "grpc_server_handled_total", 'grpc_method="Txn"'),
    grpcPut: sum(m, "grpc_server_handled_total", 'grpc_method="Put"'),
    grpcTxnSeconds: sum(m, "grpc_server_handling_seconds_sum", 'grpc_method="Txn"'),
  };
}

/** after − before, field by field. */
export function diffCounters(before: EtcdCounters, after: EtcdCounters): EtcdCounters {
  const out = {} as EtcdCounters;
  for (const k of Object.keys(after) as (keyof EtcdCounters)[]) out[k] = after[k] - before[k];
  return out;
}
