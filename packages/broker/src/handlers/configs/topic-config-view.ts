import { TOPIC_CONFIG_BY_NAME, TOPIC_CONFIGS, type TopicConfigDef } from "../../topics/topic-configs.js";
import { ConfigSource, type DescribedConfig } from "./config-kinds.js";

/** The broker config each topic config falls back to (Kafka's `LogConfig.TopicConfigSynonyms`). */
const BROKER_SYNONYMS: Readonly<Record<string, string>> = {
  "cleanup.policy": "log.cleanup.policy",
  "compression.type": "compression.type",
  "max.message.bytes": "message.max.bytes",
  "message.timestamp.type": "log.message.timestamp.type",
  "min.insync.replicas": "min.insync.replicas",
  "retention.bytes": "log.retention.bytes",
  "retention.ms": "log.retention.ms",
  "segment.bytes": "log.segment.bytes",
  "segment.ms": "log.roll.ms",
};

/** What a topic's configs fall back to, from the broker's settings. */
export interface TopicConfigDefaults {
  /** Broker configs by Kafka broker name (`services.settings.brokerConfigs`). */
  brokerConfigs: ReadonlyMap<string, string>;
  /** Broker-level values by topic config name (`TopicManager.brokerTopicDefaults()`). */
  brokerTopicDefaults: Readonly<Record<string, string>>;
  /** The values written into every new topic's overrides (`TopicManager.withCreationDefaults({})`). */
  creationDefaults: Readonly<Record<string, string>>;
}

/** The broker config name behind a topic config. */
export function brokerSynonymOf(name: string): string {
  return BROKER_SYNONYMS[name] ?? name;
}

/** The broker-level value of a topic config, when the broker's settings give one. */
function brokerValue(def: TopicConfigDef, d: TopicConfigDefaults): string | undefined {
  return d.brokerTopicDefaults[def.name] ?? d.brokerConfigs.get(brokerSynonymOf(def.name));
}

/** The value a topic has for a config it does not override. */
export function topicDefaultValue(name: string, d: TopicConfigDefaults): string | null {
  const def = TOPIC_CONFIG_BY_NAME.get(name);
  if (def === undefined) return null;
  return brokerValue(def, d) ?? def.defaultValue;
}

/**
 * A topic config with its effective value and source. A stored value is the topic's own
 * (DYNAMIC_TOPIC_CONFIG) unless it is one of the defaults written into every new topic and
 * still equals it: those show as the broker's (STATIC_BROKER_CONFIG), as a topic created
 * without retention configs does in Kafka. Configs with a Kafka default and no broker setting
 * are DEFAULT_CONFIG.
 */
export function describeTopicConfig(def: TopicConfigDef, overrides: Readonly<Record<string, string>>, d: TopicConfigDefaults): DescribedConfig {
  const stored = overrides[def.name];
  const own = stored !== undefined && d.creationDefaults[def.name] !== stored ? stored : undefined;
  const broker = brokerValue(def, d);
  const synonyms: DescribedConfig["synonyms"] = [];
  if (own !== undefined) synonyms.push({ name: def.name, value: own, source: ConfigSource.DYNAMIC_TOPIC_CONFIG });
  if (broker !== undefined) synonyms.push({ name: brokerSynonymOf(def.name), value: broker, source: ConfigSource.STATIC_BROKER_CONFIG });
  else if (def.defaultValue !== null) synonyms.push({ name: brokerSynonymOf(def.name), value: def.defaultValue, source: ConfigSource.DEFAULT_CONFIG });
  return {
    name: def.name,
    value: own ?? stored ?? broker ?? def.defaultValue,
    readOnly: def.readOnly,
    source: synonyms[0]?.source ?? ConfigSource.DEFAULT_CONFIG,
    isSensitive: false,
    synonyms,
    type: def.type,
    documentation: def.doc,
  };
}

/** Every known topic config of a topic, in name order. */
export function describeTopicConfigs(overrides: Readonly<Record<string, string>>, d: TopicConfigDefaults): DescribedConfig[] {
  return TOPIC_CONFIGS.map((def) => describeTopicConfig(def, overrides, d));
}
