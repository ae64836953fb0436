export { startEtcd } from "./etcd.js";
export type { EtcdServer, StartEtcdOptions } from "./etcd.js";
