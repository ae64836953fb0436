export { startEtcd } from "./etcd.js";
export type { EtcdServer, StartEtcdOptions } from "./etcd.js";
export { freePort } from "./free-port.js";
export { CEPH_APT_INSTALL } from "./ceph-binaries.js";
export { startCephRgw } from "./ceph-rgw.js";
export type { CephRgw, CephRgwOptions } from "./ceph-rgw.js";
export { startS3FaultProxy } from "./s3-fault-proxy.js";
export type { FaultCounts, FaultKind, FaultPlan, FaultRule, S3FaultProxy } from "./s3-fault-proxy.js";
export { seededRandom } from "./seeded-random.js";
