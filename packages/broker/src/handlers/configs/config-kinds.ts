/** Kafka's `ConfigResource.Type` ids (the resourceType of the config APIs). */
export const ResourceType = {
  UNKNOWN: 0,
  TOPIC: 2,
  BROKER: 4,
  BROKER_LOGGER: 8,
  CLIENT_METRICS: 16,
  GROUP: 32,
} as const;

/** The name Kafka gives a resource type id in its messages (UNKNOWN for ids it does not know). */
export function resourceTypeName(id: number): string {
  return Object.entries(ResourceType).find(([, v]) => v === id)?.[0] ?? "UNKNOWN";
}

/** Kafka's `DescribeConfigsResponse.ConfigSource` ids. */
export const ConfigSource = {
  UNKNOWN: 0,
  DYNAMIC_TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
  DYNAMIC_BROKER_LOGGER_CONFIG: 6,
  CLIENT_METRICS_CONFIG: 7,
  GROUP_CONFIG: 8,
} as const;

/** Kafka's `DescribeConfigsResponse.ConfigType` ids (DescribeConfigs v3+). */
export const ConfigType = {
  UNKNOWN: 0,
  BOOLEAN: 1,
  STRING: 2,
  INT: 3,
  SHORT: 4,
  LONG: 5,
  DOUBLE: 6,
  LIST: 7,
  CLASS: 8,
  PASSWORD: 9,
} as const;

/** One config as DescribeConfigs (and CreateTopics v5+) describes it, whatever the version. */
export interface DescribedConfig {
  name: string;
  value: string | null;
  readOnly: boolean;
  /** A {@link ConfigSource} id. */
  source: number;
  isSensitive: boolean;
  /** Where the value comes from, most specific first (the entry itself included, as in Kafka). */
  synonyms: { name: string; value: string | null; source: number }[];
  /** A {@link ConfigType} id. */
  type: number;
  documentation: string | null;
}
