import { ErrorCode } from "@kafscale/protocol";
import type { JoinGroupRequest, JoinGroupResponse } from "@kafscale/protocol";
import { describe, expect, it } from "vitest";
import {
  GROUP,
  INITIAL_DELAY_MS,
  REBALANCE_MS,
  assignment,
  ctx,
  decodeAssignment,
  describe1,
  heartbeat,
  joinRequest,
  setup,
  subscription,
  track,
} from "./helpers.js";
import type { Harness } from "./helpers.js";

const joinStatic = (h: Harness, instanceId: string, over: Partial<JoinGroupRequest> = {}, v = 5) =>
  h.coord.joinGroup(joinRequest({ groupInstanceId: instanceId, ...over }), ctx(v, `${instanceId}-client`));

const heartbeatStatic = (h: Harness, instanceId: string, memberId: string, generationId: number) =>
  h.coord
    .heartbeat({ groupId: GROUP, generationId, memberId, groupInstanceId: instanceId }, ctx(4))
    .then((r) => r.errorCode);

/** Static members "a" (leader) and "b" in a Stable generation 1; a gets partition 0, b partition 1. */
async function staticGroup(h: Harness, protocols?: Record<string, JoinGroupRequest["protocols"]>) {
  const ja = joinStatic(h, "a", protocols?.a === undefined ? {} : { protocols: protocols.a });
  const jb = joinStatic(h, "b", protocols?.b === undefined ? {} : { protocols: protocols.b });
  await h.clock.advance(INITIAL_DELAY_MS * 3);
  const [a, b] = (await Promise.all([ja, jb])) as [JoinGroupResponse, JoinGroupResponse];
  const syncB = h.coord.syncGroup({ groupId: GROUP, generationId: 1, memberId: b.memberId, groupInstanceId: "b", assignments: [] }, ctx(5));
  await h.coord.syncGroup(
    {
      groupId: GROUP,
      generationId: 1,
      memberId: a.memberId,
      groupInstanceId: "a",
      assignments: [
        { memberId: a.memberId, assignment: assignment({ t: [0] }) },
        { memberId: b.memberId, assignment: assignment({ t: [1] }) },
      ],
    },
    ctx(5),
  );
  await syncB;
  return { a, b };
}

describe("static membership (group.instance.id)", () => {
  it("replaces a rejoining static member without a rebalance and fences its old member id", async () => {
    const h = await setup();
    const { a, b } = await staticGroup(h);
    expect(a.leader).toBe(a.memberId);

    const again = await joinStatic(h, "a");
    expect(again.errorCode).toBe(ErrorCode.NONE);
    expect(again.memberId).not.toBe(a.memberId);
    expect(again.memberId).toMatch(/^a-/);
    expect(again.generationId).toBe(1);
    // Before v9 the old leader id comes back, so the new instance does not run an assignment.
    expect(again.leader).toBe(a.memberId);
    expect(again.members).toEqual([]);
    expect((await describe1(h)).groupState).toBe("Stable");
    expect(await heartbeatStatic(h, "b", b.memberId, 1)).toBe(ErrorCode.NONE);

    expect(await heartbeatStatic(h, "a", a.memberId, 1)).toBe(ErrorCode.FENCED_INSTANCE_ID);
    expect(await heartbeat(h, { memberId: a.memberId, generationId: 1 })).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const commitOld = await h.coord.commitOffsets(
      {
        groupId: GROUP,
        generationIdOrMemberEpoch: 1,
        memberId: a.memberId,
        groupInstanceId: "a",
        topics: [{ name: "t", partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: null }] }],
      },
      ctx(7),
    );
    expect(commitOld.topics[0]?.partitions[0]?.errorCode).toBe(ErrorCode.FENCED_INSTANCE_ID);

    const sync = await h.coord.syncGroup(
      { groupId: GROUP, generationId: 1, memberId: again.memberId, groupInstanceId: "a", assignments: [] },
      ctx(5),
    );
    expect(decodeAssignment(sync.assignment)).toEqual({ t: [0] });
    expect(h.store.group(GROUP)?.members.map((m) => m.memberId)).toEqual([b.memberId, again.memberId]);
    expect(h.store.group(GROUP)?.leaderId).toBe(again.memberId);
  });

  it("v9: tells a replaced static leader that it leads, with SkipAssignment", async () => {
    const h = await setup();
    const { b } = await staticGroup(h);
    const again = await joinStatic(h, "a", {}, 9);
    expect(again).toMatchObject({ errorCode: ErrorCode.NONE, leader: again.memberId, skipAssignment: true, generationId: 1 });
    expect(again.members.map((m) => m.memberId).sort()).toEqual([again.memberId, b.memberId].sort());
    expect((await describe1(h)).groupState).toBe("Stable");
  });

  it("rebalances when the rejoining static member changes the group's selected protocol", async () => {
    const h = await setup();
    const meta = subscription(["t"]);
    await staticGroup(h, {
      a: [{ name: "range", metadata: meta }, { name: "roundrobin", metadata: meta }],
      b: [{ name: "roundrobin", metadata: meta }, { name: "range", metadata: meta }],
    });
    expect((await describe1(h)).protocolData).toBe("range");
    const again = track(joinStatic(h, "a", { protocols: [{ name: "roundrobin", metadata: meta }, { name: "range", metadata: meta }] }));
    await h.clock.flush();
    expect(again.settled).toBe(false);
    expect((await describe1(h)).groupState).toBe("PreparingRebalance");
  });

  it("rebalances when a static member is replaced during CompletingRebalance; the old id's SyncGroup is fenced", async () => {
    const h = await setup();
    const ja = joinStatic(h, "a");
    const jb = joinStatic(h, "b");
    await h.clock.advance(INITIAL_DELAY_MS * 3);
    const [a, b] = (await Promise.all([ja, jb])) as [JoinGroupResponse, JoinGroupResponse];
    const oldSync = track(
      h.coord.syncGroup({ groupId: GROUP, generationId: 1, memberId: b.memberId, groupInstanceId: "b", assignments: [] }, ctx(5)),
    );
    const newB = track(joinStatic(h, "b"));
    await h.clock.flush();
    expect(oldSync.value.errorCode).toBe(ErrorCode.FENCED_INSTANCE_ID);
    expect((await describe1(h)).groupState).toBe("PreparingRebalance");
    const rejoinA = await joinStatic(h, "a", { memberId: a.memberId });
    await h.clock.flush();
    expect(rejoinA.generationId).toBe(2);
    expect(newB.value.generationId).toBe(2);
    expect(rejoinA.members.map((m) => m.groupInstanceId)).toEqual(["a", "b"]);
  });

  it("keeps static members that miss a rebalance (they stay until their session expires)", async () => {
    const h = await setup();
    const { a, b } = await staticGroup(h);
    const c = track(h.coord.joinGroup(joinRequest(), ctx(3, "c")));
    const rejoinA = track(joinStatic(h, "a", { memberId: a.memberId }));
    for (let t = 0; t < REBALANCE_MS; t += 5_000) {
      expect(await heartbeatStatic(h, "b", b.memberId, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
      await h.clock.advance(5_000);
    }
    expect(c.value.generationId).toBe(2);
    expect(rejoinA.value.members.map((m) => m.memberId)).toEqual([a.memberId, b.memberId, c.value.memberId]);
    expect(await heartbeatStatic(h, "b", b.memberId, 2)).toBe(ErrorCode.NONE);
  });

  it("removes a static member named by its group instance id alone (LeaveGroup v3+)", async () => {
    const h = await setup();
    const { b } = await staticGroup(h);
    const r = await h.coord.leaveGroup({ groupId: GROUP, members: [{ memberId: "", groupInstanceId: "b" }] }, ctx(4));
    expect(r.members).toEqual([{ memberId: "", groupInstanceId: "b", errorCode: ErrorCode.NONE }]);
    expect(await heartbeatStatic(h, "b", b.memberId, 1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const fenced = await h.coord.leaveGroup({ groupId: GROUP, members: [{ memberId: "wrong", groupInstanceId: "a" }] }, ctx(4));
    expect(fenced.members?.[0]?.errorCode).toBe(ErrorCode.FENCED_INSTANCE_ID);
  });
});
