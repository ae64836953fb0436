import { ApiKey, ErrorCode, ZERO_UUID, type DeleteTopicsResponse, type DeleteTopicsResponseDeletableTopicResult } from "@kafscale/protocol";
import type { BrokerServices } from "../services.js";
import { defineHandler } from "./handler.js";

/** A topic a DeleteTopics request names: by name (v0-6) or by id (v6). */
interface TopicRef {
  name: string | null;
  topicId: string;
}

/**
 * DeleteTopics v0-6: by name, or in v6 by name or topic id (not both). As in Kafka's
 * `ControllerApis.deleteTopics`: a name or id given twice is refused once with INVALID_REQUEST,
 * unknown names answer UNKNOWN_TOPIC_OR_PARTITION and unknown ids UNKNOWN_TOPIC_ID; answers
 * carry both the name and the id. The topic is gone when the answer is sent.
 */
export function deleteTopicsHandler(services: BrokerServices) {
  const { topics } = services;

  return defineHandler({
    apiKey: ApiKey.DeleteTopics,
    minVersion: 0,
    maxVersion: 6,
    async handle(request, ctx): Promise<DeleteTopicsResponse> {
      const refs: TopicRef[] =
        ctx.apiVersion >= 6 ? (request.topics ?? []) : (request.topicNames ?? []).map((name) => ({ name, topicId: ZERO_UUID }));
      const keyOf = (r: TopicRef) => (r.name !== null ? `name:${r.name}` : `id:${r.topicId}`);
      const counts = new Map<string, number>();
      for (const r of refs) counts.set(keyOf(r), (counts.get(keyOf(r)) ?? 0) + 1);

      const answered = new Set<string>();
      const responses: DeleteTopicsResponseDeletableTopicResult[] = [];
      const answer = (name: string | null, topicId: string, errorCode: number, errorMessage: string | null) =>
        responses.push({ name, topicId, errorCode, errorMessage });
      for (const r of refs) {
        const key = keyOf(r);
        if (answered.has(key)) continue;
        answered.add(key);
        if (r.name === null && r.topicId === ZERO_UUID) {
          answer(null, ZERO_UUID, ErrorCode.INVALID_REQUEST, "Neither topic name nor id were specified.");
        } else if (r.name !== null && r.topicId !== ZERO_UUID) {
          answer(r.name, r.topicId, ErrorCode.INVALID_REQUEST, "You may not specify both topic name and topic id.");
        } else if ((counts.get(key) ?? 0) > 1) {
          answer(r.name, r.topicId, ErrorCode.INVALID_REQUEST, r.name !== null ? "Duplicate topic name." : "Duplicate topic id.");
        } else {
          const info = r.name !== null ? topics.get(r.name) : topics.getById(r.topicId);
          if (info === undefined) {
            if (r.name !== null) answer(r.name, ZERO_UUID, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "This server does not host this topic-partition.");
            else answer(null, r.topicId, ErrorCode.UNKNOWN_TOPIC_ID, "This server does not host this topic ID.");
            continue;
          }
          const result = await topics.delete(info.name);
          answer(info.name, info.topicId, result.errorCode, result.errorMessage);
        }
      }
      return { throttleTimeMs: 0, responses };
    },
  });
}
