import { ApiKey, ErrorCode, type FetchRequestFetchTopic, type FetchResponse, type FetchResponsePartitionData } from "@kafscale/protocol";
import { kafkaErrorCodeFor, type PartitionLog } from "@kafscale/storage";
import type { BrokerServices } from "../services.js";
import type { TopicManager } from "../topics/topic-manager.js";
import { defineHandler } from "./handler.js";
import { joinViews } from "./join-views.js";

const EMPTY_RECORDS = new Uint8Array(0);

interface PlannedPartition {
  index: number;
  log: PartitionLog | undefined;
  errorCode: number;
  fetchOffset: bigint;
  maxBytes: number;
}

interface PlannedTopic {
  request: FetchRequestFetchTopic;
  name: string | undefined;
  partitions: PlannedPartition[];
}

/**
 * Fetch v4-17. Long-polls up to MaxWaitMs until MinBytes are there; honours the request's and
 * each partition's byte limits but always returns at least one whole batch (the first
 * partition with data), and a fetch that starts inside a batch gets that whole batch.
 * Consumers see data up to the high watermark: what is durable. No fetch sessions are
 * created (session id 0: every fetch is a full fetch, which every client accepts).
 */
export function fetchHandler(services: BrokerServices) {
  const { topics, settings } = services;

  return defineHandler({
    apiKey: ApiKey.Fetch,
    minVersion: 4,
    maxVersion: 17,
    async handle(request, ctx): Promise<FetchResponse> {
      if ((request.sessionId ?? 0) !== 0) {
        return { throttleTimeMs: 0, errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND, sessionId: 0, responses: [] };
      }
      const byId = ctx.apiVersion >= 13;
      const plan = request.topics.map((t) => planTopic(topics, t, byId));
      const deadline = Date.now() + Math.min(Math.max(request.maxWaitMs, 0), settings.maxFetchWaitMs);
      const maxBytes = request.maxBytes ?? 0x7fffffff;
      for (;;) {
        const { responses, bytes, errors } = await readAll(plan, maxBytes, byId);
        const remaining = deadline - Date.now();
        if (bytes >= request.minBytes || bytes > 0 && request.minBytes <= 0 || errors || remaining <= 0) {
          return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, sessionId: 0, responses };
        }
        await waitForAny(plan, remaining);
      }
    },
  });
}

function planTopic(topics: TopicManager, t: FetchRequestFetchTopic, byId: boolean): PlannedTopic {
  const info = byId ? (t.topicId === undefined ? undefined : topics.getById(t.topicId)) : t.topic === undefined ? undefined : topics.get(t.topic);
  const unknown = byId ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
  return {
    request: t,
    name: info?.name,
    partitions: t.partitions.map((p) => {
      const log = info === undefined ? undefined : topics.log(info.name, p.partition);
      return {
        index: p.partition,
        log,
        errorCode: info === undefined ? unknown : log === undefined ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.NONE,
        fetchOffset: p.fetchOffset,
        maxBytes: p.partitionMaxBytes,
      };
    }),
  };
}

/**
 * Loads what the partitions' reads will need from the object store in parallel (segments not in
 * the cache), so that a fetch of many partitions costs about one object-store round trip; the
 * reads below then run in request order against the cache, sharing the response's byte budget.
 */
async function prefetchAll(plan: PlannedTopic[], maxBytes: number): Promise<void> {
  const loads: Promise<void>[] = [];
  // The response's budget bounds what is loaded, as it bounds what is read.
  let budget = maxBytes;
  for (const t of plan) {
    for (const p of t.partitions) {
      if (p.log === undefined || p.errorCode !== ErrorCode.NONE || p.fetchOffset >= p.log.highWatermark) continue;
      const limit = Math.max(1, Math.min(p.maxBytes, budget));
      loads.push(p.log.prefetch(p.fetchOffset, limit));
      budget -= limit;
      if (budget <= 0) break;
    }
    if (budget <= 0) break;
  }
  await Promise.all(loads);
}

async function readAll(plan: PlannedTopic[], maxBytes: number, byId: boolean): Promise<{ responses: FetchResponse["responses"]; bytes: number; errors: boolean }> {
  await prefetchAll(plan, maxBytes);
  let budget = maxBytes;
  let bytes = 0;
  let errors = false;
  const responses: FetchResponse["responses"] = [];
  for (const t of plan) {
    const partitions: FetchResponsePartitionData[] = [];
    for (const p of t.partitions) {
      const data = partitionData(p);
      if (p.log !== undefined && p.errorCode === ErrorCode.NONE) {
        const log = p.log;
        if (p.fetchOffset < log.logStartOffset || p.fetchOffset > log.logEndOffset) {
          data.errorCode = ErrorCode.OFFSET_OUT_OF_RANGE;
        } else if (p.fetchOffset < log.highWatermark && (budget > 0 || bytes === 0)) {
          try {
            // The first batch of the response is always whole, whatever the limits say.
            const limit = bytes === 0 ? Math.max(1, Math.min(p.maxBytes, budget)) : Math.min(p.maxBytes, budget);
            const batches = await log.read(p.fetchOffset, limit);
            const records = joinViews(batches);
            data.records = records;
            bytes += records.length;
            budget -= records.length;
          } catch (err) {
            data.errorCode = kafkaErrorCodeFor(err);
          }
        }
        data.highWatermark = log.highWatermark;
        data.lastStableOffset = log.highWatermark;
        data.logStartOffset = log.logStartOffset;
      }
      if (data.errorCode !== ErrorCode.NONE) errors = true;
      partitions.push(data);
    }
    responses.push(byId ? { topicId: t.request.topicId ?? "", partitions } : { topic: t.request.topic ?? "", partitions });
  }
  return { responses, bytes, errors };
}

function partitionData(p: PlannedPartition): FetchResponsePartitionData {
  return {
    partitionIndex: p.index,
    errorCode: p.errorCode,
    highWatermark: -1n,
    lastStableOffset: -1n,
    logStartOffset: -1n,
    abortedTransactions: null,
    preferredReadReplica: -1,
    // Kafka sends an empty records field, never null: librdkafka refuses a null one.
    records: EMPTY_RECORDS,
  };
}

/** Waits until any fetched partition has data past its fetch offset, or `ms` pass. */
async function waitForAny(plan: PlannedTopic[], ms: number): Promise<void> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const waits = plan.flatMap((t) => t.partitions.filter((p) => p.log !== undefined).map((p) => p.log!.waitForData(p.fetchOffset, abort.signal)));
  waits.push(
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  );
  try {
    await Promise.race(waits);
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}
