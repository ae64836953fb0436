/** S3 settings of the broker (KAFSCALE_S3_*); present when segments live in S3. */
export interface S3Settings {
  bucket: string;
  region: string;
  /** S3-compatible endpoint (Ceph RGW, MinIO); unset: AWS's endpoint for the region. */
  endpoint?: string;
  forcePathStyle: boolean;
  /** Unset: the AWS SDK's default credential chain. Never logged. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  requestTimeoutMs: number;
  operationTimeoutMs: number;
  maxAttempts: number;
  maxConcurrency: number;
}

/** etcd settings of the broker (KAFSCALE_ETCD_*); present when metadata lives in etcd. */
export interface EtcdSettings {
  /** `http://host:port` (or `https://`). */
  endpoints: string[];
  username?: string;
  /** Never logged. */
  password?: string;
  requestTimeoutMs: number;
}
