import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ApiKey, ConsumerProtocolAssignment, ConsumerProtocolSubscription, ErrorCode } from "@kafscale/protocol";
import { expect } from "vitest";
import { Broker, type BrokerConfig } from "../../src/broker.js";
import { silentLogger } from "../../src/logger.js";
import { WireClient } from "./wire-client.js";
import { testBrokerConfig } from "./wire-broker.js";

/** A broker on a free local port, memory storage and metadata unless told otherwise, no initial rebalance delay. */
export function startGroupBroker(over: Partial<BrokerConfig> = {}): Promise<Broker> {
  return Broker.start(testBrokerConfig({ groupInitialRebalanceDelayMs: 0, defaultPartitions: 2, ...over }), silentLogger);
}

/** Storage and metadata directories under a new temp dir, as file:// URLs, and a way to remove them. */
export async function groupTempDirs(): Promise<{ storageUrl: string; metadataUrl: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "kafscale-groups-"));
  return {
    storageUrl: pathToFileURL(join(dir, "objects")).href,
    metadataUrl: pathToFileURL(join(dir, "metadata")).href,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Creates topics through Metadata v1 (auto-creation), as a client's first lookup does. */
export async function createTopics(client: WireClient, ...names: string[]): Promise<void> {
  const response = await client.request(ApiKey.Metadata, 1, { topics: names.map((name) => ({ name })) });
  expect(response.topics.map((t) => [t.name, t.errorCode])).toEqual(names.map((n) => [n, ErrorCode.NONE]));
}

/** JoinGroup metadata of a consumer: INT16 version, then ConsumerProtocolSubscription. */
export function subscriptionBytes(topics: string[]): Uint8Array {
  return withVersion(1, ConsumerProtocolSubscription.encode({ topics, userData: null, ownedPartitions: [] }, 1));
}

/** SyncGroup assignment of a consumer: INT16 version, then ConsumerProtocolAssignment. */
export function assignmentBytes(partitions: Record<string, number[]>): Uint8Array {
  const assignedPartitions = Object.entries(partitions).map(([topic, ps]) => ({ topic, partitions: ps }));
  return withVersion(1, ConsumerProtocolAssignment.encode({ assignedPartitions, userData: null }, 1));
}

export function decodeAssignment(bytes: Uint8Array): Record<string, number[]> {
  const version = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getInt16(0);
  const decoded = ConsumerProtocolAssignment.decode(bytes.subarray(2), version);
  return Object.fromEntries(decoded.assignedPartitions.map((tp) => [tp.topic, tp.partitions]));
}

function withVersion(version: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(2 + body.length);
  new DataView(out.buffer).setInt16(0, version);
  out.set(body, 2);
  return out;
}
