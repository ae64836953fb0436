import { ErrorCode } from "@kafscale/protocol";
import { describe, expect, it } from "vitest";
import {
  GROUP,
  INITIAL_DELAY_MS,
  REBALANCE_MS,
  SESSION_MS,
  ctx,
  describe1,
  heartbeat,
  joinRequest,
  joinWithId,
  setup,
  stableGroup,
  subscription,
  track,
} from "./helpers.js";

describe("joinGroup() member ids", () => {
  it("v4+: a dynamic member first gets MEMBER_ID_REQUIRED with an id made from its client id", async () => {
    const h = await setup();
    const first = await h.coord.joinGroup(joinRequest(), ctx(4, "rdkafka"));
    expect(first).toMatchObject({ errorCode: ErrorCode.MEMBER_ID_REQUIRED, generationId: -1, leader: "", members: [] });
    expect(first.memberId).toMatch(/^rdkafka-[0-9a-f-]{36}$/);
    const second = track(h.coord.joinGroup(joinRequest({ memberId: first.memberId }), ctx(4, "rdkafka")));
    await h.clock.advance(INITIAL_DELAY_MS);
    expect(second.value).toMatchObject({ errorCode: ErrorCode.NONE, memberId: first.memberId, generationId: 1 });
  });

  it("v0-3: a member joins directly and learns its id from the answer", async () => {
    const h = await setup();
    const join = track(h.coord.joinGroup(joinRequest(), ctx(3, "kafka-python")));
    await h.clock.advance(INITIAL_DELAY_MS);
    expect(join.value.errorCode).toBe(ErrorCode.NONE);
    expect(join.value.memberId).toMatch(/^kafka-python-/);
    expect(join.value.leader).toBe(join.value.memberId);
  });

  it("v0 uses the session timeout as the rebalance timeout", async () => {
    const h = await setup();
    const [a] = await stableGroup(h, 1);
    const b = track(h.coord.joinGroup(joinRequest({ sessionTimeoutMs: 7_000 }), ctx(0)));
    await h.clock.flush();
    expect(b.settled).toBe(false);
    // a never rejoins: the join phase ends after the largest rebalance timeout (a's 20 s, from v5).
    await h.clock.advance(REBALANCE_MS);
    expect(b.value.errorCode).toBe(ErrorCode.NONE);
    expect(b.value.members.map((m) => m.memberId)).toEqual([b.value.memberId]);
    expect(await heartbeat(h, a!)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it("forgets a MEMBER_ID_REQUIRED id that is not used within the session timeout", async () => {
    const h = await setup();
    const [a] = await stableGroup(h, 1);
    const pending = await h.coord.joinGroup(joinRequest(), ctx(5, "late"));
    expect(pending.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    const rejoin = track(h.coord.joinGroup(joinRequest({ memberId: a!.memberId }), ctx(5)));
    await h.clock.advance(SESSION_MS - 1);
    expect(rejoin.settled).toBe(false); // still waiting for the pending member
    await h.clock.advance(1);
    expect(rejoin.value).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2 });
    const late = await h.coord.joinGroup(joinRequest({ memberId: pending.memberId }), ctx(5, "late"));
    expect(late.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it("answers UNKNOWN_MEMBER_ID to a member id the group does not know", async () => {
    const h = await setup();
    expect((await h.coord.joinGroup(joinRequest({ memberId: "ghost" }), ctx(5))).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    await stableGroup(h, 1);
    expect((await h.coord.joinGroup(joinRequest({ memberId: "ghost" }), ctx(5))).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it("refuses session timeouts outside the configured range and empty group ids", async () => {
    const h = await setup({ minSessionTimeoutMs: 6_000, maxSessionTimeoutMs: 60_000 });
    const code = (over: Parameters<typeof joinRequest>[0]) => h.coord.joinGroup(joinRequest(over), ctx(5)).then((r) => r.errorCode);
    expect(await code({ sessionTimeoutMs: 5_999 })).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    expect(await code({ sessionTimeoutMs: 60_001 })).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    expect(await code({ groupId: "" })).toBe(ErrorCode.INVALID_GROUP_ID);
  });

  it("leaves no group behind for a refused first JoinGroup or an unused MEMBER_ID_REQUIRED id", async () => {
    const h = await setup();
    await h.coord.joinGroup(joinRequest({ groupId: "refused", protocols: [] }), ctx(5));
    await h.coord.joinGroup(joinRequest({ groupId: "probe" }), ctx(5));
    expect((await h.coord.listGroups({}, ctx(0))).groups.map((g) => g.groupId)).toEqual(["probe"]);
    await h.clock.advance(SESSION_MS);
    expect((await h.coord.listGroups({}, ctx(0))).groups).toEqual([]);
  });

  it("drops a new member whose JoinGroup waits longer than newMemberJoinTimeoutMs", async () => {
    const h = await setup({ newMemberJoinTimeoutMs: 15_000 });
    const [a] = await stableGroup(h, 1);
    const c = track(h.coord.joinGroup(joinRequest(), ctx(3, "c")));
    for (let t = 0; t < 15_000; t += 5_000) {
      await heartbeat(h, a!); // a stays alive but never rejoins
      await h.clock.advance(5_000);
    }
    expect(c.value).toMatchObject({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, memberId: "" });
  });

  it("refuses members beyond maxGroupSize with GROUP_MAX_SIZE_REACHED", async () => {
    const h = await setup({ maxGroupSize: 2 });
    await stableGroup(h, 2);
    const third = await h.coord.joinGroup(joinRequest(), ctx(5, "c"));
    expect(third).toMatchObject({ errorCode: ErrorCode.GROUP_MAX_SIZE_REACHED, memberId: "" });
    expect((await describe1(h)).members).toHaveLength(2);
  });
});

describe("joinGroup() protocol selection", () => {
  const proto = (...names: string[]) => names.map((name) => ({ name, metadata: subscription(["t"]) }));

  it("selects the protocol every member supports that most members prefer", async () => {
    const h = await setup();
    const joins = [
      await joinWithId(h.coord, { protocols: proto("roundrobin", "range") }, 5, "a"),
      await joinWithId(h.coord, { protocols: proto("roundrobin", "range") }, 5, "b"),
      await joinWithId(h.coord, { protocols: proto("range", "roundrobin") }, 5, "c"),
    ];
    await h.clock.advance(INITIAL_DELAY_MS * 3);
    for (const j of joins) expect((await j.response).protocolName).toBe("roundrobin");
  });

  it("only considers protocols every member supports", async () => {
    const h = await setup();
    const joins = [
      await joinWithId(h.coord, { protocols: proto("cooperative-sticky", "range") }, 5, "a"),
      await joinWithId(h.coord, { protocols: proto("cooperative-sticky", "range") }, 5, "b"),
      await joinWithId(h.coord, { protocols: proto("range") }, 5, "c"),
    ];
    await h.clock.advance(INITIAL_DELAY_MS * 3);
    for (const j of joins) expect((await j.response).protocolName).toBe("range");
  });

  it("answers INCONSISTENT_GROUP_PROTOCOL when a member shares no protocol or protocol type with the group", async () => {
    const h = await setup();
    await stableGroup(h, 1);
    const noShared = await h.coord.joinGroup(joinRequest({ protocols: proto("cooperative-sticky") }), ctx(5));
    expect(noShared.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const otherType = await h.coord.joinGroup(joinRequest({ protocolType: "connect" }), ctx(5));
    expect(otherType.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const none = await h.coord.joinGroup(joinRequest({ groupId: "fresh", protocols: [] }), ctx(5));
    expect(none.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  });
});

describe("heartbeat()", () => {
  it("answers according to the group's state", async () => {
    const h = await setup();
    expect(await heartbeat(h, { memberId: "m", generationId: 0 })).toBe(ErrorCode.UNKNOWN_MEMBER_ID);

    const a = await joinWithId(h.coord, {}, 5, "a");
    const b = await joinWithId(h.coord, {}, 5, "b");
    // PreparingRebalance
    expect(await heartbeat(h, { memberId: a.memberId, generationId: 0 })).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(await heartbeat(h, { memberId: a.memberId, generationId: 1 })).toBe(ErrorCode.ILLEGAL_GENERATION);
    await h.clock.advance(INITIAL_DELAY_MS * 3);
    await Promise.all([a.response, b.response]);
    // CompletingRebalance
    expect(await heartbeat(h, { memberId: b.memberId, generationId: 1 })).toBe(ErrorCode.NONE);
    expect(await heartbeat(h, { memberId: "ghost", generationId: 1 })).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    // Stable
    const syncB = h.coord.syncGroup({ groupId: GROUP, generationId: 1, memberId: b.memberId, assignments: [] }, ctx(5));
    await h.coord.syncGroup({ groupId: GROUP, generationId: 1, memberId: a.memberId, assignments: [] }, ctx(5));
    await syncB;
    expect(await heartbeat(h, { memberId: b.memberId, generationId: 1 })).toBe(ErrorCode.NONE);
    expect(await heartbeat(h, { memberId: b.memberId, generationId: 0 })).toBe(ErrorCode.ILLEGAL_GENERATION);
    // Empty, after everyone left
    await h.coord.leaveGroup(
      { groupId: GROUP, members: [a, b].map((m) => ({ memberId: m.memberId, groupInstanceId: null })) },
      ctx(3),
    );
    expect((await describe1(h)).groupState).toBe("Empty");
    expect(await heartbeat(h, { memberId: b.memberId, generationId: 1 })).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it("answers coordinator-level errors: NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE once closed", async () => {
    const h = await setup({ isCoordinatorFor: (g) => g !== "elsewhere" });
    const r = await h.coord.heartbeat({ groupId: "elsewhere", generationId: 1, memberId: "m" }, ctx(0));
    expect(r.errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    h.coord.close();
    expect(await heartbeat(h, { memberId: "m", generationId: 1 })).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  });
});

describe("session and rebalance timeouts", () => {
  it("keeps members that heartbeat, removes one that stops, and rebalances the rest", async () => {
    const h = await setup();
    const [a, b] = await stableGroup(h, 2);
    for (let t = 0; t < 3 * SESSION_MS; t += 3_000) {
      expect(await heartbeat(h, a!)).toBe(ErrorCode.NONE);
      expect(await heartbeat(h, b!)).toBe(ErrorCode.NONE);
      await h.clock.advance(3_000);
    }
    // b goes silent.
    await h.clock.advance(3_000);
    expect(await heartbeat(h, a!)).toBe(ErrorCode.NONE);
    await h.clock.advance(SESSION_MS - 3_000);
    expect(await heartbeat(h, a!)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(await heartbeat(h, b!)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const rejoin = await h.coord.joinGroup(joinRequest({ memberId: a!.memberId }), ctx(5));
    expect(rejoin).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2, leader: a!.memberId });
    expect(rejoin.members.map((m) => m.memberId)).toEqual([a!.memberId]);
  });

  it("drops members that do not rejoin within the rebalance timeout", async () => {
    const h = await setup();
    const [a, b] = await stableGroup(h, 2);
    const c = track((await joinWithId(h.coord, {}, 5, "c")).response);
    const ja = track(h.coord.joinGroup(joinRequest({ memberId: a!.memberId }), ctx(5)));
    // b keeps heartbeating but never rejoins.
    for (let t = 0; t < REBALANCE_MS - 1; t += 5_000) {
      expect(await heartbeat(h, b!)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
      await h.clock.advance(Math.min(5_000, REBALANCE_MS - 1 - t));
    }
    expect(ja.settled || c.settled).toBe(false);
    await h.clock.advance(1);
    expect(ja.value.generationId).toBe(2);
    expect(c.value.generationId).toBe(2);
    expect(ja.value.members.map((m) => m.memberId)).toEqual([a!.memberId, c.value.memberId]);
    expect(await heartbeat(h, b!)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it("does not expire a member while its JoinGroup or SyncGroup waits", async () => {
    const h = await setup();
    const [a, b] = await stableGroup(h, 2);
    // a rejoins (leader: rebalance) and waits for b, which keeps heartbeating until the timeout.
    const ja = track(h.coord.joinGroup(joinRequest({ memberId: a!.memberId }), ctx(5)));
    for (let t = 0; t < 2 * SESSION_MS; t += 5_000) {
      await heartbeat(h, b!);
      await h.clock.advance(5_000);
    }
    expect(ja.value.errorCode).toBe(ErrorCode.NONE);
  });
});

describe("leaveGroup()", () => {
  it("rebalances the remaining members when one leaves", async () => {
    const h = await setup();
    const [a, b] = await stableGroup(h, 2);
    const r = await h.coord.leaveGroup({ groupId: GROUP, memberId: b!.memberId }, ctx(0));
    expect(r.errorCode).toBe(ErrorCode.NONE);
    expect(await heartbeat(h, a!)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const rejoin = await h.coord.joinGroup(joinRequest({ memberId: a!.memberId }), ctx(5));
    expect(rejoin).toMatchObject({ generationId: 2, leader: a!.memberId });
  });

  it("makes the group Empty at a new generation, and stores it, when the last member leaves", async () => {
    const h = await setup();
    const [a] = await stableGroup(h, 1);
    await h.coord.leaveGroup({ groupId: GROUP, memberId: a!.memberId }, ctx(1));
    await h.clock.flush();
    expect((await describe1(h)).groupState).toBe("Empty");
    expect(h.store.group(GROUP)).toMatchObject({ state: "Empty", generationId: 2, members: [] });
  });

  it("v3+: removes several members with an error each; v0-2 carry the error at the top level", async () => {
    const h = await setup();
    const [a, b] = await stableGroup(h, 2);
    const batch = await h.coord.leaveGroup(
      {
        groupId: GROUP,
        members: [
          { memberId: a!.memberId, groupInstanceId: null, reason: "shutdown" },
          { memberId: "ghost", groupInstanceId: null },
        ],
      },
      ctx(5),
    );
    expect(batch.errorCode).toBe(ErrorCode.NONE);
    expect(batch.members).toEqual([
      { memberId: a!.memberId, groupInstanceId: null, errorCode: ErrorCode.NONE },
      { memberId: "ghost", groupInstanceId: null, errorCode: ErrorCode.UNKNOWN_MEMBER_ID },
    ]);
    const single = await h.coord.leaveGroup({ groupId: GROUP, memberId: "ghost" }, ctx(2));
    expect(single.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const unknownGroup = await h.coord.leaveGroup({ groupId: "nope", memberId: b!.memberId }, ctx(0));
    expect(unknownGroup.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it("lets a member leave before it used its MEMBER_ID_REQUIRED id", async () => {
    const h = await setup();
    const [a] = await stableGroup(h, 1);
    const pending = await h.coord.joinGroup(joinRequest(), ctx(5));
    const ja = track(h.coord.joinGroup(joinRequest({ memberId: a!.memberId }), ctx(5)));
    await h.clock.flush();
    expect(ja.settled).toBe(false);
    const left = await h.coord.leaveGroup(
      { groupId: GROUP, members: [{ memberId: pending.memberId, groupInstanceId: null }] },
      ctx(3),
    );
    expect(left.members?.[0]?.errorCode).toBe(ErrorCode.NONE);
    await h.clock.flush();
    expect(ja.value.generationId).toBe(2);
  });
});
