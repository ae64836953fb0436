import { DescribeGroupsResponse, ErrorCode, ListGroupsResponse } from "@kafscale/protocol";
import { describe, expect, it } from "vitest";
import { createMemoryGroupStore } from "../src/index.js";
import { GROUP, assignment, ctx, describe1, gatedStore, joinRequest, setup, stableGroup, subscription, track } from "./helpers.js";

describe("listGroups()", () => {
  it("lists every group with its protocol type and state, filtered by state (v4+) and type (v5)", async () => {
    const h = await setup();
    await stableGroup(h, 2);
    await h.coord.commitOffsets(
      { groupId: "manual", topics: [{ name: "t", partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: null }] }] },
      ctx(2),
    );
    track(h.coord.joinGroup(joinRequest({ groupId: "joining" }), ctx(3)));
    await h.clock.flush();

    const all = await h.coord.listGroups({}, ctx(5));
    expect(all).toEqual({
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      groups: [
        { groupId: GROUP, protocolType: "consumer", groupState: "Stable", groupType: "classic" },
        { groupId: "joining", protocolType: "consumer", groupState: "PreparingRebalance", groupType: "classic" },
        { groupId: "manual", protocolType: "", groupState: "Empty", groupType: "classic" },
      ],
    });
    for (let v = 0; v <= 5; v++) expect(() => ListGroupsResponse.encode(all, v)).not.toThrow();

    const stableOrEmpty = await h.coord.listGroups({ statesFilter: ["stable", "Empty"] }, ctx(4));
    expect(stableOrEmpty.groups.map((g) => g.groupId)).toEqual([GROUP, "manual"]);
    expect((await h.coord.listGroups({ typesFilter: ["consumer"] }, ctx(5))).groups).toEqual([]);
    expect((await h.coord.listGroups({ typesFilter: ["Classic"] }, ctx(5))).groups).toHaveLength(3);
  });
});

describe("describeGroups()", () => {
  it("describes a Stable group with members' metadata, assignments, client ids and hosts", async () => {
    const h = await setup();
    const [a, b] = await stableGroup(h, 2);
    const r = await h.coord.describeGroups({ groups: [GROUP, "unknown"], includeAuthorizedOperations: false }, ctx(5));
    expect(r.groups[0]).toEqual({
      errorCode: ErrorCode.NONE,
      groupId: GROUP,
      groupState: "Stable",
      protocolType: "consumer",
      protocolData: "range",
      members: [a!, b!].map((m, i) => ({
        memberId: m.memberId,
        groupInstanceId: null,
        clientId: `client-${i}`,
        clientHost: "/127.0.0.1",
        memberMetadata: subscription(["t"]),
        memberAssignment: assignment({ t: [i] }),
      })),
    });
    expect(r.groups[1]).toMatchObject({ errorCode: ErrorCode.NONE, groupId: "unknown", groupState: "Dead", members: [] });
    for (let v = 0; v <= 5; v++) expect(() => DescribeGroupsResponse.encode(r, v)).not.toThrow();
  });

  it("leaves out metadata and assignments while the group rebalances", async () => {
    const h = await setup();
    await stableGroup(h, 1);
    track(h.coord.joinGroup(joinRequest(), ctx(3)));
    await h.clock.flush();
    const g = await describe1(h);
    expect(g.groupState).toBe("PreparingRebalance");
    expect(g.protocolData).toBe("");
    expect(g.members).toHaveLength(2);
    for (const m of g.members) {
      expect(m.memberMetadata).toEqual(new Uint8Array(0));
      expect(m.memberAssignment).toEqual(new Uint8Array(0));
    }
  });
});

describe("deleteGroups()", () => {
  it("deletes empty groups with their offsets, refuses groups with members and unknown groups", async () => {
    const h = await setup();
    await stableGroup(h, 1);
    await h.coord.commitOffsets(
      { groupId: "manual", topics: [{ name: "t", partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: null }] }] },
      ctx(2),
    );
    const r = await h.coord.deleteGroups({ groupsNames: [GROUP, "manual", "unknown"] }, ctx(2));
    expect(r.results).toEqual([
      { groupId: GROUP, errorCode: ErrorCode.NON_EMPTY_GROUP },
      { groupId: "manual", errorCode: ErrorCode.NONE },
      { groupId: "unknown", errorCode: ErrorCode.GROUP_ID_NOT_FOUND },
    ]);
    expect(h.store.group("manual")).toBeUndefined();
    expect(await h.store.fetchOffsets("manual", null)).toEqual([]);
    expect((await describe1(h, "manual")).groupState).toBe("Dead");
    expect((await h.coord.listGroups({}, ctx(0))).groups.map((g) => g.groupId)).toEqual([GROUP]);
  });

  it("keeps the group (Empty) and answers the store's error when the store cannot delete", async () => {
    const store = gatedStore(createMemoryGroupStore());
    const h = await setup({ store });
    await h.coord.commitOffsets(
      { groupId: "manual", topics: [{ name: "t", partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: null }] }] },
      ctx(2),
    );
    store.hold();
    const deleting = track(h.coord.deleteGroups({ groupsNames: ["manual"] }, ctx(2)));
    await h.clock.flush();
    expect((await describe1(h, "manual")).groupState).toBe("Dead");
    expect((await h.coord.joinGroup(joinRequest({ groupId: "manual" }), ctx(3))).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    store.fail(new Error("etcd down"));
    await store.release();
    expect(deleting.value.results[0]?.errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect((await describe1(h, "manual")).groupState).toBe("Empty");
  });
});
