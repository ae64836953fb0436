import { ConfigSource, ConfigType, type DescribedConfig } from "./config-kinds.js";

/** Type and documentation of the broker configs the broker shows (`services.settings.brokerConfigs`). */
const BROKER_CONFIG_DOCS: Readonly<Record<string, { type: number; doc: string }>> = {
  "broker.id": { type: ConfigType.INT, doc: "This broker's node id (KAFSCALE_BROKER_ID)." },
  "auto.create.topics.enable": { type: ConfigType.BOOLEAN, doc: "Whether unknown topics are created on first use (KAFSCALE_AUTO_CREATE_TOPICS)." },
  "num.partitions": { type: ConfigType.INT, doc: "Partition count of auto-created topics and of CreateTopics with -1 partitions (KAFSCALE_DEFAULT_PARTITIONS)." },
  "log.retention.ms": { type: ConfigType.LONG, doc: "Retention by time of new topics, -1 for forever (KAFSCALE_RETENTION_MS)." },
  "log.retention.bytes": { type: ConfigType.LONG, doc: "Retention by size per partition of new topics, -1 for unlimited (KAFSCALE_RETENTION_BYTES)." },
  "socket.request.max.bytes": { type: ConfigType.INT, doc: "Largest request frame accepted (KAFSCALE_MAX_FRAME_BYTES)." },
  "connections.max.idle.ms": { type: ConfigType.LONG, doc: "Idle connections are closed after this long (KAFSCALE_IDLE_TIMEOUT_MS)." },
  "group.initial.rebalance.delay.ms": {
    type: ConfigType.INT,
    doc: "How long the first member of an empty group waits for others to join (KAFSCALE_GROUP_INITIAL_REBALANCE_DELAY_MS).",
  },
  "default.replication.factor": { type: ConfigType.INT, doc: "Always 1: object storage is the replication." },
  "min.insync.replicas": { type: ConfigType.INT, doc: "Always 1: object storage is the replication." },
};

/**
 * The broker's own configs: read-only, from its KAFSCALE_* settings (STATIC_BROKER_CONFIG in
 * Kafka's terms: they change with a restart, never through the config APIs).
 */
export function describeBrokerConfigs(brokerConfigs: ReadonlyMap<string, string>): DescribedConfig[] {
  return [...brokerConfigs].map(([name, value]) => ({
    name,
    value,
    readOnly: true,
    source: ConfigSource.STATIC_BROKER_CONFIG,
    isSensitive: false,
    synonyms: [{ name, value, source: ConfigSource.STATIC_BROKER_CONFIG }],
    type: BROKER_CONFIG_DOCS[name]?.type ?? ConfigType.UNKNOWN,
    documentation: BROKER_CONFIG_DOCS[name]?.doc ?? null,
  }));
}
