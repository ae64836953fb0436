import { ErrorCode } from "@kafscale/protocol";
import type { CoordinatorRuntime } from "./runtime.js";

/** A request's topics and their partition indexes, as OffsetCommit and OffsetDelete carry them. */
export interface RequestedTopic {
  readonly name: string;
  readonly partitions: readonly { readonly partitionIndex: number }[];
}

/**
 * One error code per requested partition, [topic][partition]: UNKNOWN_TOPIC_OR_PARTITION where
 * the `partitionExists` option says the partition does not exist, NONE elsewhere.
 */
export async function partitionCodes(rt: CoordinatorRuntime, topics: readonly RequestedTopic[]): Promise<number[][]> {
  const exists = rt.config.partitionExists;
  return Promise.all(
    topics.map((t) =>
      Promise.all(
        t.partitions.map(async (p) =>
          exists === undefined || (await exists(t.name, p.partitionIndex))
            ? ErrorCode.NONE
            : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        ),
      ),
    ),
  );
}
