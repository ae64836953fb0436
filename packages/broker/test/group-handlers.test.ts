/**
 * The consumer-group handlers against a real in-process broker, spoken to over TCP with the
 * codec: FindCoordinator, whole two-member lifecycles at flexible and old versions, offsets
 * across a restart, and the group admin APIs.
 */
import { ApiKey, ErrorCode, type JoinGroupResponse, type SyncGroupResponse } from "@kafscale/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Broker } from "../src/broker.js";
import { allHandlers } from "../src/handlers/all-handlers.js";
import { groupHandlers } from "../src/handlers/group-handlers.js";
import { HandlerRegistry } from "../src/handlers/handler-registry.js";
import { WireClient } from "./support/wire-client.js";
import { assignmentBytes, createTopics, decodeAssignment, groupTempDirs, startGroupBroker, subscriptionBytes } from "./support/group-broker.js";

/** Kafka's "authorized operations not requested" value. */
const NOT_REQUESTED = -2147483648;
/** READ, DELETE and DESCRIBE: every group operation, as Kafka without an authorizer answers. */
const ALL_GROUP_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8);
const SESSION_MS = 10_000;

interface Versions {
  join: number;
  sync: number;
  heartbeat: number;
  leave: number;
  commit: number;
  fetch: number;
  describe: number;
}

const FLEXIBLE: Versions = { join: 9, sync: 5, heartbeat: 4, leave: 5, commit: 9, fetch: 9, describe: 5 };
const OLD: Versions = { join: 2, sync: 1, heartbeat: 1, leave: 1, commit: 2, fetch: 1, describe: 0 };

/** [topic, partition, offset, metadata, errorCode] rows of an OffsetFetch answer. */
type OffsetRow = [string, number, number, string | null, number];

function joinGroup(client: WireClient, v: number, groupId: string, topic: string, memberId: string): Promise<JoinGroupResponse> {
  return client.request(ApiKey.JoinGroup, v, {
    groupId,
    sessionTimeoutMs: SESSION_MS,
    rebalanceTimeoutMs: SESSION_MS,
    memberId,
    groupInstanceId: null,
    protocolType: "consumer",
    protocols: [{ name: "range", metadata: subscriptionBytes([topic]) }],
    reason: null,
  });
}

/** A new member's join: from v4 the first JoinGroup is answered MEMBER_ID_REQUIRED with the id to join with. */
async function joinAsNew(client: WireClient, v: number, groupId: string, topic: string): Promise<JoinGroupResponse> {
  if (v < 4) return joinGroup(client, v, groupId, topic, "");
  const first = await joinGroup(client, v, groupId, topic, "");
  expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
  expect(first.memberId.startsWith(`${client.clientId}-`)).toBe(true);
  return joinGroup(client, v, groupId, topic, first.memberId);
}

function syncGroup(
  client: WireClient,
  v: number,
  groupId: string,
  join: JoinGroupResponse,
  assignments: Record<string, Record<string, number[]>> = {},
): Promise<SyncGroupResponse> {
  return client.request(ApiKey.SyncGroup, v, {
    groupId,
    generationId: join.generationId,
    memberId: join.memberId,
    groupInstanceId: null,
    protocolType: "consumer",
    protocolName: "range",
    assignments: Object.entries(assignments).map(([memberId, partitions]) => ({ memberId, assignment: assignmentBytes(partitions) })),
  });
}

async function heartbeat(client: WireClient, v: number, groupId: string, generationId: number, memberId: string): Promise<number> {
  const response = await client.request(ApiKey.Heartbeat, v, { groupId, generationId, memberId, groupInstanceId: null });
  return response.errorCode;
}

/** Heartbeats until the answer is `errorCode` (another connection's request may not have arrived yet). */
async function heartbeatUntil(client: WireClient, v: number, groupId: string, join: JoinGroupResponse, errorCode: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if ((await heartbeat(client, v, groupId, join.generationId, join.memberId)) === errorCode) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`heartbeat never answered ${errorCode}`);
}

async function commit(
  client: WireClient,
  v: number,
  groupId: string,
  member: { generationId: number; memberId: string },
  offsets: [string, number, bigint, string][],
): Promise<[string, number, number][]> {
  const byTopic = new Map<string, [number, bigint, string][]>();
  for (const [topic, p, offset, metadata] of offsets) byTopic.set(topic, [...(byTopic.get(topic) ?? []), [p, offset, metadata]]);
  const response = await client.request(ApiKey.OffsetCommit, v, {
    groupId,
    generationIdOrMemberEpoch: member.generationId,
    memberId: member.memberId,
    groupInstanceId: null,
    retentionTimeMs: -1n,
    topics: [...byTopic].map(([name, partitions]) => ({
      name,
      partitions: partitions.map(([partitionIndex, committedOffset, committedMetadata]) => ({
        partitionIndex,
        committedOffset,
        committedLeaderEpoch: -1,
        commitTimestamp: -1n,
        committedMetadata,
      })),
    })),
  });
  expect(response.throttleTimeMs ?? 0).toBe(0);
  return response.topics.flatMap((t) => t.partitions.map((p): [string, number, number] => [t.name, p.partitionIndex, p.errorCode]));
}

/** A commit without group management (generation -1, no member), as `assign()` consumers and tools send. */
function simpleCommit(client: WireClient, groupId: string, offsets: [string, number, bigint, string][]): Promise<[string, number, number][]> {
  return commit(client, 8, groupId, { generationId: -1, memberId: "" }, offsets);
}

/** OffsetFetch of one group in the single-group (v0-7) or batched (v8+) form; the group error and the rows. */
async function fetchOffsets(
  client: WireClient,
  v: number,
  groupId: string,
  topics: Record<string, number[]> | null,
): Promise<{ errorCode: number; rows: OffsetRow[] }> {
  const requested = topics === null ? null : Object.entries(topics).map(([name, partitionIndexes]) => ({ name, partitionIndexes }));
  if (v >= 8) {
    const response = await client.request(ApiKey.OffsetFetch, v, {
      groups: [{ groupId, memberId: null, memberEpoch: -1, topics: requested }],
      requireStable: false,
    });
    expect(response.throttleTimeMs).toBe(0);
    expect(response.groups?.length).toBe(1);
    const group = response.groups![0]!;
    expect(group.groupId).toBe(groupId);
    const rows = group.topics.flatMap((t) =>
      t.partitions.map((p): OffsetRow => [t.name, p.partitionIndex, Number(p.committedOffset), p.metadata, p.errorCode]),
    );
    return { errorCode: group.errorCode, rows };
  }
  const response = await client.request(ApiKey.OffsetFetch, v, { groupId, topics: requested, requireStable: false });
  const rows = (response.topics ?? []).flatMap((t) =>
    t.partitions.map((p): OffsetRow => [t.name, p.partitionIndex, Number(p.committedOffset), p.metadata, p.errorCode]),
  );
  return { errorCode: response.errorCode ?? ErrorCode.NONE, rows };
}

async function leaveGroup(client: WireClient, v: number, groupId: string, memberId: string): Promise<number> {
  if (v >= 3) {
    const response = await client.request(ApiKey.LeaveGroup, v, { groupId, members: [{ memberId, groupInstanceId: null, reason: "test done" }] });
    expect(response.members?.map((m) => [m.memberId, m.errorCode])).toEqual([[memberId, ErrorCode.NONE]]);
    return response.errorCode;
  }
  return (await client.request(ApiKey.LeaveGroup, v, { groupId, memberId })).errorCode;
}

async function listGroups(client: WireClient, v: number, filters: { statesFilter?: string[]; typesFilter?: string[] } = {}) {
  const response = await client.request(ApiKey.ListGroups, v, filters);
  expect(response.errorCode).toBe(ErrorCode.NONE);
  return response.groups;
}

describe("group handlers over TCP", () => {
  let broker: Broker;
  let admin: WireClient;
  const clients: WireClient[] = [];

  async function connectClient(clientId: string): Promise<WireClient> {
    const client = await WireClient.connect(broker.port, clientId);
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    broker = await startGroupBroker();
    admin = await connectClient("admin");
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await broker.stop();
  });

  describe("FindCoordinator", () => {
    it.each([0, 1, 2, 3])("v%i answers this broker for a group key", async (v) => {
      const response = await admin.request(ApiKey.FindCoordinator, v, { key: "some-group", keyType: 0 });
      expect(response).toMatchObject({ errorCode: ErrorCode.NONE, nodeId: 0, host: "127.0.0.1", port: broker.port });
      if (v >= 1) expect(response).toMatchObject({ throttleTimeMs: 0, errorMessage: null });
    });

    it("v1-3 answer a transactional id COORDINATOR_NOT_AVAILABLE, saying transactions are not supported", async () => {
      for (const v of [1, 3]) {
        const response = await admin.request(ApiKey.FindCoordinator, v, { key: "tx-1", keyType: 1 });
        expect(response).toMatchObject({ errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, nodeId: -1, host: "", port: -1 });
        expect(response.errorMessage).toMatch(/does not support transactions/);
      }
    });

    it.each([2, 7])("v2 answers key type %i INVALID_REQUEST", async (keyType) => {
      const response = await admin.request(ApiKey.FindCoordinator, 2, { key: "k", keyType });
      expect(response).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST, nodeId: -1, host: "", port: -1 });
      expect(response.errorMessage).toBe(`unknown coordinator key type ${keyType}`);
    });

    it.each([4, 5, 6])("v%i answers every key of the batch", async (v) => {
      const response = await admin.request(ApiKey.FindCoordinator, v, { keyType: 0, coordinatorKeys: ["group-a", "group-b"] });
      expect(response.throttleTimeMs).toBe(0);
      expect(response.coordinators).toEqual(
        ["group-a", "group-b"].map((key) => ({ key, nodeId: 0, host: "127.0.0.1", port: broker.port, errorCode: ErrorCode.NONE, errorMessage: null })),
      );
    });

    it("v4+ answers transactional ids and unknown key types per key, and an empty batch with none", async () => {
      const tx = await admin.request(ApiKey.FindCoordinator, 6, { keyType: 1, coordinatorKeys: ["tx-1"] });
      expect(tx.coordinators).toMatchObject([{ key: "tx-1", errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, nodeId: -1, host: "", port: -1 }]);
      expect(tx.coordinators?.[0]?.errorMessage).toMatch(/does not support transactions/);
      const share = await admin.request(ApiKey.FindCoordinator, 6, { keyType: 2, coordinatorKeys: ["s"] });
      expect(share.coordinators).toMatchObject([{ key: "s", errorCode: ErrorCode.INVALID_REQUEST, nodeId: -1 }]);
      const empty = await admin.request(ApiKey.FindCoordinator, 4, { keyType: 0, coordinatorKeys: [] });
      expect(empty.coordinators).toEqual([]);
    });
  });

  describe("a two-member consumer group", () => {
    it.each([
      ["flexible versions (JoinGroup v9, MEMBER_ID_REQUIRED first)", FLEXIBLE],
      ["old versions (JoinGroup v2)", OLD],
    ])("joins, syncs, heartbeats, commits, fetches and leaves at %s", async (_name, v) => {
      const groupId = `flow-v${v.join}`;
      const topic = `orders-v${v.join}`;
      await createTopics(admin, topic);
      const c1 = await connectClient("consumer-1");
      const c2 = await connectClient("consumer-2");

      // The first member makes a group of one.
      const j1 = await joinAsNew(c1, v.join, groupId, topic);
      expect(j1).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, leader: j1.memberId, protocolName: "range" });
      expect(j1.members.map((m) => m.memberId)).toEqual([j1.memberId]);
      const s1 = await syncGroup(c1, v.sync, groupId, j1, { [j1.memberId]: { [topic]: [0, 1] } });
      expect(s1.errorCode).toBe(ErrorCode.NONE);
      expect(decodeAssignment(s1.assignment)).toEqual({ [topic]: [0, 1] });

      // The second member's join rebalances: the first learns it from its heartbeat and rejoins.
      const joining = joinAsNew(c2, v.join, groupId, topic);
      await heartbeatUntil(c1, v.heartbeat, groupId, j1, ErrorCode.REBALANCE_IN_PROGRESS);
      const [leader, follower] = await Promise.all([joinGroup(c1, v.join, groupId, topic, j1.memberId), joining]);
      expect(leader).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2, leader: j1.memberId, memberId: j1.memberId });
      expect(follower).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2, leader: j1.memberId, members: [] });
      expect(leader.members.map((m) => m.memberId).sort()).toEqual([j1.memberId, follower.memberId].sort());
      const [s2leader, s2follower] = await Promise.all([
        syncGroup(c1, v.sync, groupId, leader, { [leader.memberId]: { [topic]: [0] }, [follower.memberId]: { [topic]: [1] } }),
        syncGroup(c2, v.sync, groupId, follower),
      ]);
      expect(decodeAssignment(s2leader.assignment)).toEqual({ [topic]: [0] });
      expect(decodeAssignment(s2follower.assignment)).toEqual({ [topic]: [1] });
      expect(await heartbeat(c1, v.heartbeat, groupId, 2, leader.memberId)).toBe(ErrorCode.NONE);
      expect(await heartbeat(c2, v.heartbeat, groupId, 2, follower.memberId)).toBe(ErrorCode.NONE);

      // Each member commits its partition; partitions that do not exist are refused.
      expect(await commit(c1, v.commit, groupId, leader, [[topic, 0, 42n, "from-1"]])).toEqual([[topic, 0, ErrorCode.NONE]]);
      expect(await commit(c2, v.commit, groupId, follower, [[topic, 1, 7n, "from-2"]])).toEqual([[topic, 1, ErrorCode.NONE]]);
      expect(await commit(c1, v.commit, groupId, leader, [[topic, 9, 1n, ""], ["no-such-topic", 0, 1n, ""]])).toEqual([
        [topic, 9, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
        ["no-such-topic", 0, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
      ]);
      const committed: OffsetRow[] = [
        [topic, 0, 42, "from-1", ErrorCode.NONE],
        [topic, 1, 7, "from-2", ErrorCode.NONE],
      ];
      expect(await fetchOffsets(c1, v.fetch, groupId, { [topic]: [0, 1] })).toEqual({ errorCode: ErrorCode.NONE, rows: committed });

      const described = await admin.request(ApiKey.DescribeGroups, v.describe, { groups: [groupId], includeAuthorizedOperations: false });
      expect(described.groups).toHaveLength(1);
      const group = described.groups[0]!;
      expect(group).toMatchObject({ errorCode: ErrorCode.NONE, groupId, groupState: "Stable", protocolType: "consumer", protocolData: "range" });
      if (v.describe >= 3) expect(group.authorizedOperations).toBe(NOT_REQUESTED);
      expect(group.members.map((m) => [m.memberId, m.clientId, m.clientHost]).sort()).toEqual(
        [
          [leader.memberId, "consumer-1", "/127.0.0.1"],
          [follower.memberId, "consumer-2", "/127.0.0.1"],
        ].sort(),
      );

      // The second member leaves; its commits are refused from then on.
      expect(await leaveGroup(c2, v.leave, groupId, follower.memberId)).toBe(ErrorCode.NONE);
      expect(await commit(c2, v.commit, groupId, follower, [[topic, 1, 8n, ""]])).toEqual([[topic, 1, ErrorCode.UNKNOWN_MEMBER_ID]]);

      // The first rejoins alone, then leaves too: the group is empty and keeps its offsets.
      expect(await heartbeat(c1, v.heartbeat, groupId, 2, leader.memberId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
      const alone = await joinGroup(c1, v.join, groupId, topic, leader.memberId);
      expect(alone).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 3, leader: leader.memberId });
      expect((await syncGroup(c1, v.sync, groupId, alone, { [alone.memberId]: { [topic]: [0, 1] } })).errorCode).toBe(ErrorCode.NONE);
      expect(await leaveGroup(c1, v.leave, groupId, alone.memberId)).toBe(ErrorCode.NONE);
      const after = await admin.request(ApiKey.DescribeGroups, v.describe, { groups: [groupId] });
      expect(after.groups[0]).toMatchObject({ groupState: "Empty", members: [] });
      expect(await fetchOffsets(admin, v.fetch, groupId, { [topic]: [0, 1] })).toEqual({ errorCode: ErrorCode.NONE, rows: committed });
    });
  });

  describe("OffsetFetch", () => {
    it.each([0, 1, 5, 7, 8, 9])("v%i answers -1 and no error for a group that never committed", async (v) => {
      const topic = "never-committed";
      await createTopics(admin, topic);
      const fetched = await fetchOffsets(admin, v, `no-commits-v${v}`, { [topic]: [0, 1] });
      expect(fetched.errorCode).toBe(ErrorCode.NONE);
      expect(fetched.rows.map(([t, p, offset, , errorCode]) => [t, p, offset, errorCode])).toEqual([
        [topic, 0, -1, ErrorCode.NONE],
        [topic, 1, -1, ErrorCode.NONE],
      ]);
    });

    it("answers -1 and no error for a partition that does not exist, as Kafka does", async () => {
      const fetched = await fetchOffsets(admin, 9, "no-such-partition", { "no-such-topic": [0] });
      expect(fetched).toEqual({ errorCode: ErrorCode.NONE, rows: [["no-such-topic", 0, -1, "", ErrorCode.NONE]] });
    });

    it("answers every committed partition for null topics (v2+)", async () => {
      const topic = "all-partitions";
      await createTopics(admin, topic);
      expect(await fetchOffsets(admin, 7, "all-partitions-empty", null)).toEqual({ errorCode: ErrorCode.NONE, rows: [] });
      await simpleCommit(admin, "all-partitions-group", [[topic, 1, 5n, "x"]]);
      expect(await fetchOffsets(admin, 8, "all-partitions-group", null)).toEqual({
        errorCode: ErrorCode.NONE,
        rows: [[topic, 1, 5, "x", ErrorCode.NONE]],
      });
    });
  });

  describe("ListGroups, DescribeGroups, OffsetDelete, DeleteGroups", () => {
    it("list, describe and delete an empty group, and refuse to delete one with members", async () => {
      const groupId = "admin-group";
      const topic = "admin-topic";
      await createTopics(admin, topic);
      expect(await simpleCommit(admin, groupId, [[topic, 0, 3n, ""], [topic, 1, 4n, ""]])).toEqual([
        [topic, 0, ErrorCode.NONE],
        [topic, 1, ErrorCode.NONE],
      ]);

      expect(await listGroups(admin, 0)).toContainEqual(expect.objectContaining({ groupId, protocolType: "" }));
      expect(await listGroups(admin, 4, { statesFilter: ["empty"] })).toContainEqual(expect.objectContaining({ groupId, groupState: "Empty" }));
      expect((await listGroups(admin, 4, { statesFilter: ["Stable"] })).map((g) => g.groupId)).not.toContain(groupId);
      expect(await listGroups(admin, 5, { typesFilter: ["classic"] })).toContainEqual(
        expect.objectContaining({ groupId, groupState: "Empty", groupType: "classic" }),
      );
      expect(await listGroups(admin, 5, { typesFilter: ["consumer"] })).toEqual([]);

      const described = await admin.request(ApiKey.DescribeGroups, 5, { groups: [groupId, "never-seen"], includeAuthorizedOperations: true });
      expect(described.throttleTimeMs).toBe(0);
      expect(described.groups.map((g) => [g.groupId, g.errorCode, g.groupState, g.authorizedOperations])).toEqual([
        [groupId, ErrorCode.NONE, "Empty", ALL_GROUP_OPERATIONS],
        ["never-seen", ErrorCode.NONE, "Dead", ALL_GROUP_OPERATIONS],
      ]);
      const old = await admin.request(ApiKey.DescribeGroups, 0, { groups: [groupId] });
      expect(old.groups.map((g) => [g.groupId, g.errorCode, g.groupState])).toEqual([[groupId, ErrorCode.NONE, "Empty"]]);

      const deleted = await admin.request(ApiKey.OffsetDelete, 0, {
        groupId,
        topics: [{ name: topic, partitions: [{ partitionIndex: 0 }, { partitionIndex: 5 }] }],
      });
      expect(deleted).toMatchObject({ errorCode: ErrorCode.NONE, throttleTimeMs: 0 });
      expect(deleted.topics.flatMap((t) => t.partitions.map((p) => [t.name, p.partitionIndex, p.errorCode]))).toEqual([
        [topic, 0, ErrorCode.NONE],
        [topic, 5, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
      ]);
      expect((await fetchOffsets(admin, 8, groupId, { [topic]: [0, 1] })).rows.map((r) => r[2])).toEqual([-1, 4]);
      const unknownGroup = await admin.request(ApiKey.OffsetDelete, 0, { groupId: "never-seen", topics: [] });
      expect(unknownGroup.errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);

      // A group with a member (JoinGroup v0, no rebalance timeout) cannot be deleted.
      const busy = await connectClient("busy-consumer");
      const member = await joinAsNew(busy, 0, "busy-group", topic);
      expect(member.errorCode).toBe(ErrorCode.NONE);
      expect((await syncGroup(busy, 0, "busy-group", member, { [member.memberId]: { [topic]: [0] } })).errorCode).toBe(ErrorCode.NONE);

      const results = await admin.request(ApiKey.DeleteGroups, 2, { groupsNames: [groupId, "never-seen", "busy-group"] });
      expect(results.throttleTimeMs).toBe(0);
      expect(results.results.map((r) => [r.groupId, r.errorCode])).toEqual([
        [groupId, ErrorCode.NONE],
        ["never-seen", ErrorCode.GROUP_ID_NOT_FOUND],
        ["busy-group", ErrorCode.NON_EMPTY_GROUP],
      ]);
      expect((await listGroups(admin, 3)).map((g) => g.groupId)).not.toContain(groupId);
      expect((await fetchOffsets(admin, 8, groupId, { [topic]: [0, 1] })).rows.map((r) => r[2])).toEqual([-1, -1]);
      const again = await admin.request(ApiKey.DeleteGroups, 0, { groupsNames: [groupId] });
      expect(again.results).toMatchObject([{ groupId, errorCode: ErrorCode.GROUP_ID_NOT_FOUND }]);
      expect(await leaveGroup(busy, 0, "busy-group", member.memberId)).toBe(ErrorCode.NONE);
    });
  });

  describe("ApiVersions", () => {
    it("advertises exactly the registered handlers, the group APIs at the coordinator's versions", async () => {
      const response = await admin.request(ApiKey.ApiVersions, 3, { clientSoftwareName: "group-test", clientSoftwareVersion: "1" });
      expect(response.errorCode).toBe(ErrorCode.NONE);
      const advertised = response.apiKeys.map((k) => [k.apiKey, k.minVersion, k.maxVersion]);
      const registry = new HandlerRegistry([]);
      for (const h of allHandlers(broker.services, registry)) registry.register(h);
      expect(advertised).toEqual(registry.versionRanges().map((r) => [r.apiKey, r.minVersion, r.maxVersion]));

      const groupApis = groupHandlers(broker.services).map((h) => h.apiKey);
      expect(advertised.filter(([key]) => groupApis.includes(key as ApiKey))).toEqual([
        [ApiKey.OffsetCommit, 0, 9],
        [ApiKey.OffsetFetch, 0, 9],
        [ApiKey.FindCoordinator, 0, 6],
        [ApiKey.JoinGroup, 0, 9],
        [ApiKey.Heartbeat, 0, 4],
        [ApiKey.LeaveGroup, 0, 5],
        [ApiKey.SyncGroup, 0, 5],
        [ApiKey.DescribeGroups, 0, 5],
        [ApiKey.ListGroups, 0, 5],
        [ApiKey.DeleteGroups, 0, 2],
        [ApiKey.OffsetDelete, 0, 0],
      ]);
    });
  });
});

describe("committed offsets across a restart", () => {
  it("are fetched from a new broker on the same file:// storage and metadata", async () => {
    const dirs = await groupTempDirs();
    const urls = { storageUrl: dirs.storageUrl, metadataUrl: dirs.metadataUrl };
    let broker: Broker | undefined;
    let client: WireClient | undefined;
    try {
      broker = await startGroupBroker(urls);
      client = await WireClient.connect(broker.port, "restart-consumer");
      await createTopics(client, "durable");
      const member = await joinAsNew(client, 9, "durable-group", "durable");
      expect((await syncGroup(client, 5, "durable-group", member, { [member.memberId]: { durable: [0, 1] } })).errorCode).toBe(ErrorCode.NONE);
      expect(await commit(client, 9, "durable-group", member, [["durable", 0, 100n, "before restart"], ["durable", 1, 200n, ""]])).toEqual([
        ["durable", 0, ErrorCode.NONE],
        ["durable", 1, ErrorCode.NONE],
      ]);
      expect(await simpleCommit(client, "durable-simple", [["durable", 1, 5n, "simple"]])).toEqual([["durable", 1, ErrorCode.NONE]]);
      client.close();
      await broker.stop();

      broker = await startGroupBroker(urls);
      client = await WireClient.connect(broker.port, "restart-consumer");
      expect(await fetchOffsets(client, 9, "durable-group", { durable: [0, 1] })).toEqual({
        errorCode: ErrorCode.NONE,
        rows: [
          ["durable", 0, 100, "before restart", ErrorCode.NONE],
          ["durable", 1, 200, "", ErrorCode.NONE],
        ],
      });
      expect(await fetchOffsets(client, 1, "durable-simple", { durable: [0, 1] })).toEqual({
        errorCode: ErrorCode.NONE,
        rows: [
          ["durable", 0, -1, "", ErrorCode.NONE],
          ["durable", 1, 5, "simple", ErrorCode.NONE],
        ],
      });
      expect((await listGroups(client, 4)).map((g) => g.groupId)).toEqual(["durable-group", "durable-simple"]);
    } finally {
      client?.close();
      await broker?.stop();
      await dirs.remove();
    }
  });
});
