/**
 * The S3 + etcd backend of the broker benchmark: a single-node Ceph cluster with its RADOS Gateway
 * (objects in RAM: memstore) and a single-node etcd, started once for all s3-etcd runs
 * (@kafscale/test-servers), with the counting proxy (request-counts.ts) between the broker and the
 * gateway. Each run gets a fresh bucket and an empty etcd keyspace; its objects are deleted after
 * the run so the memstore does not fill up.
 */
import { randomBytes } from "node:crypto";
import { startCephRgw, startEtcd, type CephRgw, type EtcdServer } from "@kafscale/test-servers";
import { findPid } from "./process-cpu.js";
import { startCountingProxy, type CountingProxy } from "./request-counts.js";
import { deleteObjects, listObjects, type ListedObject, type S3Credentials } from "./s3-http.js";

export interface S3EtcdBackend {
  readonly rgw: CephRgw;
  readonly etcd: EtcdServer;
  /** The broker's S3 endpoint (the counting proxy in front of the gateway). */
  readonly proxy: CountingProxy;
  /** The gateway itself, for the benchmark's own requests (raw PUTs, listing, clean-up). */
  readonly direct: S3Credentials;
  /** Seconds it took to start Ceph, radosgw and etcd. */
  readonly startupSeconds: number;
  /** Process ids of the servers, by name (for their CPU time). */
  readonly pids: Record<string, number>;
  /**
   * A fresh bucket and an empty etcd for one run; returns the broker's KAFSCALE_* variables, with
   * the counting proxy as its S3 endpoint unless `viaProxy` is false (then nothing is counted).
   */
  prepareRun(run: number, viaProxy: boolean): Promise<{ bucket: string; env: Record<string, string> }>;
  /** Every object of the bucket (to size the segments the broker wrote). */
  list(bucket: string): Promise<ListedObject[]>;
  /** Deletes the bucket's objects (frees the memstore's RAM). */
  emptyBucket(bucket: string): Promise<void>;
  stop(): Promise<void>;
}

export interface S3EtcdOptions {
  /** RAM the memstore OSD may fill (objects live there). */
  memstoreBytes: number;
}

export async function startS3EtcdBackend(options: S3EtcdOptions): Promise<S3EtcdBackend> {
  const t0 = performance.now();
  // --metrics=extensive adds grpc_server_handling_seconds: the server-side latency of each Txn.
  const [rgw, etcd] = await Promise.all([startCephRgw({ memstoreBytes: options.memstoreBytes }), startEtcd({ extraArgs: ["--metrics=extensive"] })]);
  const startupSeconds = (performance.now() - t0) / 1000;
  const proxy = await startCountingProxy(rgw.endpoint);
  const direct: S3Credentials = { endpoint: rgw.endpoint, region: rgw.region, accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey };
  // startCephRgw returns the pids of ceph-mon, ceph-osd and radosgw, in that order; etcd's is found by its data directory.
  const pids: Record<string, number> = {};
  ["ceph-mon", "ceph-osd", "radosgw"].forEach((name, i) => {
    if (rgw.pids[i] !== undefined) pids[name] = rgw.pids[i]!;
  });
  const etcdPid = findPid(`--data-dir=${etcd.dataDir}`);
  if (etcdPid !== undefined) pids.etcd = etcdPid;
  return {
    pids,
    rgw,
    etcd,
    proxy,
    direct,
    startupSeconds,
    async prepareRun(run, viaProxy) {
      const bucket = `bench-r${run}-${randomBytes(4).toString("hex")}`;
      await rgw.createBucket(bucket);
      await wipeEtcd(etcd.endpoint);
      return {
        bucket,
        env: {
          KAFSCALE_S3_BUCKET: bucket,
          KAFSCALE_S3_ENDPOINT: viaProxy ? proxy.endpoint : rgw.endpoint,
          KAFSCALE_S3_REGION: rgw.region,
          KAFSCALE_S3_PATH_STYLE: "true",
          KAFSCALE_S3_ACCESS_KEY_ID: rgw.accessKeyId,
          KAFSCALE_S3_SECRET_ACCESS_KEY: rgw.secretAccessKey,
          KAFSCALE_ETCD_ENDPOINTS: etcd.endpoint,
        },
      };
    },
    list: (bucket) => listObjects(direct, bucket),
    async emptyBucket(bucket) {
      const objects = await listObjects(direct, bucket);
      await deleteObjects(
        direct,
        bucket,
        objects.map((o) => o.key),
      );
    },
    async stop() {
      await proxy.close().catch(() => undefined);
      await Promise.allSettled([rgw.stop(), etcd.stop()]);
    },
  };
}

/**
 * Deletes every key and revokes every lease (etcd's JSON gateway, `/v3/...`), so a run's broker
 * starts on an empty metadata store as it does on the embedded default.
 */
async function wipeEtcd(endpoint: string): Promise<void> {
  const post = async (path: string, body: object): Promise<unknown> => {
    const res = await fetch(`${endpoint}${path}`, { method: "POST", body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`etcd ${path}: HTTP ${res.status} ${await res.text()}`);
    return res.json();
  };
  const zero = Buffer.from([0]).toString("base64");
  await post("/v3/kv/deleterange", { key: zero, range_end: zero });
  const leases = (await post("/v3/lease/leases", {})) as { leases?: { ID: string }[] };
  for (const l of leases.leases ?? []) await post("/v3/lease/revoke", { ID: l.ID });
}
