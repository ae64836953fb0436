import { describe, expect, it } from "vitest";
import { createMemoryGroupStore } from "./memory-group-store.js";
import type { PersistedGroup } from "./group-store.js";

const group: PersistedGroup = {
  groupId: "g",
  state: "Stable",
  protocolType: "consumer",
  protocolName: "range",
  leaderId: "m",
  generationId: 3,
  members: [
    {
      memberId: "m",
      groupInstanceId: null,
      clientId: "c",
      clientHost: "/1.2.3.4",
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 20_000,
      subscription: new Uint8Array([1]),
      assignment: new Uint8Array([2]),
    },
  ],
};

const offset = (topic: string, partition: number, value: bigint) => ({
  topic,
  partition,
  offset: value,
  leaderEpoch: -1,
  metadata: "",
  committedAtMs: 0,
});

describe("createMemoryGroupStore()", () => {
  it("saves, loads and deletes groups with copies, not references", async () => {
    const store = createMemoryGroupStore();
    await store.saveGroup(group);
    const [loaded] = await store.loadGroups();
    expect(loaded).toEqual(group);
    expect(loaded?.members[0]?.assignment).not.toBe(group.members[0]?.assignment);
    await store.commitOffsets("g", [offset("t", 0, 1n)]);
    await store.deleteGroup("g");
    expect(await store.loadGroups()).toEqual([]);
    expect(await store.fetchOffsets("g", null)).toEqual([]);
  });

  it("replaces offsets per partition, fetches by topic or all, deletes by partition", async () => {
    const store = createMemoryGroupStore();
    await store.commitOffsets("g", [offset("t", 0, 1n), offset("t", 1, 2n), offset("u", 0, 3n)]);
    await store.commitOffsets("g", [offset("t", 0, 10n)]);
    expect((await store.fetchOffsets("g", ["t"])).map((o) => o.offset)).toEqual([10n, 2n]);
    await store.deleteOffsets("g", [{ topic: "t", partition: 1 }, { topic: "v", partition: 0 }]);
    expect((await store.fetchOffsets("g", null)).map((o) => `${o.topic}-${o.partition}`)).toEqual(["t-0", "u-0"]);
    expect(await store.fetchOffsets("other", null)).toEqual([]);
  });
});
