import { ApiKey, ErrorCode, type ListOffsetsResponse, type ListOffsetsResponseListOffsetsPartitionResponse } from "@kafscale/protocol";
import { kafkaErrorCodeFor, type PartitionLog } from "@kafscale/storage";
import type { BrokerServices } from "../services.js";
import { defineHandler } from "./handler.js";

/** Kafka's special ListOffsets timestamps. */
const LATEST = -1n;
const EARLIEST = -2n;
const MAX_TIMESTAMP = -3n;
const EARLIEST_LOCAL = -4n;
const LATEST_TIERED = -5n;

/**
 * ListOffsets v0-9: earliest (-2), latest (-1), max timestamp (-3), earliest local (-4, the log
 * start: everything is in object storage), latest tiered (-5, the high watermark), and the
 * first offset whose timestamp is at or after a given time (-1/-1 when there is none).
 */
export function listOffsetsHandler(services: BrokerServices) {
  const { topics } = services;

  async function lookup(log: PartitionLog, timestamp: bigint): Promise<{ offset: bigint; timestamp: bigint }> {
    switch (timestamp) {
      case LATEST:
      case LATEST_TIERED:
        return { offset: log.highWatermark, timestamp: -1n };
      case EARLIEST:
      case EARLIEST_LOCAL:
        return { offset: log.logStartOffset, timestamp: -1n };
      case MAX_TIMESTAMP: {
        const found = await log.maxTimestampOffset();
        return found === null ? { offset: -1n, timestamp: -1n } : { offset: found.offset, timestamp: found.timestamp };
      }
      default: {
        const found = await log.offsetForTimestamp(timestamp);
        return found === null ? { offset: -1n, timestamp: -1n } : { offset: found.offset, timestamp: found.timestamp };
      }
    }
  }

  return defineHandler({
    apiKey: ApiKey.ListOffsets,
    minVersion: 0,
    maxVersion: 9,
    async handle(request, ctx): Promise<ListOffsetsResponse> {
      const results = await Promise.all(
        request.topics.map(async (t) => ({
          name: t.name,
          partitions: await Promise.all(
            t.partitions.map(async (p): Promise<ListOffsetsResponseListOffsetsPartitionResponse> => {
              const log = topics.get(t.name) === undefined ? undefined : topics.log(t.name, p.partitionIndex);
              const base = { partitionIndex: p.partitionIndex, leaderEpoch: topics.leaderEpoch(t.name, p.partitionIndex) };
              if (log === undefined) return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, oldStyleOffsets: [], timestamp: -1n, offset: -1n };
              if (p.timestamp === MAX_TIMESTAMP && ctx.apiVersion < 7) return { ...base, errorCode: ErrorCode.UNSUPPORTED_VERSION, oldStyleOffsets: [], timestamp: -1n, offset: -1n };
              try {
                const found = await lookup(log, p.timestamp);
                return { ...base, errorCode: ErrorCode.NONE, oldStyleOffsets: found.offset < 0n ? [] : [found.offset], timestamp: found.timestamp, offset: found.offset };
              } catch (err) {
                return { ...base, errorCode: kafkaErrorCodeFor(err), oldStyleOffsets: [], timestamp: -1n, offset: -1n };
              }
            }),
          ),
        })),
      );
      return { throttleTimeMs: 0, topics: results };
    },
  });
}
