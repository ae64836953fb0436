/**
 * The topic-level configs Kafscale knows, with Kafka's names and defaults. Values are kept as
 * strings, as Kafka does; `retention.ms` and `retention.bytes` drive retention.
 */
export interface TopicConfigDef {
  name: string;
  /** Kafka's ConfigType in DescribeConfigs v3+: 1 boolean, 2 string, 3 int, 4 short, 5 long, 6 double, 7 list, 8 class, 9 password. */
  type: number;
  /** Null when the default comes from the broker configuration. */
  defaultValue: string | null;
  readOnly: boolean;
  doc: string;
  validate?: (value: string) => string | null;
}

const long = (min: number) => (value: string) => (/^-?\d+$/.test(value) && Number(value) >= min ? null : `must be an integer ≥ ${min}`);
const oneOf = (...choices: string[]) => (value: string) => (choices.includes(value) ? null : `must be one of ${choices.join(", ")}`);

export const TOPIC_CONFIGS: readonly TopicConfigDef[] = [
  { name: "cleanup.policy", type: 7, defaultValue: "delete", readOnly: false, doc: "Only 'delete' is supported (no compaction).", validate: oneOf("delete") },
  { name: "compression.type", type: 2, defaultValue: "producer", readOnly: false, doc: "Batches are stored as the producer sent them.", validate: oneOf("producer") },
  { name: "max.message.bytes", type: 3, defaultValue: "1048588", readOnly: false, doc: "Largest record batch accepted.", validate: long(0) },
  { name: "message.timestamp.type", type: 2, defaultValue: "CreateTime", readOnly: false, doc: "CreateTime or LogAppendTime.", validate: oneOf("CreateTime", "LogAppendTime") },
  { name: "min.insync.replicas", type: 3, defaultValue: "1", readOnly: false, doc: "Accepted for compatibility; S3 is the replication.", validate: long(1) },
  { name: "retention.bytes", type: 5, defaultValue: null, readOnly: false, doc: "Retention by size per partition (-1: unlimited).", validate: long(-1) },
  { name: "retention.ms", type: 5, defaultValue: null, readOnly: false, doc: "Retention by time (-1: forever).", validate: long(-1) },
  { name: "segment.bytes", type: 3, defaultValue: null, readOnly: false, doc: "A partition's write buffer is flushed to a segment at this size.", validate: long(14) },
  { name: "segment.ms", type: 5, defaultValue: "604800000", readOnly: false, doc: "Accepted for compatibility.", validate: long(1) },
];

export const TOPIC_CONFIG_BY_NAME: ReadonlyMap<string, TopicConfigDef> = new Map(TOPIC_CONFIGS.map((c) => [c.name, c]));

/** Checks a set of topic config overrides; returns the first problem or null. */
export function topicConfigProblem(configs: Iterable<[string, string | null]>): string | null {
  for (const [name, value] of configs) {
    const def = TOPIC_CONFIG_BY_NAME.get(name);
    if (def === undefined) return `Unknown topic config name: ${name}`;
    if (value === null) continue;
    const problem = def.validate?.(value) ?? null;
    if (problem !== null) return `Invalid value ${value} for configuration ${name}: ${problem}`;
  }
  return null;
}
