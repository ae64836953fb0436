import { createEtcdKvStore, openKvStore, type KvStore } from "@kafscale/metadata";
import { createS3ObjectStore, openObjectStore, type ObjectStore } from "@kafscale/storage";
import type { Logger } from "../logger.js";
import type { EtcdSettings, S3Settings } from "./settings.js";

/** Where segments and metadata live: the settings win over the URLs (which name the embedded stores). */
export interface BackendConfig {
  storageUrl: string;
  metadataUrl: string;
  namespace: string;
  s3?: S3Settings;
  etcd?: EtcdSettings;
}

/** Opens the object store of the configuration: S3 when `s3` is set, else the store its URL names. */
export async function openSegmentStore(config: BackendConfig, log: Logger): Promise<ObjectStore> {
  const s3 = config.s3;
  if (s3 === undefined) return openObjectStore(config.storageUrl);
  return createS3ObjectStore({
    bucket: s3.bucket,
    region: s3.region,
    forcePathStyle: s3.forcePathStyle,
    requestTimeoutMs: s3.requestTimeoutMs,
    operationTimeoutMs: s3.operationTimeoutMs,
    maxAttempts: s3.maxAttempts,
    maxConcurrency: s3.maxConcurrency,
    logger: log.child({ component: "s3" }),
    ...(s3.endpoint !== undefined ? { endpoint: s3.endpoint } : {}),
    ...(s3.credentials !== undefined ? { credentials: s3.credentials } : {}),
  });
}

/** Opens the metadata key-value store: etcd when `etcd` is set, else the store its URL names. */
export async function openMetadataKv(config: BackendConfig, log: Logger): Promise<KvStore> {
  const etcd = config.etcd;
  if (etcd === undefined) return openKvStore(config.metadataUrl, { logger: log });
  return createEtcdKvStore({
    endpoints: etcd.endpoints,
    requestTimeoutMs: etcd.requestTimeoutMs,
    logger: log.child({ component: "etcd" }),
    ...(etcd.username !== undefined ? { username: etcd.username } : {}),
    ...(etcd.password !== undefined ? { password: etcd.password } : {}),
  });
}
