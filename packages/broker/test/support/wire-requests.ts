import {
  ZERO_UUID,
  type ApiVersionsRequest,
  type FetchRequest,
  type ListOffsetsRequest,
  type MetadataRequest,
  type OffsetForLeaderEpochRequest,
  type ProduceRequest,
} from "@kafscale/protocol";
import { encodeBatch } from "@kafscale/protocol/records";

/** Request bodies for wire tests, valid at every version of their API the broker serves. */

export const apiVersionsBody = (): ApiVersionsRequest => ({ clientSoftwareName: "wire-test", clientSoftwareVersion: "1.0" });

export const metadataBody = (topics: readonly string[]): MetadataRequest => ({
  topics: topics.map((name) => ({ topicId: ZERO_UUID, name })),
  allowAutoTopicCreation: true,
  includeClusterAuthorizedOperations: false,
  includeTopicAuthorizedOperations: false,
});

/** A RecordBatch v2 of `count` records whose values are `${prefix}-<i>`, padded to `valueBytes` when given. */
export function recordBatch(prefix: string, count = 1, valueBytes = 0): Uint8Array {
  const values = Array.from({ length: count }, (_, i) => Buffer.from(`${prefix}-${i}`.padEnd(valueBytes, ".")));
  return encodeBatch({ baseOffset: 0n, baseTimestamp: BigInt(Date.now()), records: values.map((value) => ({ value })) });
}

export const produceBody = (topic: string, acks: number, records: Uint8Array, timeoutMs = 30_000): ProduceRequest => ({
  transactionalId: null,
  acks,
  timeoutMs,
  topicData: [{ name: topic, partitionData: [{ index: 0, records }] }],
});

/** Timestamp -1 asks for the latest offset (the high watermark), -2 for the earliest. */
export const listOffsetsBody = (topic: string, timestamp = -1n): ListOffsetsRequest => ({
  replicaId: -1,
  isolationLevel: 0,
  topics: [{ name: topic, partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp, maxNumOffsets: 1 }] }],
});

/** A Fetch by topic name (v4-12) of partition 0 from `offset`, of up to `maxBytes` (1 MiB by default). */
export const fetchBody = (topic: string, offset: bigint, maxWaitMs = 0, minBytes = 1, maxBytes = 1 << 20): FetchRequest => ({
  clusterId: null,
  replicaId: -1,
  maxWaitMs,
  minBytes,
  maxBytes,
  isolationLevel: 0,
  sessionId: 0,
  sessionEpoch: -1,
  topics: [{ topic, partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: offset, lastFetchedEpoch: -1, logStartOffset: -1n, partitionMaxBytes: maxBytes }] }],
  forgottenTopicsData: [],
  rackId: "",
});

export const offsetForLeaderEpochBody = (topic: string): OffsetForLeaderEpochRequest => ({
  replicaId: -1,
  topics: [{ topic, partitions: [{ partition: 0, currentLeaderEpoch: -1, leaderEpoch: 0 }] }],
});
