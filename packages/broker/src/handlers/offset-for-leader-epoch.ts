import { ApiKey, ErrorCode, type OffsetForLeaderEpochResponse } from "@kafscale/protocol";
import type { BrokerServices } from "../services.js";
import { defineHandler } from "./handler.js";

/**
 * OffsetForLeaderEpoch v0-4, as consumers use it to detect log truncation after a leader
 * change. A partition has one leader epoch at a time and its log is never truncated, so the
 * end offset of the current (or any earlier) epoch is the high watermark; a newer epoch than
 * the broker knows is FENCED_LEADER_EPOCH's opposite, UNKNOWN_LEADER_EPOCH.
 */
export function offsetForLeaderEpochHandler(services: BrokerServices) {
  const { topics } = services;
  return defineHandler({
    apiKey: ApiKey.OffsetForLeaderEpoch,
    minVersion: 0,
    maxVersion: 4,
    handle(request): OffsetForLeaderEpochResponse {
      return {
        throttleTimeMs: 0,
        topics: request.topics.map((t) => ({
          topic: t.topic,
          partitions: t.partitions.map((p) => {
            const log = topics.log(t.topic, p.partition);
            const epoch = topics.leaderEpoch(t.topic, p.partition);
            if (log === undefined) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, partition: p.partition, leaderEpoch: -1, endOffset: -1n };
            if (p.currentLeaderEpoch !== undefined && p.currentLeaderEpoch > epoch) {
              return { errorCode: ErrorCode.UNKNOWN_LEADER_EPOCH, partition: p.partition, leaderEpoch: -1, endOffset: -1n };
            }
            if (p.leaderEpoch > epoch) return { errorCode: ErrorCode.NONE, partition: p.partition, leaderEpoch: -1, endOffset: -1n };
            return { errorCode: ErrorCode.NONE, partition: p.partition, leaderEpoch: epoch, endOffset: log.highWatermark };
          }),
        })),
      };
    },
  });
}
