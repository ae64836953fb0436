/**
 * Every setting of the broker: its environment variable, its flag, its default and what it
 * does. docs/configuration.md is checked against this table by a test.
 */
export interface OptionSpec {
  /** Key in the parsed configuration. */
  key: string;
  env: string;
  flag: string;
  kind: "string" | "int" | "bool" | "url";
  /** The default, as it would be written in the environment; "" means unset. */
  default: string;
  doc: string;
  secret?: boolean;
}

export const OPTIONS = [
  { key: "nodeId", env: "KAFSCALE_BROKER_ID", flag: "broker-id", kind: "int", default: "0", doc: "Broker (node) id advertised in Metadata and FindCoordinator." },
  { key: "clusterId", env: "KAFSCALE_CLUSTER_ID", flag: "cluster-id", kind: "string", default: "kafscale", doc: "Cluster id returned in Metadata and DescribeCluster." },
  { key: "listenHost", env: "KAFSCALE_LISTEN_HOST", flag: "listen-host", kind: "string", default: "0.0.0.0", doc: "Address the Kafka listener binds to." },
  { key: "port", env: "KAFSCALE_PORT", flag: "port", kind: "int", default: "9092", doc: "Kafka protocol port." },
  { key: "advertisedHost", env: "KAFSCALE_ADVERTISED_HOST", flag: "advertised-host", kind: "string", default: "localhost", doc: "Host clients are told to connect to (Metadata, FindCoordinator)." },
  { key: "advertisedPort", env: "KAFSCALE_ADVERTISED_PORT", flag: "advertised-port", kind: "int", default: "", doc: "Port clients are told to connect to; defaults to the listener's port." },
  { key: "dataDir", env: "KAFSCALE_DATA_DIR", flag: "data-dir", kind: "string", default: "./kafscale-data", doc: "Data directory of the embedded default (segments and metadata when no S3 or etcd is configured)." },
  { key: "storageUrl", env: "KAFSCALE_STORAGE_URL", flag: "storage-url", kind: "url", default: "", doc: "Object store for segments: `file:///path` or `memory://`; defaults to `file://<data-dir>/segments`." },
  { key: "metadataUrl", env: "KAFSCALE_METADATA_URL", flag: "metadata-url", kind: "url", default: "", doc: "Metadata store: `file:///path` or `memory://`; defaults to `file://<data-dir>/metadata`." },
  { key: "s3Bucket", env: "KAFSCALE_S3_BUCKET", flag: "s3-bucket", kind: "string", default: "", doc: "S3 bucket for segments. Set: segments go to S3 (`KAFSCALE_STORAGE_URL` is ignored); unset: the embedded default." },
  { key: "s3Region", env: "KAFSCALE_S3_REGION", flag: "s3-region", kind: "string", default: "us-east-1", doc: "S3 region." },
  { key: "s3Endpoint", env: "KAFSCALE_S3_ENDPOINT", flag: "s3-endpoint", kind: "string", default: "", doc: "S3 endpoint URL for S3-compatible stores (Ceph RGW, MinIO); unset: AWS's endpoint for the region." },
  { key: "s3PathStyle", env: "KAFSCALE_S3_PATH_STYLE", flag: "s3-path-style", kind: "bool", default: "false", doc: "Path-style addressing (`endpoint/bucket/key`), which most S3-compatible stores need." },
  { key: "s3AccessKeyId", env: "KAFSCALE_S3_ACCESS_KEY_ID", flag: "s3-access-key-id", kind: "string", default: "", doc: "S3 access key id; unset: the AWS SDK's default chain (`AWS_ACCESS_KEY_ID`, shared config, instance/pod roles).", secret: true },
  { key: "s3SecretAccessKey", env: "KAFSCALE_S3_SECRET_ACCESS_KEY", flag: "s3-secret-access-key", kind: "string", default: "", doc: "S3 secret key (with `KAFSCALE_S3_ACCESS_KEY_ID`). Never logged.", secret: true },
  { key: "s3RequestTimeoutMs", env: "KAFSCALE_S3_REQUEST_TIMEOUT_MS", flag: "s3-request-timeout-ms", kind: "int", default: "5000", doc: "Timeout of one S3 request attempt." },
  { key: "s3OperationTimeoutMs", env: "KAFSCALE_S3_OPERATION_TIMEOUT_MS", flag: "s3-operation-timeout-ms", kind: "int", default: "15000", doc: "Budget of one S3 operation including its retries (exponential backoff with jitter on throttling, 5xx, timeouts)." },
  { key: "s3MaxAttempts", env: "KAFSCALE_S3_MAX_ATTEMPTS", flag: "s3-max-attempts", kind: "int", default: "6", doc: "Attempts per S3 operation (within the operation timeout)." },
  { key: "s3MaxConcurrency", env: "KAFSCALE_S3_MAX_CONCURRENCY", flag: "s3-max-concurrency", kind: "int", default: "64", doc: "S3 requests in flight at once; more wait in a queue." },
  { key: "etcdEndpoints", env: "KAFSCALE_ETCD_ENDPOINTS", flag: "etcd-endpoints", kind: "string", default: "", doc: "Comma-separated etcd endpoints (`http://host:2379,...`). Set: metadata goes to etcd (`KAFSCALE_METADATA_URL` is ignored); unset: the embedded default." },
  { key: "etcdUsername", env: "KAFSCALE_ETCD_USERNAME", flag: "etcd-username", kind: "string", default: "", doc: "etcd user (with `KAFSCALE_ETCD_PASSWORD`), when etcd has auth enabled." },
  { key: "etcdPassword", env: "KAFSCALE_ETCD_PASSWORD", flag: "etcd-password", kind: "string", default: "", doc: "etcd password. Never logged.", secret: true },
  { key: "etcdRequestTimeoutMs", env: "KAFSCALE_ETCD_REQUEST_TIMEOUT_MS", flag: "etcd-request-timeout-ms", kind: "int", default: "5000", doc: "Timeout of one etcd request; a write that times out counts as failed (and its partition is reloaded from etcd before it takes writes again)." },
  { key: "brokerLeaseTtlMs", env: "KAFSCALE_BROKER_LEASE_TTL_MS", flag: "broker-lease-ttl-ms", kind: "int", default: "10000", doc: "TTL of the broker's registration lease in the metadata store; a broker restarted with the same id waits for its previous registration to expire." },
  { key: "namespace", env: "KAFSCALE_NAMESPACE", flag: "namespace", kind: "string", default: "default", doc: "Key namespace of segment objects (`{namespace}/{topic}/{partition}/...`)." },
  { key: "autoCreateTopics", env: "KAFSCALE_AUTO_CREATE_TOPICS", flag: "auto-create-topics", kind: "bool", default: "true", doc: "Create a topic when a client asks for it in Metadata or produces to it (Kafka's auto.create.topics.enable)." },
  { key: "defaultPartitions", env: "KAFSCALE_DEFAULT_PARTITIONS", flag: "default-partitions", kind: "int", default: "1", doc: "Partition count of auto-created topics and of CreateTopics with -1 partitions (Kafka's num.partitions)." },
  { key: "flushBytes", env: "KAFSCALE_FLUSH_BYTES", flag: "flush-bytes", kind: "int", default: "4194304", doc: "A partition's write buffer is flushed to a segment when it holds this many bytes." },
  { key: "flushAgeMs", env: "KAFSCALE_FLUSH_AGE_MS", flag: "flush-age-ms", kind: "int", default: "10", doc: "…or when its oldest batch has waited this long. Produce with acks=1/-1 is answered after the flush." },
  { key: "cacheBytes", env: "KAFSCALE_CACHE_BYTES", flag: "cache-bytes", kind: "int", default: "268435456", doc: "Bytes of recent segments kept in memory for fetches (shared by all partitions)." },
  { key: "maxFrameBytes", env: "KAFSCALE_MAX_FRAME_BYTES", flag: "max-frame-bytes", kind: "int", default: "104857600", doc: "Largest request frame accepted (Kafka's socket.request.max.bytes); a larger one closes the connection." },
  { key: "maxInFlightBytes", env: "KAFSCALE_MAX_INFLIGHT_BYTES", flag: "max-inflight-bytes", kind: "int", default: "67108864", doc: "Request bytes a connection may have in flight before the broker stops reading it." },
  { key: "idleTimeoutMs", env: "KAFSCALE_IDLE_TIMEOUT_MS", flag: "idle-timeout-ms", kind: "int", default: "600000", doc: "Idle connections are closed after this long (Kafka's connections.max.idle.ms)." },
  { key: "maxConnections", env: "KAFSCALE_MAX_CONNECTIONS", flag: "max-connections", kind: "int", default: "10000", doc: "Connections beyond this are refused." },
  { key: "groupInitialRebalanceDelayMs", env: "KAFSCALE_GROUP_INITIAL_REBALANCE_DELAY_MS", flag: "group-initial-rebalance-delay-ms", kind: "int", default: "3000", doc: "How long the first member of an empty group waits for others to join (Kafka's group.initial.rebalance.delay.ms)." },
  { key: "retentionMs", env: "KAFSCALE_RETENTION_MS", flag: "retention-ms", kind: "int", default: "604800000", doc: "Default retention by time of new topics (-1: forever)." },
  { key: "retentionBytes", env: "KAFSCALE_RETENTION_BYTES", flag: "retention-bytes", kind: "int", default: "-1", doc: "Default retention by size per partition of new topics (-1: unlimited)." },
  { key: "retentionCheckIntervalMs", env: "KAFSCALE_RETENTION_CHECK_INTERVAL_MS", flag: "retention-check-interval-ms", kind: "int", default: "300000", doc: "How often retention runs." },
  { key: "shutdownTimeoutMs", env: "KAFSCALE_SHUTDOWN_TIMEOUT_MS", flag: "shutdown-timeout-ms", kind: "int", default: "30000", doc: "On SIGTERM/SIGINT, how long to wait for in-flight requests and flushes before closing." },
  { key: "logLevel", env: "KAFSCALE_LOG_LEVEL", flag: "log-level", kind: "string", default: "info", doc: "pino log level: trace, debug, info, warn, error." },
] as const satisfies readonly OptionSpec[];

export type OptionKey = (typeof OPTIONS)[number]["key"];
