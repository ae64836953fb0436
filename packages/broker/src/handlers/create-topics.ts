import {
  ApiKey,
  ErrorCode,
  ZERO_UUID,
  type CreateTopicsRequestCreatableTopic,
  type CreateTopicsResponse,
  type CreateTopicsResponseCreatableTopicResult,
} from "@kafscale/protocol";
import type { BrokerServices } from "../services.js";
import type { TopicInfo } from "../topics/topic-manager.js";
import { topicNameProblem } from "../topics/topic-name.js";
import { setValuesProblem } from "./configs/alter-resource.js";
import { duplicates } from "./configs/config-resources.js";
import { newPartitionsProblem, replicaListProblem } from "./configs/partition-layout.js";
import { topicConfigDefaults } from "./configs/topic-config-defaults.js";
import { describeTopicConfigs } from "./configs/topic-config-view.js";
import { defineHandler } from "./handler.js";

/** Kafka's '.' and '_' collide in metric names, so topics differing only there are refused. */
const unifyCollisionChars = (name: string) => name.replaceAll(".", "_");

/**
 * CreateTopics v0-7, checked in the order of Kafka's `ReplicationControlManager`: a name
 * given twice (INVALID_REQUEST, answered once), invalid names, existing topics, names that
 * collide with an existing one over '.' and '_' (INVALID_TOPIC_EXCEPTION), configs
 * (INVALID_CONFIG), then partitions, replication factor and manual assignments. Any
 * replication factor ≥ 1 is accepted (object storage is the replica); a manual assignment must
 * put each partition on this broker alone, numbered 0..n-1; more than 10,000 partitions at
 * once is a POLICY_VIOLATION, as in Kafka. validateOnly (v1+) checks everything and creates
 * nothing. v5+ answers carry the partition count, replication factor and every topic config
 * with its source; v7+ the topic id. timeoutMs is not needed: the topic exists when the answer
 * is sent.
 */
export function createTopicsHandler(services: BrokerServices) {
  const { topics, node } = services;

  const failed = (name: string, errorCode: number, errorMessage: string): CreateTopicsResponseCreatableTopicResult => ({
    name,
    topicId: ZERO_UUID,
    errorCode,
    errorMessage,
    numPartitions: -1,
    replicationFactor: -1,
    configs: [],
  });

  const created = (info: TopicInfo): CreateTopicsResponseCreatableTopicResult => ({
    name: info.name,
    topicId: info.topicId,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    numPartitions: info.partitionCount,
    replicationFactor: info.replicationFactor,
    configs: describeTopicConfigs(info.configs, topicConfigDefaults(services)).map((c) => ({
      name: c.name,
      value: c.value,
      readOnly: c.readOnly,
      configSource: c.source,
      isSensitive: c.isSensitive,
    })),
  });

  /** Partition count and replication factor from a manual assignment, or why it is refused. */
  function fromAssignments(t: CreateTopicsRequestCreatableTopic): { partitions: number; replicationFactor: number } | { errorCode: number; errorMessage: string } {
    if (t.replicationFactor !== -1) {
      return { errorCode: ErrorCode.INVALID_REPLICATION_FACTOR, errorMessage: "A manual partition assignment was specified, but replication factor was not set to -1." };
    }
    if (t.numPartitions !== -1) {
      return { errorCode: ErrorCode.INVALID_PARTITIONS, errorMessage: "A manual partition assignment was specified, but numPartitions was not set to -1." };
    }
    const seen = new Set<number>();
    for (const a of t.assignments) {
      if (seen.has(a.partitionIndex)) {
        return { errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT, errorMessage: `Found multiple manual partition assignments for partition ${a.partitionIndex}` };
      }
      seen.add(a.partitionIndex);
      const problem = replicaListProblem(a.brokerIds, node.nodeId);
      if (problem !== null) return { errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT, errorMessage: problem };
    }
    for (let p = 0; p < seen.size; p++) {
      if (!seen.has(p)) {
        return { errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT, errorMessage: `partitions should be a consecutive 0-based integer sequence, but ${p} is missing.` };
      }
    }
    return { partitions: seen.size, replicationFactor: 1 };
  }

  async function createOne(t: CreateTopicsRequestCreatableTopic, validateOnly: boolean): Promise<CreateTopicsResponseCreatableTopicResult> {
    const nameProblem = topicNameProblem(t.name);
    if (nameProblem !== null) return failed(t.name, ErrorCode.INVALID_TOPIC_EXCEPTION, nameProblem);
    if (topics.get(t.name) !== undefined) return failed(t.name, ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${t.name}' already exists.`);
    const unified = unifyCollisionChars(t.name);
    const colliding = topics.list().find((other) => other.name !== t.name && unifyCollisionChars(other.name) === unified);
    if (colliding !== undefined) return failed(t.name, ErrorCode.INVALID_TOPIC_EXCEPTION, `Topic '${t.name}' collides with existing topic: ${colliding.name}`);
    const configProblem = setValuesProblem(t.configs);
    if (configProblem !== null) return failed(t.name, configProblem.errorCode, configProblem.errorMessage ?? "Invalid config");
    let partitions = t.numPartitions;
    let replicationFactor = t.replicationFactor;
    if (t.assignments.length > 0) {
      const layout = fromAssignments(t);
      if ("errorCode" in layout) return failed(t.name, layout.errorCode, layout.errorMessage);
      ({ partitions, replicationFactor } = layout);
    }
    const tooMany = newPartitionsProblem(partitions);
    if (tooMany !== null) return failed(t.name, ErrorCode.POLICY_VIOLATION, tooMany);
    const configs = t.configs.map((c): [string, string | null] => [c.name, c.value]);
    const result = await topics.create(t.name, partitions, replicationFactor, configs, validateOnly);
    if (result.topic === undefined || result.errorCode !== ErrorCode.NONE) {
      return failed(t.name, result.errorCode, result.errorMessage ?? "The topic could not be created");
    }
    return created(result.topic);
  }

  return defineHandler({
    apiKey: ApiKey.CreateTopics,
    minVersion: 0,
    maxVersion: 7,
    async handle(request, ctx): Promise<CreateTopicsResponse> {
      const validateOnly = ctx.apiVersion >= 1 && request.validateOnly === true;
      const repeated = duplicates(request.topics, (t) => t.name);
      const answered = new Set<string>();
      const pending: Promise<CreateTopicsResponseCreatableTopicResult>[] = [];
      for (const t of request.topics) {
        if (answered.has(t.name)) continue;
        answered.add(t.name);
        pending.push(repeated.has(t.name) ? Promise.resolve(failed(t.name, ErrorCode.INVALID_REQUEST, "Duplicate topic name.")) : createOne(t, validateOnly));
      }
      return { throttleTimeMs: 0, topics: await Promise.all(pending) };
    },
  });
}
