/**
 * Requests captured from real clients (packages/protocol/test/fixtures: kcat, kafka-python,
 * confluent-kafka, kafkajs, @platformatic/kafka) are decoded at their captured version and run
 * through a whole group lifecycle; only the broker-assigned ids (member id, generation) are
 * swapped for ours. The clients' own subscription and assignment bytes are checked to arrive
 * untouched.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  ConsumerProtocolAssignment,
  DeleteGroupsRequest,
  DescribeGroupsRequest,
  ErrorCode,
  HeartbeatRequest,
  JoinGroupRequest,
  LeaveGroupRequest,
  ListGroupsRequest,
  OffsetCommitRequest,
  OffsetFetchRequest,
  SyncGroupRequest,
  decodeRequestHeader,
} from "@kafscale/protocol";
import type { MessageCodec } from "@kafscale/protocol";
import { describe, expect, it } from "vitest";
import { subscribedTopics } from "../src/index.js";
import { INITIAL_DELAY_MS, ctx, setup, track } from "./helpers.js";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "../../protocol/test/fixtures");
const CLIENTS = ["kcat", "kafka-python", "confluent-kafka", "kafkajs", "platformatic-kafka"];

/** Every captured request of `api` by `client`, decoded, with its version. */
function captured<T>(client: string, api: string, codec: MessageCodec<T>): { v: number; req: T }[] {
  const pattern = new RegExp(`^${api}-request-v(\\d+)-\\d+\\.hex$`);
  return readdirSync(join(FIXTURES, client))
    .map((file) => ({ file, match: pattern.exec(file) }))
    .filter((f) => f.match !== null)
    .map(({ file, match }) => {
      const frame = Buffer.from(readFileSync(join(FIXTURES, client, file), "utf8").trim(), "hex");
      const v = Number(match?.[1]);
      return { v, req: codec.decode(frame.subarray(decodeRequestHeader(frame).bodyOffset), v) };
    });
}

function first<T>(items: T[]): T {
  const item = items[0];
  if (item === undefined) throw new Error("no captured request");
  return item;
}

describe("real clients' requests", () => {
  it.each(CLIENTS)("%s: join, sync, heartbeat, commit, fetch, leave", async (client) => {
    const h = await setup();
    const join = first(captured(client, "join-group", JoinGroupRequest));
    const groupId = join.req.groupId;
    for (const p of join.req.protocols) expect(subscribedTopics(p.metadata)).not.toBeNull();

    // v4+ clients get MEMBER_ID_REQUIRED first; older ones wait in the join phase at once.
    let pending = track(h.coord.joinGroup({ ...join.req, memberId: "" }, ctx(join.v, client)));
    await h.clock.flush();
    if (pending.settled && pending.value.errorCode === ErrorCode.MEMBER_ID_REQUIRED) {
      pending = track(h.coord.joinGroup({ ...join.req, memberId: pending.value.memberId }, ctx(join.v, client)));
    }
    await h.clock.advance(INITIAL_DELAY_MS);
    const joined = pending.value;
    expect(joined).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1 });
    const memberId = joined.memberId;
    expect(joined.leader).toBe(memberId);
    const selected = join.req.protocols.find((p) => p.name === joined.protocolName);
    expect(joined.members).toEqual([{ memberId, groupInstanceId: join.req.groupInstanceId ?? null, metadata: selected?.metadata }]);

    // The leader's SyncGroup as the client sent it, with its own assignment bytes.
    const leaderSync = first(captured(client, "sync-group", SyncGroupRequest).filter((s) => s.req.assignments.length > 0));
    const bytes = first(leaderSync.req.assignments).assignment;
    const synced = await h.coord.syncGroup(
      { ...leaderSync.req, groupId, generationId: 1, memberId, assignments: [{ memberId, assignment: bytes }] },
      ctx(leaderSync.v, client),
    );
    expect(synced.errorCode).toBe(ErrorCode.NONE);
    expect(synced.assignment).toEqual(bytes);
    const version = new DataView(bytes.buffer, bytes.byteOffset).getInt16(0);
    expect(ConsumerProtocolAssignment.decode(bytes.subarray(2), Math.min(version, 3)).assignedPartitions.length).toBeGreaterThan(0);

    const hb = first(captured(client, "heartbeat", HeartbeatRequest));
    const beat = await h.coord.heartbeat({ ...hb.req, groupId, generationId: 1, memberId }, ctx(hb.v, client));
    expect(beat.errorCode).toBe(ErrorCode.NONE);

    const oc = first(captured(client, "offset-commit", OffsetCommitRequest));
    const committed = await h.coord.commitOffsets(
      { ...oc.req, groupId, generationIdOrMemberEpoch: 1, memberId, groupInstanceId: null },
      ctx(oc.v, client),
    );
    expect(committed.topics.flatMap((t) => t.partitions.map((p) => p.errorCode)).every((c) => c === ErrorCode.NONE)).toBe(true);
    const sent = new Map(oc.req.topics.flatMap((t) => t.partitions.map((p) => [`${t.name}/${p.partitionIndex}`, p.committedOffset])));

    const of = first(captured(client, "offset-fetch", OffsetFetchRequest));
    const fetchReq =
      of.v >= 8
        ? { ...of.req, groups: (of.req.groups ?? []).map((g) => ({ ...g, groupId })) }
        : { ...of.req, groupId };
    const fetched = await h.coord.fetchOffsets(fetchReq, ctx(of.v, client));
    const topics = of.v >= 8 ? (fetched.groups ?? []).flatMap((g) => g.topics) : (fetched.topics ?? []);
    expect(topics.length).toBeGreaterThan(0);
    for (const t of topics) {
      for (const p of t.partitions) {
        expect(p.errorCode).toBe(ErrorCode.NONE);
        expect(p.committedOffset).toBe(sent.get(`${t.name}/${p.partitionIndex}`) ?? -1n);
      }
    }

    const lg = first(captured(client, "leave-group", LeaveGroupRequest));
    const leaveReq =
      lg.v >= 3
        ? { ...lg.req, groupId, members: (lg.req.members ?? []).slice(0, 1).map((m) => ({ ...m, memberId, groupInstanceId: null })) }
        : { ...lg.req, groupId, memberId };
    const left = await h.coord.leaveGroup(leaveReq, ctx(lg.v, client));
    expect(left.errorCode).toBe(ErrorCode.NONE);
    await h.clock.flush();
    const described = await h.coord.describeGroups({ groups: [groupId] }, ctx(0));
    expect(described.groups[0]?.groupState).toBe("Empty");
  });

  it.each(["kafka-python", "kafkajs"])("%s: list, describe and delete groups", async (client) => {
    const h = await setup();
    const groupId = "admin-group";
    await h.coord.commitOffsets(
      { groupId, topics: [{ name: "t", partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: null }] }] },
      ctx(2),
    );
    const list = first(captured(client, "list-groups", ListGroupsRequest));
    expect((await h.coord.listGroups(list.req, ctx(list.v))).groups.map((g) => g.groupId)).toEqual([groupId]);
    const desc = first(captured(client, "describe-groups", DescribeGroupsRequest));
    const described = await h.coord.describeGroups({ ...desc.req, groups: [groupId] }, ctx(desc.v));
    expect(described.groups[0]).toMatchObject({ errorCode: ErrorCode.NONE, groupState: "Empty" });
    const del = first(captured(client, "delete-groups", DeleteGroupsRequest));
    const deleted = await h.coord.deleteGroups({ ...del.req, groupsNames: [groupId] }, ctx(del.v));
    expect(deleted.results).toEqual([{ groupId, errorCode: ErrorCode.NONE }]);
  });
});
