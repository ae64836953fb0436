import { ApiKey, ErrorCode, type DeleteRecordsResponse, type DeleteRecordsResponseDeleteRecordsPartitionResult } from "@kafscale/protocol";
import { kafkaErrorCodeFor } from "@kafscale/storage";
import type { BrokerServices } from "../services.js";
import { defineHandler } from "./handler.js";

/**
 * DeleteRecords v0-2: moves each partition's log start offset up to the offset given (-1: the
 * high watermark) and deletes the segments wholly below it. Offsets below the log start are a
 * no-op; above the high watermark (or negative) OFFSET_OUT_OF_RANGE. The answer's low
 * watermark is the partition's log start offset afterwards.
 */
export function deleteRecordsHandler(services: BrokerServices) {
  const { topics } = services;

  return defineHandler({
    apiKey: ApiKey.DeleteRecords,
    minVersion: 0,
    maxVersion: 2,
    async handle(request, ctx): Promise<DeleteRecordsResponse> {
      const results = await Promise.all(
        request.topics.map(async (t) => ({
          name: t.name,
          partitions: await Promise.all(
            t.partitions.map(async (p): Promise<DeleteRecordsResponseDeleteRecordsPartitionResult> => {
              const log = topics.get(t.name) === undefined ? undefined : topics.log(t.name, p.partitionIndex);
              if (log === undefined) return { partitionIndex: p.partitionIndex, lowWatermark: -1n, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
              try {
                const truncated = await log.deleteRecordsBefore(p.offset);
                return { partitionIndex: p.partitionIndex, lowWatermark: truncated.logStartOffset, errorCode: ErrorCode.NONE };
              } catch (err) {
                const errorCode = kafkaErrorCodeFor(err);
                if (errorCode !== ErrorCode.OFFSET_OUT_OF_RANGE) ctx.log.warn({ err, topic: t.name, partition: p.partitionIndex }, "delete records failed");
                return { partitionIndex: p.partitionIndex, lowWatermark: -1n, errorCode };
              }
            }),
          ),
        })),
      );
      return { throttleTimeMs: 0, topics: results };
    },
  });
}
