import { ErrorCode } from "@kafscale/protocol";
import type { OffsetFetchRequest, OffsetFetchResponse } from "@kafscale/protocol";
import type { RequestContext } from "./context.js";
import type { StoredOffset } from "./group-store.js";
import type { CoordinatorRuntime } from "./runtime.js";

interface FetchedPartition {
  partitionIndex: number;
  committedOffset: bigint;
  committedLeaderEpoch: number;
  metadata: string | null;
  errorCode: number;
}

interface FetchedTopic {
  name: string;
  partitions: FetchedPartition[];
}

interface RequestedTopics {
  readonly name: string;
  readonly partitionIndexes: readonly number[];
}

const noCommit = (partitionIndex: number, errorCode: number = ErrorCode.NONE): FetchedPartition => ({
  partitionIndex,
  committedOffset: -1n,
  committedLeaderEpoch: -1,
  metadata: "",
  errorCode,
});

/**
 * OffsetFetch (Kafka's handleFetchOffsets): committed offsets, whatever the group's state, even
 * for groups that do not exist. A partition without a commit is answered offset -1, leader epoch
 * -1, metadata "" and no error, as Kafka does. Null topics (v2+) ask for every committed
 * partition. v8+ ask for several groups at once, each with its own error.
 */
export async function handleOffsetFetch(
  rt: CoordinatorRuntime,
  req: OffsetFetchRequest,
  ctx: RequestContext,
): Promise<OffsetFetchResponse> {
  const v = ctx.apiVersion;
  if (v >= 8) {
    const groups = await Promise.all(
      (req.groups ?? []).map(async (g) => ({ groupId: g.groupId, ...(await fetchGroup(rt, g.groupId, g.topics)) })),
    );
    return { throttleTimeMs: 0, groups };
  }
  const topics = req.topics ?? null;
  const { errorCode, topics: fetched } = await fetchGroup(rt, req.groupId ?? "", topics);
  if (errorCode === ErrorCode.NONE) return { throttleTimeMs: 0, errorCode, topics: fetched };
  if (v >= 2) return { throttleTimeMs: 0, errorCode, topics: [] };
  // v0-1 have no top-level error: each requested partition carries it.
  return {
    throttleTimeMs: 0,
    errorCode,
    topics: (topics ?? []).map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((p) => noCommit(p, errorCode)) })),
  };
}

async function fetchGroup(
  rt: CoordinatorRuntime,
  groupId: string,
  topics: readonly RequestedTopics[] | null,
): Promise<{ errorCode: number; topics: FetchedTopic[] }> {
  const status = rt.statusError(groupId);
  if (status !== ErrorCode.NONE) return { errorCode: status, topics: [] };
  let stored: StoredOffset[];
  try {
    stored = await rt.store.fetchOffsets(groupId, topics === null ? null : [...new Set(topics.map((t) => t.name))]);
  } catch (err) {
    return { errorCode: rt.storeError(err, groupId, "fetchOffsets"), topics: [] };
  }
  const committed = (o: StoredOffset): FetchedPartition => ({
    partitionIndex: o.partition,
    committedOffset: o.offset,
    committedLeaderEpoch: o.leaderEpoch,
    metadata: o.metadata,
    errorCode: ErrorCode.NONE,
  });
  if (topics === null) {
    const byTopic = new Map<string, FetchedPartition[]>();
    const sorted = [...stored].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
    for (const o of sorted) {
      const partitions = byTopic.get(o.topic) ?? [];
      partitions.push(committed(o));
      byTopic.set(o.topic, partitions);
    }
    return { errorCode: ErrorCode.NONE, topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })) };
  }
  const index = new Map(stored.map((o) => [`${o.topic}\u0000${o.partition}`, o]));
  return {
    errorCode: ErrorCode.NONE,
    topics: topics.map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((p) => {
        const o = index.get(`${t.name}\u0000${p}`);
        return o === undefined ? noCommit(p) : committed(o);
      }),
    })),
  };
}
