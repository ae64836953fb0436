import { ErrorCode } from "@kafscale/protocol";
import type { OffsetDeleteRequest, OffsetDeleteResponse } from "@kafscale/protocol";
import type { RequestContext } from "./context.js";
import type { TopicPartition } from "./group-store.js";
import { partitionCodes } from "./partition-check.js";
import type { CoordinatorRuntime } from "./runtime.js";
import { CONSUMER_PROTOCOL_TYPE } from "./subscriptions.js";

/**
 * OffsetDelete (Kafka's handleDeleteOffsets). An empty group may lose any offsets; in a consumer
 * group with members, offsets of topics a member subscribes to (read from the members'
 * ConsumerProtocolSubscription) are refused with GROUP_SUBSCRIBED_TO_TOPIC and the others are
 * deleted; a non-consumer group with members answers NON_EMPTY_GROUP. GROUP_ID_NOT_FOUND when
 * the group does not exist.
 */
export async function handleOffsetDelete(
  rt: CoordinatorRuntime,
  req: OffsetDeleteRequest,
  _ctx: RequestContext,
): Promise<OffsetDeleteResponse> {
  const groupError = (errorCode: number): OffsetDeleteResponse => ({ errorCode, throttleTimeMs: 0, topics: [] });
  if (req.groupId === "") return groupError(ErrorCode.INVALID_GROUP_ID);
  const codes = await partitionCodes(rt, req.topics);
  const status = rt.statusError(req.groupId);
  if (status !== ErrorCode.NONE) return groupError(status);
  const group = rt.groups.get(req.groupId);
  if (group === undefined || group.is("Dead")) return groupError(ErrorCode.GROUP_ID_NOT_FOUND);
  if (!group.is("Empty") && group.protocolType !== CONSUMER_PROTOCOL_TYPE) return groupError(ErrorCode.NON_EMPTY_GROUP);

  const eligible: TopicPartition[] = [];
  const eligibleAt: [number, number][] = [];
  req.topics.forEach((t, i) =>
    t.partitions.forEach((p, j) => {
      const row = codes[i];
      if (row === undefined || row[j] !== ErrorCode.NONE) return;
      if (!group.is("Empty") && group.isSubscribedToTopic(t.name)) {
        row[j] = ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC;
        return;
      }
      eligible.push({ topic: t.name, partition: p.partitionIndex });
      eligibleAt.push([i, j]);
    }),
  );
  if (eligible.length > 0) {
    try {
      await rt.enqueue(group, () => rt.store.deleteOffsets(group.groupId, eligible));
    } catch (err) {
      const code = rt.storeError(err, group.groupId, "deleteOffsets");
      for (const [i, j] of eligibleAt) {
        const row = codes[i];
        if (row !== undefined) row[j] = code;
      }
    }
  }
  return {
    errorCode: ErrorCode.NONE,
    throttleTimeMs: 0,
    topics: req.topics.map((t, i) => ({
      name: t.name,
      partitions: t.partitions.map((p, j) => ({ partitionIndex: p.partitionIndex, errorCode: codes[i]?.[j] ?? ErrorCode.NONE })),
    })),
  };
}
