import { MetadataError } from "../../errors.js";

const HOST = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?$/;
const DEFAULT_PORT = 2379;

/** True when `url` names an etcd cluster (`etcd://` or `etcd+https://`). */
export function isEtcdUrl(url: string): boolean {
  return /^etcd(\+https)?:\/\//i.test(url);
}

/**
 * The endpoints of an `etcd://host:port[,host:port...]` URL (`http://host:port` each), or of
 * `etcd+https://...` (`https://`). The port defaults to 2379. Credentials do not belong in the URL
 * (`INVALID_ARGUMENT`, and the URL is not echoed): pass `username` and `password` as options.
 */
export function parseEtcdUrl(url: string): string[] {
  const m = /^etcd(\+https)?:\/\/(.*?)\/?$/i.exec(url);
  if (m === null) throw new MetadataError("INVALID_ARGUMENT", "an etcd URL must look like etcd://host:port[,host:port...] or etcd+https://host:port[,...]");
  const scheme = m[1] === undefined ? "http" : "https";
  const hosts = m[2]!;
  if (hosts.includes("@")) {
    throw new MetadataError("INVALID_ARGUMENT", "an etcd URL must not hold credentials; pass username and password as options");
  }
  const endpoints = hosts.split(",").map((h) => h.trim());
  for (const host of endpoints) {
    if (!HOST.test(host)) throw new MetadataError("INVALID_ARGUMENT", `etcd URL ${url}: "${host}" is not host:port`);
  }
  return endpoints.map((host) => `${scheme}://${/:[0-9]+$/.test(host) && !host.endsWith("]") ? host : `${host}:${DEFAULT_PORT}`}`);
}
