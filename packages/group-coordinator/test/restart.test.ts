import { ErrorCode } from "@kafscale/protocol";
import { describe, expect, it } from "vitest";
import { createGroupCoordinator, createManualClock, createMemoryGroupStore } from "../src/index.js";
import {
  GROUP,
  SESSION_MS,
  ctx,
  decodeAssignment,
  describe1,
  gatedStore,
  heartbeat,
  joinRequest,
  setup,
  stableGroup,
  track,
} from "./helpers.js";

describe("start() after a restart", () => {
  it("restores a Stable group with its members, generation, assignments and offsets", async () => {
    const h1 = await setup();
    const [a, b] = await stableGroup(h1, 2);
    await h1.coord.commitOffsets(
      {
        groupId: GROUP,
        generationIdOrMemberEpoch: 1,
        memberId: a!.memberId,
        topics: [{ name: "t", partitions: [{ partitionIndex: 0, committedOffset: 99n, committedLeaderEpoch: 2, committedMetadata: "meta" }] }],
      },
      ctx(8),
    );
    const before = await describe1(h1);
    h1.coord.close();

    const h2 = await setup({}, { clock: h1.clock, store: h1.store });
    expect(await describe1(h2)).toEqual(before);
    expect(await heartbeat(h2, a!)).toBe(ErrorCode.NONE);
    const sync = await h2.coord.syncGroup({ groupId: GROUP, generationId: 1, memberId: b!.memberId, assignments: [] }, ctx(5));
    expect(decodeAssignment(sync.assignment)).toEqual({ t: [1] });
    const fetched = await h2.coord.fetchOffsets({ groupId: GROUP, topics: [{ name: "t", partitionIndexes: [0] }] }, ctx(7));
    expect(fetched.topics?.[0]?.partitions[0]).toMatchObject({ committedOffset: 99n, committedLeaderEpoch: 2, metadata: "meta" });
    const commit = await h2.coord.commitOffsets(
      {
        groupId: GROUP,
        generationIdOrMemberEpoch: 1,
        memberId: b!.memberId,
        topics: [{ name: "t", partitions: [{ partitionIndex: 1, committedOffset: 5n, committedMetadata: null }] }],
      },
      ctx(8),
    );
    expect(commit.topics[0]?.partitions[0]?.errorCode).toBe(ErrorCode.NONE);
  });

  it("expires restored members that do not heartbeat, then rebalances the others", async () => {
    const h1 = await setup();
    const [a, b] = await stableGroup(h1, 2);
    h1.coord.close();
    const h2 = await setup({}, { clock: h1.clock, store: h1.store });
    for (let t = 0; t < SESSION_MS; t += 4_000) {
      expect(await heartbeat(h2, a!)).toBe(ErrorCode.NONE);
      await h2.clock.advance(4_000);
    }
    expect(await heartbeat(h2, b!)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(await heartbeat(h2, a!)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const rejoin = await h2.coord.joinGroup(joinRequest({ memberId: a!.memberId }), ctx(5));
    expect(rejoin).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2 });
    expect(rejoin.members.map((m) => m.memberId)).toEqual([a!.memberId]);
  });

  it("restores an empty group as Empty, still accepting simple commits", async () => {
    const h1 = await setup();
    const [a] = await stableGroup(h1, 1);
    await h1.coord.leaveGroup({ groupId: GROUP, memberId: a!.memberId }, ctx(0));
    await h1.clock.flush();
    h1.coord.close();
    const h2 = await setup({}, { clock: h1.clock, store: h1.store });
    expect(await describe1(h2)).toMatchObject({ groupState: "Empty", protocolType: "consumer", members: [] });
    const commit = await h2.coord.commitOffsets(
      { groupId: GROUP, generationIdOrMemberEpoch: -1, memberId: "", topics: [{ name: "t", partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: null }] }] },
      ctx(8),
    );
    expect(commit.topics[0]?.partitions[0]?.errorCode).toBe(ErrorCode.NONE);
  });

  it("answers while loading as Kafka does: COORDINATOR_LOAD_IN_PROGRESS, heartbeats NONE, SyncGroup REBALANCE_IN_PROGRESS", async () => {
    const store = gatedStore(createMemoryGroupStore());
    const coord = createGroupCoordinator({ store, clock: createManualClock() });
    store.hold();
    const started = track(coord.start());
    expect(coord.status).toBe("loading");
    const join = await coord.joinGroup(joinRequest(), ctx(5));
    expect(join.errorCode).toBe(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    expect((await coord.syncGroup({ groupId: GROUP, generationId: 1, memberId: "m", assignments: [] }, ctx(5))).errorCode).toBe(
      ErrorCode.REBALANCE_IN_PROGRESS,
    );
    expect((await coord.heartbeat({ groupId: GROUP, generationId: 1, memberId: "m" }, ctx(0))).errorCode).toBe(ErrorCode.NONE);
    expect((await coord.listGroups({}, ctx(0))).errorCode).toBe(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    expect((await coord.describeGroups({ groups: [GROUP] }, ctx(0))).groups[0]?.errorCode).toBe(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    await store.release();
    await started.promise;
    expect(coord.status).toBe("active");
  });

  it("close() answers parked JoinGroups NOT_COORDINATOR", async () => {
    const h = await setup();
    const join = track(h.coord.joinGroup(joinRequest(), ctx(3)));
    await h.clock.flush();
    h.coord.close();
    await h.clock.flush();
    expect(join.value.errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    expect(h.coord.status).toBe("closed");
    expect(h.clock.pendingTimers()).toBe(0);
    expect((await h.coord.joinGroup(joinRequest(), ctx(3))).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  });
});
