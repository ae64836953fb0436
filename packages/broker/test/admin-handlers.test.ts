/**
 * The admin APIs against a real in-process broker over TCP (memory:// stores): CreateTopics,
 * DeleteTopics, CreatePartitions, DescribeConfigs, AlterConfigs, IncrementalAlterConfigs,
 * DescribeCluster and DeleteRecords, each at an old and a flexible version; requests captured
 * from real clients, replayed byte for byte; and kafka-python's KafkaAdminClient.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  ApiKey,
  ErrorCode,
  ZERO_UUID,
  type CreateTopicsRequestCreatableTopic,
  type CreateTopicsResponseCreatableTopicResult,
  type DescribeConfigsRequestDescribeConfigsResource,
  type DescribeConfigsResponseDescribeConfigsResult,
  type IncrementalAlterConfigsRequestAlterableConfig,
} from "@kafscale/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_BROKER_CONFIG } from "../src/index.js";
import type { WireClient } from "./support/wire-client.js";
import { produceBatches, startAdminTestBroker, type AdminTestBroker } from "./support/admin-broker.js";
import { requireKafkaPython, runKafkaPythonAdmin } from "./support/admin-kafka-python.js";

const TOPIC = 2;
const BROKER = 4;
const BROKER_LOGGER = 8;
const Source = { DYNAMIC_TOPIC_CONFIG: 1, STATIC_BROKER_CONFIG: 4, DEFAULT_CONFIG: 5 } as const;
const Op = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;
const RETENTION_MS = String(DEFAULT_BROKER_CONFIG.retentionMs);
const NOT_HOSTED = "This server does not host this topic-partition.";

let h: AdminTestBroker;
let client: WireClient;

beforeAll(async () => {
  h = await startAdminTestBroker();
  client = h.client;
});

afterAll(async () => {
  await h.stop();
});

// ---- request helpers ----

function createTopics(version: number, topics: (Partial<CreateTopicsRequestCreatableTopic> & { name: string })[], validateOnly = false) {
  return client.request(ApiKey.CreateTopics, version, {
    topics: topics.map((t) => ({ numPartitions: -1, replicationFactor: -1, assignments: [], configs: [], ...t })),
    timeoutMs: 5000,
    validateOnly,
  });
}

async function createOne(version: number, topic: Partial<CreateTopicsRequestCreatableTopic> & { name: string }, validateOnly = false): Promise<CreateTopicsResponseCreatableTopicResult> {
  const { topics } = await createTopics(version, [topic], validateOnly);
  expect(topics).toHaveLength(1);
  return topics[0]!;
}

/** Metadata v12 for the named topics, never creating them. */
async function metadataOf(...names: string[]) {
  const response = await client.request(ApiKey.Metadata, 12, {
    topics: names.map((name) => ({ name, topicId: ZERO_UUID })),
    allowAutoTopicCreation: false,
    includeTopicAuthorizedOperations: false,
  });
  return response.topics;
}

async function describeConfigs(
  version: number,
  resources: (Partial<DescribeConfigsRequestDescribeConfigsResource> & { resourceType: number; resourceName: string })[],
  options: { includeSynonyms?: boolean; includeDocumentation?: boolean } = {},
): Promise<DescribeConfigsResponseDescribeConfigsResult[]> {
  const response = await client.request(ApiKey.DescribeConfigs, version, {
    resources: resources.map((r) => ({ configurationKeys: null, ...r })),
    includeSynonyms: options.includeSynonyms ?? false,
    includeDocumentation: options.includeDocumentation ?? false,
  });
  return response.results;
}

/** A topic's effective config values, by name (DescribeConfigs v4). */
async function topicConfigValues(name: string): Promise<Record<string, string | null>> {
  const [result] = await describeConfigs(4, [{ resourceType: TOPIC, resourceName: name }]);
  expect(result?.errorCode).toBe(ErrorCode.NONE);
  return Object.fromEntries(result!.configs.map((c) => [c.name, c.value]));
}

function incrementalAlter(version: number, resources: { resourceType: number; resourceName: string; configs: IncrementalAlterConfigsRequestAlterableConfig[] }[], validateOnly = false) {
  return client.request(ApiKey.IncrementalAlterConfigs, version, { resources, validateOnly });
}

function alterConfigs(version: number, resources: { resourceType: number; resourceName: string; configs: { name: string; value: string | null }[] }[], validateOnly = false) {
  return client.request(ApiKey.AlterConfigs, version, { resources, validateOnly });
}

async function earliestOffset(topic: string, partition: number, version = 1): Promise<bigint | undefined> {
  const response = await client.request(ApiKey.ListOffsets, version, {
    replicaId: -1,
    isolationLevel: 0,
    topics: [{ name: topic, partitions: [{ partitionIndex: partition, timestamp: -2n, currentLeaderEpoch: -1, maxNumOffsets: 1 }] }],
  });
  const p = response.topics[0]?.partitions[0];
  expect(p?.errorCode).toBe(ErrorCode.NONE);
  return p?.offset;
}

// ---- tests ----

describe("ApiVersions", () => {
  it("advertises the admin APIs at Kafka 3.9's version ranges", async () => {
    const response = await client.request(ApiKey.ApiVersions, 3, { clientSoftwareName: "admin-test", clientSoftwareVersion: "1.0" });
    const range = (key: number) => {
      const found = response.apiKeys.find((k) => k.apiKey === key);
      return found === undefined ? undefined : [found.minVersion, found.maxVersion];
    };
    expect(range(ApiKey.CreateTopics)).toEqual([0, 7]);
    expect(range(ApiKey.DeleteTopics)).toEqual([0, 6]);
    expect(range(ApiKey.DeleteRecords)).toEqual([0, 2]);
    expect(range(ApiKey.DescribeConfigs)).toEqual([0, 4]);
    expect(range(ApiKey.AlterConfigs)).toEqual([0, 2]);
    expect(range(ApiKey.CreatePartitions)).toEqual([0, 3]);
    expect(range(ApiKey.IncrementalAlterConfigs)).toEqual([0, 1]);
    expect(range(ApiKey.DescribeCluster)).toEqual([0, 1]);
  });
});

describe("CreateTopics", () => {
  it("v0 creates a topic that Metadata then shows", async () => {
    const result = await createOne(0, { name: "ct-v0", numPartitions: 3, replicationFactor: 1 });
    expect(result).toMatchObject({ name: "ct-v0", errorCode: ErrorCode.NONE });
    const [topic] = await metadataOf("ct-v0");
    expect(topic?.errorCode).toBe(ErrorCode.NONE);
    expect(topic?.partitions.map((p) => p.partitionIndex)).toEqual([0, 1, 2]);
  });

  it("v7 answers the topic id, partition count, replication factor and every config with its source", async () => {
    const result = await createOne(7, { name: "ct-v7", numPartitions: 2, replicationFactor: 1, configs: [{ name: "segment.ms", value: "3600000" }] });
    expect(result).toMatchObject({ name: "ct-v7", errorCode: ErrorCode.NONE, errorMessage: null, numPartitions: 2, replicationFactor: 1 });
    const [topic] = await metadataOf("ct-v7");
    expect(result.topicId).toBe(topic?.topicId);
    expect(result.topicId).not.toBe(ZERO_UUID);
    const configs = Object.fromEntries((result.configs ?? []).map((c) => [c.name, c]));
    expect(configs["segment.ms"]).toEqual({ name: "segment.ms", value: "3600000", readOnly: false, configSource: Source.DYNAMIC_TOPIC_CONFIG, isSensitive: false });
    expect(configs["retention.ms"]).toMatchObject({ value: RETENTION_MS, configSource: Source.STATIC_BROKER_CONFIG });
    expect(configs["cleanup.policy"]).toMatchObject({ value: "delete", configSource: Source.DEFAULT_CONFIG });
    expect(configs["segment.bytes"]).toMatchObject({ value: String(DEFAULT_BROKER_CONFIG.flushBytes), configSource: Source.STATIC_BROKER_CONFIG });
  });

  it("-1 partitions and replication factor take the broker's defaults; any replication factor ≥ 1 is accepted", async () => {
    expect(await createOne(5, { name: "ct-defaults" })).toMatchObject({ errorCode: ErrorCode.NONE, numPartitions: DEFAULT_BROKER_CONFIG.defaultPartitions, replicationFactor: 1 });
    expect(await createOne(5, { name: "ct-rf3", numPartitions: 2, replicationFactor: 3 })).toMatchObject({ errorCode: ErrorCode.NONE, numPartitions: 2, replicationFactor: 3 });
  });

  it.each([
    ["", "Topic name is empty"],
    ["..", `Topic name cannot be "." or ".."`],
    ["bad name!", `Topic name "bad name!" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`],
    ["x".repeat(250), "Topic name is longer than 249 characters"],
  ])("refuses the invalid name %j with INVALID_TOPIC_EXCEPTION", async (name, message) => {
    expect(await createOne(4, { name, numPartitions: 1, replicationFactor: 1 })).toMatchObject({ errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, errorMessage: message });
  });

  it.each([
    [[{ name: "no.such.config", value: "1" }], "Unknown topic config name: no.such.config"],
    [[{ name: "retention.ms", value: "soon" }], "Invalid value soon for configuration retention.ms: must be an integer ≥ -1"],
    [[{ name: "cleanup.policy", value: "compact" }], "Invalid value compact for configuration cleanup.policy: must be one of delete"],
    [[{ name: "retention.ms", value: null }], "Null value not supported for topic configs: retention.ms"],
  ])("refuses bad configs %j with INVALID_CONFIG, old and flexible versions", async (configs, message) => {
    for (const version of [2, 6]) {
      const result = await createOne(version, { name: "ct-bad-config", numPartitions: 1, replicationFactor: 1, configs });
      expect(result).toMatchObject({ errorCode: ErrorCode.INVALID_CONFIG, errorMessage: message });
    }
    expect((await metadataOf("ct-bad-config"))[0]?.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });

  it("validateOnly (v1 and v7) checks everything and creates nothing", async () => {
    expect(await createOne(1, { name: "ct-validate", numPartitions: 2, replicationFactor: 1 }, true)).toMatchObject({ errorCode: ErrorCode.NONE, errorMessage: null });
    const flexible = await createOne(7, { name: "ct-validate", numPartitions: 4, replicationFactor: 1, configs: [{ name: "retention.ms", value: "1000" }] }, true);
    expect(flexible).toMatchObject({ errorCode: ErrorCode.NONE, numPartitions: 4, replicationFactor: 1 });
    expect(flexible.configs?.find((c) => c.name === "retention.ms")).toMatchObject({ value: "1000", configSource: Source.DYNAMIC_TOPIC_CONFIG });
    expect(await createOne(7, { name: "ct-validate", numPartitions: 1, configs: [{ name: "retention.ms", value: "x" }] }, true)).toMatchObject({ errorCode: ErrorCode.INVALID_CONFIG });
    expect((await metadataOf("ct-validate"))[0]?.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });

  it("answers TOPIC_ALREADY_EXISTS for an existing topic, also when only validating", async () => {
    await createOne(3, { name: "ct-exists", numPartitions: 1, replicationFactor: 1 });
    expect(await createOne(3, { name: "ct-exists", numPartitions: 1, replicationFactor: 1 })).toMatchObject({
      errorCode: ErrorCode.TOPIC_ALREADY_EXISTS,
      errorMessage: "Topic 'ct-exists' already exists.",
    });
    expect(await createOne(7, { name: "ct-exists", numPartitions: 1 }, true)).toMatchObject({ errorCode: ErrorCode.TOPIC_ALREADY_EXISTS, topicId: ZERO_UUID, numPartitions: -1 });
  });

  it("answers a name given twice in one request once, with INVALID_REQUEST, and creates the others", async () => {
    const { topics } = await createTopics(5, [{ name: "ct-dup" }, { name: "ct-dup-other" }, { name: "ct-dup" }]);
    expect(topics.map((t) => [t.name, t.errorCode, t.errorMessage])).toEqual([
      ["ct-dup", ErrorCode.INVALID_REQUEST, "Duplicate topic name."],
      ["ct-dup-other", ErrorCode.NONE, null],
    ]);
    expect((await metadataOf("ct-dup"))[0]?.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });

  it("refuses a name that collides with an existing topic over '.' and '_'", async () => {
    await createOne(4, { name: "ct.collide" });
    expect(await createOne(4, { name: "ct_collide" })).toMatchObject({
      errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION,
      errorMessage: "Topic 'ct_collide' collides with existing topic: ct.collide",
    });
  });

  it.each([
    [{ numPartitions: 0, replicationFactor: 1 }, ErrorCode.INVALID_PARTITIONS],
    [{ numPartitions: -5, replicationFactor: 1 }, ErrorCode.INVALID_PARTITIONS],
    [{ numPartitions: 1, replicationFactor: 0 }, ErrorCode.INVALID_REPLICATION_FACTOR],
    [{ numPartitions: 1, replicationFactor: -2 }, ErrorCode.INVALID_REPLICATION_FACTOR],
    [{ numPartitions: 10_001, replicationFactor: 1 }, ErrorCode.POLICY_VIOLATION],
  ])("refuses %j", async (counts, errorCode) => {
    expect((await createOne(5, { name: "ct-bad-counts", ...counts })).errorCode).toBe(errorCode);
  });

  it("accepts a consistent manual assignment: each partition on this broker, numbered from 0", async () => {
    const assignments = [2, 0, 1].map((partitionIndex) => ({ partitionIndex, brokerIds: [0] }));
    expect(await createOne(5, { name: "ct-assigned", assignments })).toMatchObject({ errorCode: ErrorCode.NONE, numPartitions: 3, replicationFactor: 1 });
    expect((await metadataOf("ct-assigned"))[0]?.partitions).toHaveLength(3);
  });

  it.each([
    [{ assignments: [{ partitionIndex: 0, brokerIds: [1] }] }, ErrorCode.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment includes broker 1, but no such broker is registered."],
    [{ assignments: [{ partitionIndex: 0, brokerIds: [] }] }, ErrorCode.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment includes an empty replica list."],
    [{ assignments: [{ partitionIndex: 0, brokerIds: [0, 0] }] }, ErrorCode.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment includes the broker 0 more than once."],
    [
      { assignments: [0, 0].map((partitionIndex) => ({ partitionIndex, brokerIds: [0] })) },
      ErrorCode.INVALID_REPLICA_ASSIGNMENT,
      "Found multiple manual partition assignments for partition 0",
    ],
    [
      { assignments: [0, 2].map((partitionIndex) => ({ partitionIndex, brokerIds: [0] })) },
      ErrorCode.INVALID_REPLICA_ASSIGNMENT,
      "partitions should be a consecutive 0-based integer sequence, but 1 is missing.",
    ],
    [
      { numPartitions: 1, assignments: [{ partitionIndex: 0, brokerIds: [0] }] },
      ErrorCode.INVALID_PARTITIONS,
      "A manual partition assignment was specified, but numPartitions was not set to -1.",
    ],
    [
      { replicationFactor: 1, assignments: [{ partitionIndex: 0, brokerIds: [0] }] },
      ErrorCode.INVALID_REPLICATION_FACTOR,
      "A manual partition assignment was specified, but replication factor was not set to -1.",
    ],
  ])("refuses the manual assignment %j", async (layout, errorCode, errorMessage) => {
    expect(await createOne(4, { name: "ct-bad-assignment", ...layout })).toMatchObject({ errorCode, errorMessage });
  });
});

describe("DeleteTopics", () => {
  it("v1 deletes by name; Metadata then answers UNKNOWN_TOPIC_OR_PARTITION", async () => {
    await createOne(4, { name: "dt-v1", numPartitions: 2 });
    const response = await client.request(ApiKey.DeleteTopics, 1, { topicNames: ["dt-v1", "dt-never"], timeoutMs: 5000 });
    expect(response.responses.map((r) => [r.name, r.errorCode])).toEqual([
      ["dt-v1", ErrorCode.NONE],
      ["dt-never", ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
    ]);
    const [topic] = await metadataOf("dt-v1");
    expect(topic).toMatchObject({ name: "dt-v1", errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, partitions: [] });
  });

  it("v6 deletes by topic id and by name, and answers with both", async () => {
    const byId = await createOne(7, { name: "dt-by-id" });
    const byName = await createOne(7, { name: "dt-by-name" });
    const response = await client.request(ApiKey.DeleteTopics, 6, {
      topics: [
        { name: null, topicId: byId.topicId! },
        { name: "dt-by-name", topicId: ZERO_UUID },
      ],
      timeoutMs: 5000,
    });
    expect(response.responses).toEqual([
      { name: "dt-by-id", topicId: byId.topicId, errorCode: ErrorCode.NONE, errorMessage: null },
      { name: "dt-by-name", topicId: byName.topicId, errorCode: ErrorCode.NONE, errorMessage: null },
    ]);
    expect((await metadataOf("dt-by-id", "dt-by-name")).map((t) => t.errorCode)).toEqual([ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
  });

  it("v6 refuses unknown ids and names, both given, neither given and duplicates", async () => {
    const kept = await createOne(7, { name: "dt-kept" });
    const unknownId = "0f0e0d0c-0b0a-4908-8706-050403020100";
    const response = await client.request(ApiKey.DeleteTopics, 6, {
      topics: [
        { name: null, topicId: unknownId },
        { name: "dt-unknown", topicId: ZERO_UUID },
        { name: "dt-kept", topicId: kept.topicId! },
        { name: null, topicId: ZERO_UUID },
        { name: "dt-twice", topicId: ZERO_UUID },
        { name: "dt-twice", topicId: ZERO_UUID },
      ],
      timeoutMs: 5000,
    });
    expect(response.responses.map((r) => [r.name, r.topicId, r.errorCode, r.errorMessage])).toEqual([
      [null, unknownId, ErrorCode.UNKNOWN_TOPIC_ID, "This server does not host this topic ID."],
      ["dt-unknown", ZERO_UUID, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, NOT_HOSTED],
      ["dt-kept", kept.topicId, ErrorCode.INVALID_REQUEST, "You may not specify both topic name and topic id."],
      [null, ZERO_UUID, ErrorCode.INVALID_REQUEST, "Neither topic name nor id were specified."],
      ["dt-twice", ZERO_UUID, ErrorCode.INVALID_REQUEST, "Duplicate topic name."],
    ]);
    expect((await metadataOf("dt-kept"))[0]?.errorCode).toBe(ErrorCode.NONE);
  });
});

describe("CreatePartitions", () => {
  it("v0 grows a topic and Metadata shows the new partitions", async () => {
    await createOne(4, { name: "cp-v0", numPartitions: 2 });
    const response = await client.request(ApiKey.CreatePartitions, 0, { topics: [{ name: "cp-v0", count: 4, assignments: null }], timeoutMs: 5000, validateOnly: false });
    expect(response.results).toEqual([{ name: "cp-v0", errorCode: ErrorCode.NONE, errorMessage: null }]);
    const [topic] = await client.request(ApiKey.Metadata, 1, { topics: [{ name: "cp-v0" }] }).then((m) => m.topics);
    expect(topic?.partitions.map((p) => p.partitionIndex).sort()).toEqual([0, 1, 2, 3]);
  });

  it("v3: validateOnly changes nothing; consistent assignments and an empty list are accepted", async () => {
    await createOne(7, { name: "cp-v3", numPartitions: 1 });
    const grow = (count: number, assignments: { brokerIds: number[] }[] | null, validateOnly = false) =>
      client.request(ApiKey.CreatePartitions, 3, { topics: [{ name: "cp-v3", count, assignments }], timeoutMs: 5000, validateOnly }).then((r) => r.results[0]);
    expect(await grow(3, null, true)).toMatchObject({ errorCode: ErrorCode.NONE });
    expect((await metadataOf("cp-v3"))[0]?.partitions).toHaveLength(1);
    expect(await grow(3, [{ brokerIds: [0] }, { brokerIds: [0] }])).toMatchObject({ errorCode: ErrorCode.NONE });
    expect(await grow(4, [])).toMatchObject({ errorCode: ErrorCode.NONE });
    expect((await metadataOf("cp-v3"))[0]?.partitions).toHaveLength(4);
  });

  it.each([
    [3, null, ErrorCode.INVALID_PARTITIONS, "Topic already has 3 partition(s)."],
    [2, null, ErrorCode.INVALID_PARTITIONS, "The topic cp-refused currently has 3 partition(s); 2 would not be an increase."],
    [5, [{ brokerIds: [0] }], ErrorCode.INVALID_REPLICA_ASSIGNMENT, "Attempted to add 2 additional partition(s), but only 1 assignment(s) were specified."],
    [4, [{ brokerIds: [3] }], ErrorCode.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment includes broker 3, but no such broker is registered."],
    [10_004, null, ErrorCode.POLICY_VIOLATION, "Unable to perform excessively large batch operation."],
  ])("refuses count %d with assignments %j", async (count, assignments, errorCode, errorMessage) => {
    if ((await metadataOf("cp-refused"))[0]?.errorCode !== ErrorCode.NONE) await createOne(4, { name: "cp-refused", numPartitions: 3 });
    const response = await client.request(ApiKey.CreatePartitions, 1, { topics: [{ name: "cp-refused", count, assignments }], timeoutMs: 5000, validateOnly: false });
    expect(response.results).toEqual([{ name: "cp-refused", errorCode, errorMessage }]);
    expect((await metadataOf("cp-refused"))[0]?.partitions).toHaveLength(3);
  });

  it("answers unknown topics and duplicate names", async () => {
    const response = await client.request(ApiKey.CreatePartitions, 2, {
      topics: [
        { name: "cp-unknown", count: 2, assignments: null },
        { name: "cp-twice", count: 2, assignments: null },
        { name: "cp-twice", count: 3, assignments: null },
      ],
      timeoutMs: 5000,
      validateOnly: false,
    });
    expect(response.results).toEqual([
      { name: "cp-unknown", errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: NOT_HOSTED },
      { name: "cp-twice", errorCode: ErrorCode.INVALID_REQUEST, errorMessage: "Duplicate topic name." },
    ]);
  });
});

describe("DescribeConfigs", () => {
  beforeAll(async () => {
    await createOne(5, { name: "dc-topic", numPartitions: 1, configs: [{ name: "retention.ms", value: "86400000" }] });
  });

  it("v0 lists every known topic config with its effective value and isDefault", async () => {
    const [result] = await describeConfigs(0, [{ resourceType: TOPIC, resourceName: "dc-topic" }]);
    expect(result).toMatchObject({ errorCode: ErrorCode.NONE, resourceType: TOPIC, resourceName: "dc-topic" });
    const byName = Object.fromEntries(result!.configs.map((c) => [c.name, c]));
    expect(Object.keys(byName).sort()).toEqual([
      "cleanup.policy",
      "compression.type",
      "max.message.bytes",
      "message.timestamp.type",
      "min.insync.replicas",
      "retention.bytes",
      "retention.ms",
      "segment.bytes",
      "segment.ms",
    ]);
    expect(byName["retention.ms"]).toMatchObject({ value: "86400000", readOnly: false, isDefault: false, isSensitive: false });
    expect(byName["retention.bytes"]).toMatchObject({ value: String(DEFAULT_BROKER_CONFIG.retentionBytes), isDefault: true });
    expect(byName["cleanup.policy"]).toMatchObject({ value: "delete", isDefault: true });
  });

  it("v1 gives sources, and synonyms only when asked for", async () => {
    const [plain] = await describeConfigs(1, [{ resourceType: TOPIC, resourceName: "dc-topic", configurationKeys: ["retention.ms"] }]);
    expect(plain?.configs).toEqual([
      { name: "retention.ms", value: "86400000", readOnly: false, configSource: Source.DYNAMIC_TOPIC_CONFIG, isSensitive: false, synonyms: [] },
    ]);
    const [withSynonyms] = await describeConfigs(1, [{ resourceType: TOPIC, resourceName: "dc-topic", configurationKeys: ["retention.ms", "retention.bytes", "cleanup.policy"] }], {
      includeSynonyms: true,
    });
    const byName = Object.fromEntries(withSynonyms!.configs.map((c) => [c.name, c]));
    expect(byName["retention.ms"]?.synonyms).toEqual([
      { name: "retention.ms", value: "86400000", source: Source.DYNAMIC_TOPIC_CONFIG },
      { name: "log.retention.ms", value: RETENTION_MS, source: Source.STATIC_BROKER_CONFIG },
    ]);
    expect(byName["retention.bytes"]).toMatchObject({ configSource: Source.STATIC_BROKER_CONFIG, synonyms: [{ name: "log.retention.bytes", value: "-1", source: Source.STATIC_BROKER_CONFIG }] });
    expect(byName["cleanup.policy"]).toMatchObject({ configSource: Source.DEFAULT_CONFIG, synonyms: [{ name: "log.cleanup.policy", value: "delete", source: Source.DEFAULT_CONFIG }] });
  });

  it("v4 gives config types, and documentation only when asked for", async () => {
    const keys = ["retention.ms", "cleanup.policy", "min.insync.replicas"];
    const [bare] = await describeConfigs(4, [{ resourceType: TOPIC, resourceName: "dc-topic", configurationKeys: keys }]);
    expect(bare?.configs.map((c) => [c.name, c.configType, c.documentation])).toEqual([
      ["cleanup.policy", 7, null],
      ["min.insync.replicas", 3, null],
      ["retention.ms", 5, null],
    ]);
    const [documented] = await describeConfigs(4, [{ resourceType: TOPIC, resourceName: "dc-topic", configurationKeys: keys }], { includeDocumentation: true, includeSynonyms: true });
    for (const c of documented!.configs) expect(c.documentation).toMatch(/\w/);
    expect(documented!.configs.every((c) => (c.synonyms ?? []).length > 0)).toBe(true);
  });

  it("an empty key list means every config, as in Kafka", async () => {
    const [result] = await describeConfigs(2, [{ resourceType: TOPIC, resourceName: "dc-topic", configurationKeys: [] }]);
    expect(result?.configs).toHaveLength(9);
  });

  it("answers unknown topics, invalid names and unsupported resource types", async () => {
    const results = await describeConfigs(4, [
      { resourceType: TOPIC, resourceName: "dc-missing" },
      { resourceType: TOPIC, resourceName: "bad/name" },
      { resourceType: BROKER_LOGGER, resourceName: "0" },
      { resourceType: 3, resourceName: "x" },
    ]);
    expect(results.map((r) => [r.resourceType, r.resourceName, r.errorCode, r.configs.length])).toEqual([
      [TOPIC, "dc-missing", ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 0],
      [TOPIC, "bad/name", ErrorCode.INVALID_TOPIC_EXCEPTION, 0],
      [BROKER_LOGGER, "0", ErrorCode.INVALID_REQUEST, 0],
      [3, "x", ErrorCode.INVALID_REQUEST, 0],
    ]);
    expect(results[2]?.errorMessage).toBe("Unsupported resource type: BROKER_LOGGER");
  });

  it("describes the broker by id: its read-only settings, as static broker configs", async () => {
    for (const version of [0, 4]) {
      const [result] = await describeConfigs(version, [{ resourceType: BROKER, resourceName: "0" }], { includeSynonyms: true, includeDocumentation: true });
      expect(result?.errorCode).toBe(ErrorCode.NONE);
      const byName = Object.fromEntries(result!.configs.map((c) => [c.name, c]));
      expect(byName["broker.id"]).toMatchObject({ value: "0", readOnly: true });
      expect(byName["num.partitions"]?.value).toBe(String(DEFAULT_BROKER_CONFIG.defaultPartitions));
      expect(byName["log.retention.ms"]?.value).toBe(RETENTION_MS);
      expect(result!.configs.every((c) => c.readOnly)).toBe(true);
      if (version === 0) expect(byName["broker.id"]?.isDefault).toBe(false);
      if (version === 4) {
        expect(byName["log.retention.ms"]).toMatchObject({
          configSource: Source.STATIC_BROKER_CONFIG,
          configType: 5,
          synonyms: [{ name: "log.retention.ms", value: RETENTION_MS, source: Source.STATIC_BROKER_CONFIG }],
        });
        expect(byName["log.retention.ms"]?.documentation).toContain("KAFSCALE_RETENTION_MS");
      }
    }
  });

  it("the broker named \"\" has no dynamic defaults; another id or a non-number is INVALID_REQUEST", async () => {
    const results = await describeConfigs(3, [
      { resourceType: BROKER, resourceName: "" },
      { resourceType: BROKER, resourceName: "7" },
      { resourceType: BROKER, resourceName: "one" },
    ]);
    expect(results.map((r) => [r.errorCode, r.errorMessage, r.configs.length])).toEqual([
      [ErrorCode.NONE, null, 0],
      [ErrorCode.INVALID_REQUEST, "Unexpected broker id, expected 0 or empty string, but received 7", 0],
      [ErrorCode.INVALID_REQUEST, "Broker id must be an integer, but it is: one", 0],
    ]);
  });
});

describe("AlterConfigs", () => {
  it("v0 replaces a topic's whole override set; DescribeConfigs shows the change", async () => {
    await createOne(4, { name: "ac-topic" });
    const first = await alterConfigs(0, [
      {
        resourceType: TOPIC,
        resourceName: "ac-topic",
        configs: [
          { name: "retention.ms", value: "3600000" },
          { name: "segment.ms", value: "60000" },
        ],
      },
    ]);
    expect(first.responses).toEqual([{ resourceType: TOPIC, resourceName: "ac-topic", errorCode: ErrorCode.NONE, errorMessage: null }]);
    expect(await topicConfigValues("ac-topic")).toMatchObject({ "retention.ms": "3600000", "segment.ms": "60000" });

    const second = await alterConfigs(2, [{ resourceType: TOPIC, resourceName: "ac-topic", configs: [{ name: "max.message.bytes", value: "2000000" }] }]);
    expect(second.responses[0]?.errorCode).toBe(ErrorCode.NONE);
    const values = await topicConfigValues("ac-topic");
    expect(values).toMatchObject({ "max.message.bytes": "2000000", "retention.ms": RETENTION_MS, "segment.ms": "604800000" });
    const [described] = await describeConfigs(4, [{ resourceType: TOPIC, resourceName: "ac-topic", configurationKeys: ["retention.ms", "max.message.bytes"] }]);
    expect(described?.configs.map((c) => [c.name, c.configSource])).toEqual([
      ["max.message.bytes", Source.DYNAMIC_TOPIC_CONFIG],
      ["retention.ms", Source.STATIC_BROKER_CONFIG],
    ]);
  });

  it("validateOnly and invalid values change nothing", async () => {
    await createOne(4, { name: "ac-unchanged", configs: [{ name: "segment.ms", value: "120000" }] });
    const resource = (configs: { name: string; value: string | null }[]) => [{ resourceType: TOPIC, resourceName: "ac-unchanged", configs }];
    expect((await alterConfigs(1, resource([{ name: "segment.ms", value: "1" }]), true)).responses[0]?.errorCode).toBe(ErrorCode.NONE);
    const refused = await alterConfigs(1, resource([{ name: "segment.ms", value: "1" }, { name: "retention.bytes", value: "lots" }]));
    expect(refused.responses[0]).toMatchObject({ errorCode: ErrorCode.INVALID_CONFIG, errorMessage: "Invalid value lots for configuration retention.bytes: must be an integer ≥ -1" });
    expect((await alterConfigs(1, resource([{ name: "unknown.config", value: "1" }]))).responses[0]).toMatchObject({
      errorCode: ErrorCode.INVALID_CONFIG,
      errorMessage: "Unknown topic config name: unknown.config",
    });
    expect((await alterConfigs(1, resource([{ name: "segment.ms", value: null }]))).responses[0]?.errorCode).toBe(ErrorCode.INVALID_CONFIG);
    expect((await topicConfigValues("ac-unchanged"))["segment.ms"]).toBe("120000");
  });

  it("refuses broker configs, unknown topics, broker loggers, unknown types and duplicate resources", async () => {
    const response = await alterConfigs(2, [
      { resourceType: BROKER, resourceName: "0", configs: [{ name: "log.retention.ms", value: "1" }] },
      { resourceType: BROKER, resourceName: "9", configs: [] },
      { resourceType: TOPIC, resourceName: "ac-missing", configs: [{ name: "retention.ms", value: "1" }] },
      { resourceType: BROKER_LOGGER, resourceName: "0", configs: [] },
      { resourceType: 99, resourceName: "x", configs: [] },
      { resourceType: TOPIC, resourceName: "ac-twice", configs: [] },
      { resourceType: TOPIC, resourceName: "ac-twice", configs: [] },
    ]);
    expect(response.responses.map((r) => [r.resourceType, r.resourceName, r.errorCode])).toEqual([
      [BROKER, "0", ErrorCode.INVALID_CONFIG],
      [BROKER, "9", ErrorCode.INVALID_REQUEST],
      [TOPIC, "ac-missing", ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
      [BROKER_LOGGER, "0", ErrorCode.INVALID_REQUEST],
      [99, "x", ErrorCode.UNSUPPORTED_VERSION],
      [TOPIC, "ac-twice", ErrorCode.INVALID_REQUEST],
    ]);
    expect(response.responses[0]?.errorMessage).toMatch(/^Cannot update these configs dynamically: log\.retention\.ms\. .*KAFSCALE_\* settings/);
    expect(response.responses[2]?.errorMessage).toBe("The topic 'ac-missing' does not exist.");
  });
});

describe("IncrementalAlterConfigs", () => {
  it("v0 SET and DELETE; DescribeConfigs shows the change and the fallback to the broker's value", async () => {
    await createOne(4, { name: "iac-topic", configs: [{ name: "segment.ms", value: "120000" }] });
    const set = await incrementalAlter(0, [
      {
        resourceType: TOPIC,
        resourceName: "iac-topic",
        configs: [
          { name: "retention.ms", configOperation: Op.SET, value: "5000" },
          { name: "max.message.bytes", configOperation: Op.SET, value: "100000" },
        ],
      },
    ]);
    expect(set.responses).toEqual([{ resourceType: TOPIC, resourceName: "iac-topic", errorCode: ErrorCode.NONE, errorMessage: null }]);
    expect(await topicConfigValues("iac-topic")).toMatchObject({ "retention.ms": "5000", "max.message.bytes": "100000", "segment.ms": "120000" });

    const deleted = await incrementalAlter(1, [
      {
        resourceType: TOPIC,
        resourceName: "iac-topic",
        configs: [
          { name: "retention.ms", configOperation: Op.DELETE, value: null },
          { name: "segment.ms", configOperation: Op.DELETE, value: null },
          { name: "message.timestamp.type", configOperation: Op.DELETE, value: null },
        ],
      },
    ]);
    expect(deleted.responses[0]?.errorCode).toBe(ErrorCode.NONE);
    const [described] = await describeConfigs(4, [{ resourceType: TOPIC, resourceName: "iac-topic", configurationKeys: ["retention.ms", "segment.ms", "max.message.bytes"] }]);
    expect(described?.configs.map((c) => [c.name, c.value, c.configSource])).toEqual([
      ["max.message.bytes", "100000", Source.DYNAMIC_TOPIC_CONFIG],
      ["retention.ms", RETENTION_MS, Source.STATIC_BROKER_CONFIG],
      ["segment.ms", "604800000", Source.DEFAULT_CONFIG],
    ]);
  });

  it("APPEND and SUBTRACT work on list configs only, from the default value", async () => {
    await createOne(5, { name: "iac-lists" });
    const ops = (...configs: IncrementalAlterConfigsRequestAlterableConfig[]) =>
      incrementalAlter(1, [{ resourceType: TOPIC, resourceName: "iac-lists", configs }]).then((r) => r.responses[0]);
    expect(await ops({ name: "cleanup.policy", configOperation: Op.APPEND, value: "delete" })).toMatchObject({ errorCode: ErrorCode.NONE });
    expect((await topicConfigValues("iac-lists"))["cleanup.policy"]).toBe("delete");
    expect(await ops({ name: "cleanup.policy", configOperation: Op.APPEND, value: "compact" })).toMatchObject({
      errorCode: ErrorCode.INVALID_CONFIG,
      errorMessage: "Invalid value delete,compact for configuration cleanup.policy: must be one of delete",
    });
    expect(await ops({ name: "cleanup.policy", configOperation: Op.SUBTRACT, value: "delete" })).toMatchObject({ errorCode: ErrorCode.INVALID_CONFIG });
    expect(await ops({ name: "retention.ms", configOperation: Op.APPEND, value: "1" })).toMatchObject({
      errorCode: ErrorCode.INVALID_CONFIG,
      errorMessage: "Can't APPEND to key retention.ms because its type is not LIST.",
    });
    expect(await ops({ name: "retention.ms", configOperation: Op.SUBTRACT, value: "1" })).toMatchObject({
      errorMessage: "Can't SUBTRACT to key retention.ms because its type is not LIST.",
    });
    expect((await topicConfigValues("iac-lists"))["cleanup.policy"]).toBe("delete");
  });

  it("refuses unknown names, bad values, nulls, unknown operations and duplicate keys, applying none of the resource's changes", async () => {
    await createOne(5, { name: "iac-refused", configs: [{ name: "segment.ms", value: "120000" }] });
    const attempt = (bad: IncrementalAlterConfigsRequestAlterableConfig) =>
      incrementalAlter(1, [{ resourceType: TOPIC, resourceName: "iac-refused", configs: [{ name: "segment.ms", configOperation: Op.SET, value: "1" }, bad] }]).then(
        (r) => r.responses[0],
      );
    expect(await attempt({ name: "nope", configOperation: Op.SET, value: "1" })).toMatchObject({ errorCode: ErrorCode.INVALID_CONFIG, errorMessage: "Unknown topic config name: nope" });
    expect(await attempt({ name: "retention.ms", configOperation: Op.SET, value: "-7" })).toMatchObject({ errorCode: ErrorCode.INVALID_CONFIG });
    expect(await attempt({ name: "retention.ms", configOperation: Op.SET, value: null })).toMatchObject({
      errorCode: ErrorCode.INVALID_CONFIG,
      errorMessage: "Null value not supported for topic configs: retention.ms",
    });
    expect(await attempt({ name: "retention.ms", configOperation: 9, value: "1" })).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST });
    expect(await attempt({ name: "segment.ms", configOperation: Op.SET, value: "2" })).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST, errorMessage: "Error due to duplicate config keys" });
    expect((await topicConfigValues("iac-refused"))["segment.ms"]).toBe("120000");
  });

  it("validateOnly changes nothing; broker configs are read-only", async () => {
    await createOne(5, { name: "iac-validate" });
    const response = await incrementalAlter(
      1,
      [
        { resourceType: TOPIC, resourceName: "iac-validate", configs: [{ name: "retention.ms", configOperation: Op.SET, value: "1000" }] },
        { resourceType: BROKER, resourceName: "0", configs: [{ name: "num.partitions", configOperation: Op.SET, value: "3" }] },
        { resourceType: BROKER, resourceName: "", configs: [{ name: "log.retention.ms", configOperation: Op.DELETE, value: null }] },
        { resourceType: BROKER_LOGGER, resourceName: "0", configs: [{ name: "kafka", configOperation: Op.SET, value: "DEBUG" }] },
      ],
      true,
    );
    expect(response.responses.map((r) => r.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.INVALID_CONFIG, ErrorCode.INVALID_CONFIG, ErrorCode.INVALID_REQUEST]);
    expect((await topicConfigValues("iac-validate"))["retention.ms"]).toBe(RETENTION_MS);
  });

  it("a retention change takes effect at the next retention run", async () => {
    await createOne(5, { name: "iac-retention", numPartitions: 1 });
    const twoHoursAgo = Date.now() - 2 * 3600_000;
    await produceBatches(client, "iac-retention", 0, 3, 2, twoHoursAgo);
    await h.broker.services.topics.enforceRetention(Date.now());
    expect(await earliestOffset("iac-retention", 0)).toBe(0n);

    const altered = await incrementalAlter(1, [{ resourceType: TOPIC, resourceName: "iac-retention", configs: [{ name: "retention.ms", configOperation: Op.SET, value: "3600000" }] }]);
    expect(altered.responses[0]?.errorCode).toBe(ErrorCode.NONE);
    await h.broker.services.topics.enforceRetention(Date.now());
    expect(await earliestOffset("iac-retention", 0)).toBe(6n);
  });
});

describe("DeleteRecords", () => {
  it("moves the log start (v0 and v2); ListOffsets earliest shows it; -1 means the high watermark", async () => {
    await createOne(7, { name: "dr-topic", numPartitions: 2 });
    const produced = await produceBatches(client, "dr-topic", 0, 3, 2);
    expect(produced.map((r) => r.responses[0]?.partitionResponses[0]?.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.NONE, ErrorCode.NONE]);
    expect(await earliestOffset("dr-topic", 0)).toBe(0n);

    const v0 = await client.request(ApiKey.DeleteRecords, 0, { topics: [{ name: "dr-topic", partitions: [{ partitionIndex: 0, offset: 3n }] }], timeoutMs: 5000 });
    expect(v0.topics).toEqual([{ name: "dr-topic", partitions: [{ partitionIndex: 0, lowWatermark: 3n, errorCode: ErrorCode.NONE }] }]);
    expect(await earliestOffset("dr-topic", 0, 1)).toBe(3n);
    expect(await earliestOffset("dr-topic", 0, 9)).toBe(3n);

    const v2 = await client.request(ApiKey.DeleteRecords, 2, {
      topics: [
        {
          name: "dr-topic",
          partitions: [
            { partitionIndex: 0, offset: 1n },
            { partitionIndex: 1, offset: -1n },
          ],
        },
      ],
      timeoutMs: 5000,
    });
    expect(v2.topics[0]?.partitions).toEqual([
      { partitionIndex: 0, lowWatermark: 3n, errorCode: ErrorCode.NONE },
      { partitionIndex: 1, lowWatermark: 0n, errorCode: ErrorCode.NONE },
    ]);
    const toEnd = await client.request(ApiKey.DeleteRecords, 2, { topics: [{ name: "dr-topic", partitions: [{ partitionIndex: 0, offset: -1n }] }], timeoutMs: 5000 });
    expect(toEnd.topics[0]?.partitions[0]).toEqual({ partitionIndex: 0, lowWatermark: 6n, errorCode: ErrorCode.NONE });
    expect(await earliestOffset("dr-topic", 0)).toBe(6n);
  });

  it("answers OFFSET_OUT_OF_RANGE beyond the high watermark and UNKNOWN_TOPIC_OR_PARTITION", async () => {
    await createOne(5, { name: "dr-errors", numPartitions: 1 });
    await produceBatches(client, "dr-errors", 0, 1, 2);
    const response = await client.request(ApiKey.DeleteRecords, 1, {
      topics: [
        {
          name: "dr-errors",
          partitions: [
            { partitionIndex: 0, offset: 3n },
            { partitionIndex: 0, offset: -2n },
            { partitionIndex: 5, offset: 0n },
          ],
        },
        { name: "dr-missing", partitions: [{ partitionIndex: 0, offset: 0n }] },
      ],
      timeoutMs: 5000,
    });
    expect(response.topics).toEqual([
      {
        name: "dr-errors",
        partitions: [
          { partitionIndex: 0, lowWatermark: -1n, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE },
          { partitionIndex: 0, lowWatermark: -1n, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE },
          { partitionIndex: 5, lowWatermark: -1n, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION },
        ],
      },
      { name: "dr-missing", partitions: [{ partitionIndex: 0, lowWatermark: -1n, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }] },
    ]);
    expect(await earliestOffset("dr-errors", 0)).toBe(0n);
  });
});

describe("DescribeCluster", () => {
  it("v0 and v1 describe this broker as the cluster and its controller", async () => {
    for (const version of [0, 1]) {
      const response = await client.request(ApiKey.DescribeCluster, version, { includeClusterAuthorizedOperations: false, endpointType: 1 });
      expect(response).toMatchObject({
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        clusterId: DEFAULT_BROKER_CONFIG.clusterId,
        controllerId: 0,
        brokers: [{ brokerId: 0, host: "127.0.0.1", port: h.port, rack: null }],
        clusterAuthorizedOperations: -2147483648,
      });
      if (version === 1) expect(response.endpointType).toBe(1);
    }
  });

  it("v1 refuses controller endpoints and unknown endpoint types", async () => {
    const controllers = await client.request(ApiKey.DescribeCluster, 1, { includeClusterAuthorizedOperations: false, endpointType: 2 });
    expect(controllers).toMatchObject({ errorCode: ErrorCode.MISMATCHED_ENDPOINT_TYPE, brokers: [] });
    const unknown = await client.request(ApiKey.DescribeCluster, 1, { includeClusterAuthorizedOperations: true, endpointType: 7 });
    expect(unknown).toMatchObject({ errorCode: ErrorCode.UNSUPPORTED_ENDPOINT_TYPE, errorMessage: "Unsupported endpoint type 7", brokers: [] });
  });
});

describe("requests captured from real clients", () => {
  const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "../../protocol/test/fixtures");
  const frame = (file: string) => Buffer.from(readFileSync(join(FIXTURES, file), "utf8").trim(), "hex");
  let raw: AdminTestBroker;

  beforeAll(async () => {
    raw = await startAdminTestBroker();
  });

  afterAll(async () => {
    await raw.stop();
  });

  /** Sets up "capture" (with records) and "capture-multi" (3 partitions), which the captured requests name. */
  async function setUp(): Promise<void> {
    for (const name of ["capture", "capture-multi"]) {
      await raw.client.request(ApiKey.DeleteTopics, 1, { topicNames: [name], timeoutMs: 5000 });
    }
    await raw.client.request(ApiKey.CreateTopics, 4, {
      topics: [
        { name: "capture", numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] },
        { name: "capture-multi", numPartitions: 3, replicationFactor: 1, assignments: [], configs: [] },
      ],
      timeoutMs: 5000,
      validateOnly: false,
    });
    await produceBatches(raw.client, "capture", 0, 2, 2);
  }

  /** Every error code in a decoded response, wherever it is nested. */
  function errorCodes(value: unknown): number[] {
    if (Array.isArray(value)) return value.flatMap(errorCodes);
    if (value === null || typeof value !== "object") return [];
    return Object.entries(value).flatMap(([k, v]) => (k === "errorCode" && typeof v === "number" ? [v] : errorCodes(v)));
  }

  it.each([
    ["kafka-python", ["create-topics-request-v3-001", "describe-configs-request-v2-001", "create-partitions-request-v1-001", "delete-topics-request-v3-001"]],
    ["kafkajs", ["describe-configs-request-v2-001", "alter-configs-request-v1-001", "create-partitions-request-v1-001", "delete-records-request-v1-001"]],
    ["confluent-kafka", ["describe-configs-request-v1-001", "alter-configs-request-v0-001", "create-partitions-request-v0-001"]],
    [
      "platformatic-kafka",
      ["describe-configs-request-v4-001", "alter-configs-request-v2-001", "incremental-alter-configs-request-v1-001", "create-partitions-request-v3-001", "delete-records-request-v2-001"],
    ],
  ])("%s's requests succeed", async (client, files) => {
    await setUp();
    if (client === "confluent-kafka") {
      // Its DescribeConfigs names broker 1: describe that broker.
      await raw.stop();
      raw = await startAdminTestBroker({ nodeId: 1 });
      await setUp();
    }
    if (client === "kafka-python") {
      const deleted = await raw.client.sendFrame(frame(`${client}/delete-topics-request-v3-001.hex`));
      expect(errorCodes(deleted)).toEqual([ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
    }
    for (const file of files) {
      const response = await raw.client.sendFrame(frame(`${client}/${file}.hex`));
      expect({ file, codes: errorCodes(response) }).toEqual({ file, codes: errorCodes(response).map(() => ErrorCode.NONE) });
    }
  });

  it("refuses compaction, which kafkajs, confluent-kafka and @platformatic/kafka asked for, with INVALID_CONFIG; deletes by name at v1 and v6", async () => {
    for (const [client, create, remove] of [
      ["kafkajs", "create-topics-request-v3-001", "delete-topics-request-v1-001"],
      ["confluent-kafka", "create-topics-request-v4-001", "delete-topics-request-v1-001"],
      ["platformatic-kafka", "create-topics-request-v7-001", "delete-topics-request-v6-001"],
    ] as const) {
      const created = (await raw.client.sendFrame(frame(`${client}/${create}.hex`))) as { topics: CreateTopicsResponseCreatableTopicResult[] };
      expect(created.topics.map((t) => [t.errorCode, t.errorMessage])).toEqual([
        [ErrorCode.INVALID_CONFIG, "Invalid value compact for configuration cleanup.policy: must be one of delete"],
      ]);
      expect(errorCodes(await raw.client.sendFrame(frame(`${client}/${remove}.hex`)))).toEqual([ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
    }
  });
});

describe("kafka-python's KafkaAdminClient", () => {
  it("creates a topic, describes and alters its configs, adds partitions and deletes it", async () => {
    await requireKafkaPython();
    const out = await runKafkaPythonAdmin(`127.0.0.1:${h.port}`, "py-admin");
    expect(out["create"]).toEqual([{ topic: "py-admin", error_code: ErrorCode.NONE, error_message: null }]);
    expect(out["describeBefore"]).toMatchObject({ error: ErrorCode.NONE, configs: { "retention.ms": "3600000", "cleanup.policy": "delete" } });
    expect(out["broker"]).toMatchObject({ error: ErrorCode.NONE, configs: { "broker.id": "0", "log.retention.ms": RETENTION_MS }, readOnly: [true] });
    expect(out["alter"]).toEqual([{ error_code: ErrorCode.NONE, error_message: null, resource_type: TOPIC, resource_name: "py-admin" }]);
    expect(out["describeAfter"]).toMatchObject({ error: ErrorCode.NONE, configs: { "retention.ms": "7200000", "segment.ms": "600000" } });
    expect(out["partitions"]).toEqual([{ topic: "py-admin", error_code: ErrorCode.NONE, error_message: null }]);
    expect(out["topicsBeforeDelete"]).toContain("py-admin");
    expect(out["delete"]).toEqual([{ topic: "py-admin", error_code: ErrorCode.NONE }]);
    expect(out["topicsAfterDelete"]).not.toContain("py-admin");
  }, 90_000);
});
