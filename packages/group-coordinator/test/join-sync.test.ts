import { ErrorCode, JoinGroupResponse, SyncGroupResponse } from "@kafscale/protocol";
import { describe, expect, it } from "vitest";
import { createMemoryGroupStore } from "../src/index.js";
import {
  GROUP,
  gatedStore,
  INITIAL_DELAY_MS,
  REBALANCE_MS,
  assignment,
  ctx,
  decodeAssignment,
  describe1,
  heartbeat,
  joinRequest,
  joinWithId,
  setup,
  stableGroup,
  subscription,
  track,
} from "./helpers.js";

describe("joinGroup() and syncGroup()", () => {
  it("runs one member through join and sync: leader of generation 1 after the initial delay", async () => {
    const h = await setup();
    const meta = subscription(["orders"]);
    const { memberId, response } = await joinWithId(h.coord, { protocols: [{ name: "range", metadata: meta }] });
    const join = track(response);
    await h.clock.advance(INITIAL_DELAY_MS - 1);
    expect(join.settled).toBe(false);
    expect((await describe1(h)).groupState).toBe("PreparingRebalance");
    await h.clock.advance(1);
    expect(join.settled).toBe(true);
    expect(join.value).toMatchObject({
      errorCode: ErrorCode.NONE,
      generationId: 1,
      protocolType: "consumer",
      protocolName: "range",
      leader: memberId,
      memberId,
    });
    expect(join.value.members).toEqual([{ memberId, groupInstanceId: null, metadata: meta }]);
    expect((await describe1(h)).groupState).toBe("CompletingRebalance");

    const bytes = assignment({ orders: [0, 1, 2] });
    const sync = await h.coord.syncGroup(
      { groupId: GROUP, generationId: 1, memberId, assignments: [{ memberId, assignment: bytes }] },
      ctx(5),
    );
    expect(sync.errorCode).toBe(ErrorCode.NONE);
    expect(sync.assignment).toEqual(bytes);
    expect(decodeAssignment(sync.assignment)).toEqual({ orders: [0, 1, 2] });
    expect((await describe1(h)).groupState).toBe("Stable");
  });

  it("answers both of two members at once; only the leader gets the member list", async () => {
    const h = await setup();
    const a = await joinWithId(h.coord, { protocols: [{ name: "range", metadata: subscription(["t"]) }] }, 5, "a");
    await h.clock.advance(50);
    const b = await joinWithId(h.coord, { protocols: [{ name: "range", metadata: subscription(["t", "u"]) }] }, 5, "b");
    const ja = track(a.response);
    const jb = track(b.response);
    await h.clock.advance(INITIAL_DELAY_MS * 2);
    expect(ja.settled && jb.settled).toBe(true);
    expect(ja.value.generationId).toBe(1);
    expect(jb.value.generationId).toBe(1);
    expect(ja.value.leader).toBe(a.memberId);
    expect(jb.value.leader).toBe(a.memberId);
    expect(ja.value.members.map((m) => m.memberId)).toEqual([a.memberId, b.memberId]);
    expect(ja.value.members[1]?.metadata).toEqual(subscription(["t", "u"]));
    expect(jb.value.members).toEqual([]);
    expect(a.memberId.startsWith("a-")).toBe(true);
  });

  it("extends the initial delay while new members keep arriving", async () => {
    const h = await setup();
    const a = track((await joinWithId(h.coord, {}, 5, "a")).response);
    await h.clock.advance(90);
    const b = track((await joinWithId(h.coord, {}, 5, "b")).response);
    await h.clock.advance(10); // first delay ends; b arrived, so wait one more delay
    expect(a.settled).toBe(false);
    await h.clock.advance(INITIAL_DELAY_MS);
    expect(a.settled && b.settled).toBe(true);
  });

  it("makes followers wait for the leader's SyncGroup and passes assignment bytes through untouched", async () => {
    const h = await setup();
    const joins = [];
    for (const c of ["a", "b", "c"]) joins.push(await joinWithId(h.coord, {}, 5, c));
    await h.clock.advance(INITIAL_DELAY_MS * 3);
    const responses = await Promise.all(joins.map((j) => j.response));
    expect(new Set(responses.map((r) => r.generationId))).toEqual(new Set([1]));
    const leader = responses[0] as JoinGroupResponse;
    expect(leader.members).toHaveLength(3);

    const follower1 = track(
      h.coord.syncGroup({ groupId: GROUP, generationId: 1, memberId: joins[1]!.memberId, assignments: [] }, ctx(3)),
    );
    const follower2 = track(
      h.coord.syncGroup({ groupId: GROUP, generationId: 1, memberId: joins[2]!.memberId, assignments: [] }, ctx(3)),
    );
    await h.clock.flush();
    expect(follower1.settled || follower2.settled).toBe(false);

    const bytes = leader.members.map((m, i) => assignment({ t: [i], u: [i * 10, i * 10 + 1] }, i));
    const leaderSync = await h.coord.syncGroup(
      {
        groupId: GROUP,
        generationId: 1,
        memberId: leader.memberId,
        assignments: leader.members.map((m, i) => ({ memberId: m.memberId, assignment: bytes[i]! })),
      },
      ctx(3),
    );
    await h.clock.flush();
    expect(leaderSync.assignment).toEqual(bytes[0]);
    expect(follower1.value.assignment).toEqual(bytes[1]);
    expect(follower2.value.assignment).toEqual(bytes[2]);
    expect(decodeAssignment(follower2.value.assignment)).toEqual({ t: [2], u: [20, 21] });
    // Byte-exact through the response codec too.
    const wire = SyncGroupResponse.decode(SyncGroupResponse.encode(follower1.value, 5), 5);
    expect(wire.assignment).toEqual(bytes[1]);
    expect(wire.protocolName).toBe("range");
    expect((await describe1(h)).groupState).toBe("Stable");
  });

  it("gives members the leader left out an empty assignment", async () => {
    const h = await setup();
    const a = await joinWithId(h.coord, {}, 5, "a");
    const b = await joinWithId(h.coord, {}, 5, "b");
    await h.clock.advance(INITIAL_DELAY_MS * 3);
    await Promise.all([a.response, b.response]);
    const syncB = h.coord.syncGroup({ groupId: GROUP, generationId: 1, memberId: b.memberId, assignments: [] }, ctx(5));
    await h.coord.syncGroup(
      { groupId: GROUP, generationId: 1, memberId: a.memberId, assignments: [{ memberId: a.memberId, assignment: assignment({ t: [0] }) }] },
      ctx(5),
    );
    expect((await syncB).assignment).toEqual(new Uint8Array(0));
  });

  it("rebalances when a member joins a Stable group; every member gets the new generation", async () => {
    const h = await setup();
    const [a, b] = await stableGroup(h, 2);
    const c = await joinWithId(h.coord, {}, 5, "c");
    const jc = track(c.response);
    await h.clock.flush();
    expect((await describe1(h)).groupState).toBe("PreparingRebalance");
    expect(await heartbeat(h, a!)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const ja = track(h.coord.joinGroup(joinRequest({ memberId: a!.memberId }), ctx(5)));
    await h.clock.flush();
    expect(ja.settled || jc.settled).toBe(false);
    const jb = track(h.coord.joinGroup(joinRequest({ memberId: b!.memberId }), ctx(5)));
    await h.clock.flush();
    // Everyone rejoined: the join phase ends without waiting for the rebalance timeout.
    expect(ja.settled && jb.settled && jc.settled).toBe(true);
    for (const j of [ja, jb, jc]) expect(j.value.generationId).toBe(2);
    expect(ja.value.leader).toBe(a!.memberId);
    expect(ja.value.members).toHaveLength(3);
    // The previous generation is gone.
    expect(await heartbeat(h, { memberId: a!.memberId, generationId: 1 })).toBe(ErrorCode.ILLEGAL_GENERATION);
  });

  it("answers a follower that rejoins a Stable group unchanged with the current generation, without a rebalance", async () => {
    const h = await setup();
    const [, b] = await stableGroup(h, 2);
    const again = await h.coord.joinGroup(joinRequest({ memberId: b!.memberId }), ctx(5));
    expect(again).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, members: [] });
    expect((await describe1(h)).groupState).toBe("Stable");
    const sync = await h.coord.syncGroup({ groupId: GROUP, generationId: 1, memberId: b!.memberId, assignments: [] }, ctx(5));
    expect(decodeAssignment(sync.assignment)).toEqual({ t: [1] });
  });

  it("rebalances when the leader rejoins a Stable group", async () => {
    const h = await setup();
    const [a] = await stableGroup(h, 2);
    track(h.coord.joinGroup(joinRequest({ memberId: a!.memberId }), ctx(5)));
    await h.clock.flush();
    expect((await describe1(h)).groupState).toBe("PreparingRebalance");
  });

  it("answers a parked follower SyncGroup REBALANCE_IN_PROGRESS when a rebalance starts first", async () => {
    const h = await setup();
    const a = await joinWithId(h.coord, {}, 5, "a");
    const b = await joinWithId(h.coord, {}, 5, "b");
    await h.clock.advance(INITIAL_DELAY_MS * 3);
    await Promise.all([a.response, b.response]);
    const syncB = track(h.coord.syncGroup({ groupId: GROUP, generationId: 1, memberId: b.memberId, assignments: [] }, ctx(5)));
    await h.coord.leaveGroup({ groupId: GROUP, members: [{ memberId: a.memberId, groupInstanceId: null }] }, ctx(3));
    await h.clock.flush();
    expect(syncB.value.errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
  });

  it("answers SyncGroup errors as Kafka does", async () => {
    const h = await setup();
    const sync = (over: { memberId: string; generationId: number; groupId?: string; protocolName?: string | null }, v = 5) =>
      h.coord.syncGroup({ groupId: GROUP, assignments: [], ...over }, ctx(v)).then((r) => r.errorCode);
    expect(await sync({ memberId: "nobody", generationId: 1 })).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const a = await joinWithId(h.coord, {}, 5, "a");
    expect(await sync({ memberId: "nobody", generationId: 0 })).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(await sync({ memberId: a.memberId, generationId: 0 })).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    await h.clock.advance(INITIAL_DELAY_MS);
    await a.response;
    expect(await sync({ memberId: a.memberId, generationId: 7 })).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(await sync({ memberId: a.memberId, generationId: 1, protocolName: "roundrobin" })).toBe(
      ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
    );
    expect(await sync({ memberId: a.memberId, generationId: 1, groupId: "" })).toBe(ErrorCode.INVALID_GROUP_ID);
    expect(await sync({ memberId: a.memberId, generationId: 1, protocolName: "range" })).toBe(ErrorCode.NONE);
  });

  it("removes members that do not send SyncGroup within the rebalance timeout, then rebalances", async () => {
    const h = await setup();
    const a = await joinWithId(h.coord, {}, 5, "a");
    const b = await joinWithId(h.coord, {}, 5, "b");
    await h.clock.advance(INITIAL_DELAY_MS * 3);
    await Promise.all([a.response, b.response]);
    const syncA = track(h.coord.syncGroup({ groupId: GROUP, generationId: 1, memberId: a.memberId, assignments: [] }, ctx(5)));
    await h.clock.flush();
    expect(syncA.settled).toBe(true); // the leader's own assignment is stored at once
    // b heartbeats (so its session holds) but never sends SyncGroup.
    for (let t = 0; t < REBALANCE_MS; t += 5_000) {
      expect(await heartbeat(h, { memberId: a.memberId, generationId: 1 })).toBe(ErrorCode.NONE);
      expect(await heartbeat(h, { memberId: b.memberId, generationId: 1 })).toBe(ErrorCode.NONE);
      await h.clock.advance(5_000);
    }
    const group = await describe1(h);
    expect(group.groupState).toBe("PreparingRebalance");
    expect(group.members.map((m) => m.memberId)).toEqual([a.memberId]);
    expect(await heartbeat(h, { memberId: b.memberId, generationId: 1 })).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it("sends everyone back to JoinGroup when the leader's assignment cannot be stored", async () => {
    const store = gatedStore(createMemoryGroupStore());
    const h = await setup({ store });
    const a = await joinWithId(h.coord, {}, 5, "a");
    const b = await joinWithId(h.coord, {}, 5, "b");
    await h.clock.advance(INITIAL_DELAY_MS * 3);
    await Promise.all([a.response, b.response]);
    const syncB = h.coord.syncGroup({ groupId: GROUP, generationId: 1, memberId: b.memberId, assignments: [] }, ctx(5));
    store.fail(new Error("etcd down"));
    const syncA = await h.coord.syncGroup({ groupId: GROUP, generationId: 1, memberId: a.memberId, assignments: [] }, ctx(5));
    expect(syncA.errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect((await syncB).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect((await describe1(h)).groupState).toBe("PreparingRebalance");
  });

  it("encodes every answer at every version of the API", async () => {
    const h = await setup();
    const [a] = await stableGroup(h, 2);
    for (let v = 0; v <= 9; v++) {
      const r = await h.coord.joinGroup(joinRequest({ memberId: "x", groupId: "other" }), ctx(v));
      expect(() => JoinGroupResponse.encode(r, v)).not.toThrow();
      expect(() => JoinGroupResponse.encode(a!.join, v)).not.toThrow();
    }
    for (let v = 0; v <= 5; v++) expect(() => SyncGroupResponse.encode(a!.sync, v)).not.toThrow();
  });
});
