import { ApiKey, ErrorCode, ZERO_UUID, type MetadataResponse, type MetadataResponseTopic } from "@kafscale/protocol";
import type { BrokerServices } from "../services.js";
import type { TopicInfo } from "../topics/topic-manager.js";
import { defineHandler } from "./handler.js";

/** Kafka's "authorized operations not requested" value. */
const NO_OPERATIONS = -2147483648;

/**
 * Metadata v0-12: this broker, and the topics asked for (all of them for a null list, or an
 * empty list before v1). Unknown topics are created when auto-creation is on and the client
 * allows it (v4+ field; always allowed before v4), as Kafka's auto.create.topics.enable does.
 */
export function metadataHandler(services: BrokerServices) {
  const { topics, node, settings } = services;

  const describe = (t: TopicInfo): MetadataResponseTopic => ({
    errorCode: ErrorCode.NONE,
    name: t.name,
    topicId: t.topicId,
    isInternal: false,
    partitions: Array.from({ length: t.partitionCount }, (_, p) => ({
      errorCode: ErrorCode.NONE,
      partitionIndex: p,
      leaderId: node.nodeId,
      leaderEpoch: topics.leaderEpoch(t.name, p),
      replicaNodes: [node.nodeId],
      isrNodes: [node.nodeId],
      offlineReplicas: [],
    })),
    topicAuthorizedOperations: NO_OPERATIONS,
  });

  // The topic name is nullable only from v12: before that, a topic asked for by id and not found is "".
  const missing = (name: string | null, errorCode: number, topicId = ZERO_UUID): MetadataResponseTopic => ({
    errorCode,
    name,
    topicId,
    isInternal: false,
    partitions: [],
    topicAuthorizedOperations: NO_OPERATIONS,
  });

  return defineHandler({
    apiKey: ApiKey.Metadata,
    minVersion: 0,
    maxVersion: 12,
    async handle(request, ctx): Promise<MetadataResponse> {
      const allowAutoCreate = ctx.apiVersion < 4 || request.allowAutoTopicCreation !== false;
      const all = request.topics === null || (ctx.apiVersion === 0 && request.topics.length === 0);
      const answered: MetadataResponseTopic[] = all
        ? topics.list().map(describe)
        : await Promise.all(
            request.topics!.map(async (t) => {
              if (t.name === null || t.name === undefined) {
                const byId = t.topicId === undefined ? undefined : topics.getById(t.topicId);
                return byId === undefined ? missing(ctx.apiVersion >= 12 ? null : "", ErrorCode.UNKNOWN_TOPIC_ID, t.topicId) : describe(byId);
              }
              const result = await topics.getOrCreate(t.name, allowAutoCreate);
              return result.topic === undefined ? missing(t.name, result.errorCode) : describe(result.topic);
            }),
          );
      return {
        throttleTimeMs: 0,
        brokers: [{ nodeId: node.nodeId, host: node.host, port: node.port, rack: node.rack }],
        clusterId: settings.clusterId,
        controllerId: node.nodeId,
        topics: answered,
        clusterAuthorizedOperations: NO_OPERATIONS,
      };
    },
  });
}
