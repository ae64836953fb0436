import { ErrorCode, OffsetFetchResponse } from "@kafscale/protocol";
import type { OffsetCommitRequest } from "@kafscale/protocol";
import { describe, expect, it } from "vitest";
import { createGroupCoordinator, createMemoryGroupStore } from "../src/index.js";
import {
  GROUP,
  ctx,
  describe1,
  gatedStore,
  joinRequest,
  joinWithId,
  setup,
  stableGroup,
  subscription,
  track,
} from "./helpers.js";

const commit = (over: Partial<OffsetCommitRequest> = {}): OffsetCommitRequest => ({
  groupId: GROUP,
  generationIdOrMemberEpoch: -1,
  memberId: "",
  groupInstanceId: null,
  topics: [{ name: "t", partitions: [{ partitionIndex: 0, committedOffset: 42n, committedLeaderEpoch: 3, committedMetadata: "m" }] }],
  ...over,
});

const codes = (r: { topics: { partitions: { errorCode: number }[] }[] }) => r.topics.flatMap((t) => t.partitions.map((p) => p.errorCode));

describe("fetchOffsets()", () => {
  it("answers offset -1, metadata \"\" and no error for a group that never committed, at every version", async () => {
    const h = await setup();
    for (const v of [0, 1, 2, 5, 7]) {
      const r = await h.coord.fetchOffsets({ groupId: "never", topics: [{ name: "t", partitionIndexes: [0, 1] }] }, ctx(v));
      expect(r.errorCode ?? 0).toBe(ErrorCode.NONE);
      expect(r.topics).toEqual([
        {
          name: "t",
          partitions: [0, 1].map((p) => ({ partitionIndex: p, committedOffset: -1n, committedLeaderEpoch: -1, metadata: "", errorCode: 0 })),
        },
      ]);
      expect(() => OffsetFetchResponse.encode(r, v)).not.toThrow();
    }
    const multi = await h.coord.fetchOffsets(
      {
        groups: [
          { groupId: "never", topics: [{ name: "t", partitionIndexes: [0] }] },
          { groupId: "also-never", topics: null },
        ],
      },
      ctx(8),
    );
    expect(multi.groups).toEqual([
      {
        groupId: "never",
        errorCode: 0,
        topics: [{ name: "t", partitions: [{ partitionIndex: 0, committedOffset: -1n, committedLeaderEpoch: -1, metadata: "", errorCode: 0 }] }],
      },
      { groupId: "also-never", errorCode: 0, topics: [] },
    ]);
    expect(() => OffsetFetchResponse.encode(multi, 8)).not.toThrow();
  });

  it("returns committed offsets, for requested partitions or (null topics) all of them", async () => {
    const h = await setup();
    await h.coord.commitOffsets(
      commit({
        topics: [
          { name: "b", partitions: [{ partitionIndex: 1, committedOffset: 7n, committedMetadata: null }] },
          {
            name: "a",
            partitions: [
              { partitionIndex: 2, committedOffset: 9n, committedLeaderEpoch: 4, committedMetadata: "x" },
              { partitionIndex: 0, committedOffset: 5n, committedLeaderEpoch: -1, committedMetadata: "" },
            ],
          },
        ],
      }),
      ctx(8),
    );
    const some = await h.coord.fetchOffsets({ groupId: GROUP, topics: [{ name: "a", partitionIndexes: [2, 1] }] }, ctx(5));
    expect(some.topics?.[0]?.partitions).toEqual([
      { partitionIndex: 2, committedOffset: 9n, committedLeaderEpoch: 4, metadata: "x", errorCode: 0 },
      { partitionIndex: 1, committedOffset: -1n, committedLeaderEpoch: -1, metadata: "", errorCode: 0 },
    ]);
    const all = await h.coord.fetchOffsets({ groups: [{ groupId: GROUP, topics: null }] }, ctx(8));
    expect(all.groups?.[0]?.topics.map((t) => [t.name, t.partitions.map((p) => [p.partitionIndex, p.committedOffset])])).toEqual([
      ["a", [[0, 5n], [2, 9n]]],
      ["b", [[1, 7n]]],
    ]);
  });

  it("answers COORDINATOR_LOAD_IN_PROGRESS per partition (v0-1), at the top (v2-7) or per group (v8+)", async () => {
    const coord = createGroupCoordinator({ store: createMemoryGroupStore() }); // not started: loading
    const req = { groupId: GROUP, topics: [{ name: "t", partitionIndexes: [0] }] };
    const v1 = await coord.fetchOffsets(req, ctx(1));
    expect(v1.topics?.[0]?.partitions[0]?.errorCode).toBe(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    const v5 = await coord.fetchOffsets(req, ctx(5));
    expect(v5).toMatchObject({ errorCode: ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, topics: [] });
    const v8 = await coord.fetchOffsets({ groups: [{ groupId: GROUP, topics: null }] }, ctx(8));
    expect(v8.groups?.[0]?.errorCode).toBe(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
  });
});

describe("commitOffsets()", () => {
  it("stores a member's commit with its leader epoch, metadata and time", async () => {
    const h = await setup();
    const [a] = await stableGroup(h, 1);
    const r = await h.coord.commitOffsets(commit({ generationIdOrMemberEpoch: a!.generationId, memberId: a!.memberId }), ctx(8));
    expect(codes(r)).toEqual([ErrorCode.NONE]);
    const stored = await h.store.fetchOffsets(GROUP, null);
    expect(stored).toEqual([
      { topic: "t", partition: 0, offset: 42n, leaderEpoch: 3, metadata: "m", committedAtMs: h.clock.now() },
    ]);
  });

  it("refuses a commit from a member that left (UNKNOWN_MEMBER_ID) and from a stale generation (ILLEGAL_GENERATION)", async () => {
    const h = await setup();
    const [a, b] = await stableGroup(h, 2);
    await h.coord.leaveGroup({ groupId: GROUP, memberId: b!.memberId }, ctx(0));
    const fromLeft = await h.coord.commitOffsets(commit({ generationIdOrMemberEpoch: 1, memberId: b!.memberId }), ctx(7));
    expect(codes(fromLeft)).toEqual([ErrorCode.UNKNOWN_MEMBER_ID]);
    // a rejoins into generation 2; its old generation is stale.
    await h.coord.joinGroup(joinRequest({ memberId: a!.memberId }), ctx(5));
    await h.coord.syncGroup({ groupId: GROUP, generationId: 2, memberId: a!.memberId, assignments: [] }, ctx(5));
    const stale = await h.coord.commitOffsets(commit({ generationIdOrMemberEpoch: 1, memberId: a!.memberId }), ctx(7));
    expect(codes(stale)).toEqual([ErrorCode.ILLEGAL_GENERATION]);
    const current = await h.coord.commitOffsets(commit({ generationIdOrMemberEpoch: 2, memberId: a!.memberId }), ctx(7));
    expect(codes(current)).toEqual([ErrorCode.NONE]);
    // Nothing from the refused commits reached the store.
    expect((await h.store.fetchOffsets(GROUP, null)).length).toBe(1);
  });

  it("refuses ILLEGAL_GENERATION for a member's commit to a group that does not exist", async () => {
    const h = await setup();
    const r = await h.coord.commitOffsets(commit({ groupId: "gone", generationIdOrMemberEpoch: 3, memberId: "m" }), ctx(8));
    expect(codes(r)).toEqual([ErrorCode.ILLEGAL_GENERATION]);
  });

  it("accepts simple commits (generation -1, no member) while the group has no members, and creates the group", async () => {
    const h = await setup();
    const r = await h.coord.commitOffsets(commit({ groupId: "manual" }), ctx(2));
    expect(codes(r)).toEqual([ErrorCode.NONE]);
    expect(h.store.group("manual")).toMatchObject({ state: "Empty", members: [] });
    expect((await describe1(h, "manual")).groupState).toBe("Empty");
    const v0 = await h.coord.commitOffsets({ groupId: "manual", topics: commit().topics }, ctx(0));
    expect(codes(v0)).toEqual([ErrorCode.NONE]);
    // Once the group has members, only they may commit.
    await stableGroup(h, 1);
    expect(codes(await h.coord.commitOffsets(commit(), ctx(8)))).toEqual([ErrorCode.UNKNOWN_MEMBER_ID]);
  });

  it("answers REBALANCE_IN_PROGRESS while the group completes a rebalance, and accepts commits while it prepares one", async () => {
    const h = await setup();
    const a = await joinWithId(h.coord, {}, 5, "a");
    await h.clock.advance(1_000);
    await a.response;
    const completing = await h.coord.commitOffsets(commit({ generationIdOrMemberEpoch: 1, memberId: a.memberId }), ctx(8));
    expect(codes(completing)).toEqual([ErrorCode.REBALANCE_IN_PROGRESS]);
    await h.coord.syncGroup({ groupId: GROUP, generationId: 1, memberId: a.memberId, assignments: [] }, ctx(5));
    track(h.coord.joinGroup(joinRequest(), ctx(3))); // a new member: PreparingRebalance
    await h.clock.flush();
    const preparing = await h.coord.commitOffsets(commit({ generationIdOrMemberEpoch: 1, memberId: a.memberId }), ctx(8));
    expect(codes(preparing)).toEqual([ErrorCode.NONE]);
  });

  it("answers only after the store has the offsets, and reports a store failure per partition", async () => {
    const store = gatedStore(createMemoryGroupStore());
    const h = await setup({ store });
    await h.coord.commitOffsets(commit(), ctx(8));
    store.hold();
    const pending = track(h.coord.commitOffsets(commit({ topics: [{ name: "t", partitions: [{ partitionIndex: 0, committedOffset: 43n, committedMetadata: null }] }] }), ctx(8)));
    await h.clock.flush();
    expect(pending.settled).toBe(false);
    await store.release();
    expect(codes(pending.value)).toEqual([ErrorCode.NONE]);
    store.fail(new Error("etcd down"));
    expect(codes(await h.coord.commitOffsets(commit(), ctx(8)))).toEqual([ErrorCode.COORDINATOR_NOT_AVAILABLE]);
  });

  it("refuses metadata above maxOffsetMetadataBytes and unknown partitions, committing the rest", async () => {
    const h = await setup({ maxOffsetMetadataBytes: 4, partitionExists: (topic) => topic !== "missing" });
    const r = await h.coord.commitOffsets(
      commit({
        topics: [
          {
            name: "t",
            partitions: [
              { partitionIndex: 0, committedOffset: 1n, committedMetadata: "ok" },
              { partitionIndex: 1, committedOffset: 1n, committedMetadata: "too long" },
            ],
          },
          { name: "missing", partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: null }] },
        ],
      }),
      ctx(8),
    );
    expect(codes(r)).toEqual([ErrorCode.NONE, ErrorCode.OFFSET_METADATA_TOO_LARGE, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
    expect((await h.store.fetchOffsets(GROUP, null)).map((o) => [o.topic, o.partition])).toEqual([["t", 0]]);
  });
});

describe("deleteOffsets()", () => {
  it("refuses topics a member subscribes to with GROUP_SUBSCRIBED_TO_TOPIC and deletes the others", async () => {
    const h = await setup();
    const [a] = await stableGroup(h, 1, { protocols: [{ name: "range", metadata: subscription(["t", "u"], 3) }] });
    await h.coord.commitOffsets(
      commit({
        generationIdOrMemberEpoch: 1,
        memberId: a!.memberId,
        topics: ["t", "old"].map((name) => ({ name, partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: null }] })),
      }),
      ctx(8),
    );
    const r = await h.coord.deleteOffsets(
      { groupId: GROUP, topics: ["t", "old"].map((name) => ({ name, partitions: [{ partitionIndex: 0 }] })) },
      ctx(0),
    );
    expect(r.errorCode).toBe(ErrorCode.NONE);
    expect(codes(r)).toEqual([ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC, ErrorCode.NONE]);
    expect((await h.store.fetchOffsets(GROUP, null)).map((o) => o.topic)).toEqual(["t"]);
  });

  it("deletes any offsets of an empty group and answers GROUP_ID_NOT_FOUND for unknown groups", async () => {
    const h = await setup();
    await h.coord.commitOffsets(commit(), ctx(8));
    const r = await h.coord.deleteOffsets({ groupId: GROUP, topics: [{ name: "t", partitions: [{ partitionIndex: 0 }] }] }, ctx(0));
    expect(codes(r)).toEqual([ErrorCode.NONE]);
    expect(await h.store.fetchOffsets(GROUP, null)).toEqual([]);
    const unknown = await h.coord.deleteOffsets({ groupId: "nope", topics: [] }, ctx(0));
    expect(unknown.errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
  });
});
