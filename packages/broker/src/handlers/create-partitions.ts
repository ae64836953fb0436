import { ApiKey, ErrorCode, type CreatePartitionsRequestCreatePartitionsTopic, type CreatePartitionsResponse, type CreatePartitionsResponseCreatePartitionsTopicResult } from "@kafscale/protocol";
import type { BrokerServices } from "../services.js";
import { duplicates } from "./configs/config-resources.js";
import { newPartitionsProblem, replicaListProblem } from "./configs/partition-layout.js";
import { defineHandler } from "./handler.js";

/**
 * CreatePartitions v0-3: grows a topic to `count` partitions, with the checks and messages of
 * Kafka's `ReplicationControlManager.createPartitions` (INVALID_PARTITIONS when the count
 * does not grow, INVALID_REPLICA_ASSIGNMENT when a manual assignment does not give exactly
 * the new partitions each on this broker alone, POLICY_VIOLATION for more than 10,000 at once).
 * An empty assignment list, which some clients send for "no manual assignment", counts as
 * none. validateOnly checks and changes nothing.
 */
export function createPartitionsHandler(services: BrokerServices) {
  const { topics, node } = services;

  async function grow(t: CreatePartitionsRequestCreatePartitionsTopic, validateOnly: boolean): Promise<CreatePartitionsResponseCreatePartitionsTopicResult> {
    const answer = (errorCode: number, errorMessage: string | null) => ({ name: t.name, errorCode, errorMessage });
    const topic = topics.get(t.name);
    if (topic === undefined) return answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "This server does not host this topic-partition.");
    const current = topic.partitionCount;
    if (t.count === current) return answer(ErrorCode.INVALID_PARTITIONS, `Topic already has ${current} partition(s).`);
    if (t.count < current) return answer(ErrorCode.INVALID_PARTITIONS, `The topic ${t.name} currently has ${current} partition(s); ${t.count} would not be an increase.`);
    const additional = t.count - current;
    const tooMany = newPartitionsProblem(additional);
    if (tooMany !== null) return answer(ErrorCode.POLICY_VIOLATION, tooMany);
    if (t.assignments !== null && t.assignments.length > 0) {
      if (t.assignments.length !== additional) {
        return answer(
          ErrorCode.INVALID_REPLICA_ASSIGNMENT,
          `Attempted to add ${additional} additional partition(s), but only ${t.assignments.length} assignment(s) were specified.`,
        );
      }
      for (const a of t.assignments) {
        const problem = replicaListProblem(a.brokerIds, node.nodeId);
        if (problem !== null) return answer(ErrorCode.INVALID_REPLICA_ASSIGNMENT, problem);
      }
    }
    const result = await topics.addPartitions(t.name, t.count, validateOnly);
    return answer(result.errorCode, result.errorMessage);
  }

  return defineHandler({
    apiKey: ApiKey.CreatePartitions,
    minVersion: 0,
    maxVersion: 3,
    async handle(request): Promise<CreatePartitionsResponse> {
      const repeated = duplicates(request.topics, (t) => t.name);
      const answered = new Set<string>();
      const results: CreatePartitionsResponseCreatePartitionsTopicResult[] = [];
      for (const t of request.topics) {
        if (answered.has(t.name)) continue;
        answered.add(t.name);
        results.push(
          repeated.has(t.name) ? { name: t.name, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: "Duplicate topic name." } : await grow(t, request.validateOnly),
        );
      }
      return { throttleTimeMs: 0, results };
    },
  });
}
