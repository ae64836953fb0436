import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GroupStore, PersistedGroup, StoredOffset } from "./group-store.js";

/** What a backend gives the contract for one test: an empty store. */
export interface GroupStoreHarness {
  readonly store: GroupStore;
  /** Durable backends: the same data through a new store (as after a broker restart). */
  readonly reopen?: () => Promise<GroupStore>;
  readonly cleanup: () => Promise<void>;
}

const member = (memberId: string, groupInstanceId: string | null, assignment: number[]) => ({
  memberId,
  groupInstanceId,
  clientId: `client-${memberId}`,
  clientHost: "/10.0.0.1",
  sessionTimeoutMs: 10_000,
  rebalanceTimeoutMs: 20_000,
  subscription: Uint8Array.from([0, 1, 2]),
  assignment: Uint8Array.from(assignment),
});

const stable: PersistedGroup = {
  groupId: "orders-app",
  state: "Stable",
  protocolType: "consumer",
  protocolName: "cooperative-sticky",
  leaderId: "m-1",
  generationId: 7,
  members: [member("m-1", null, [1]), member("m-2", "static-2", [2, 2])],
};

const empty: PersistedGroup = { groupId: "idle", state: "Empty", protocolType: "consumer", protocolName: "", leaderId: "", generationId: 3, members: [] };

const offset = (topic: string, partition: number, value: bigint, metadata = ""): StoredOffset => ({
  topic,
  partition,
  offset: value,
  leaderEpoch: 4,
  metadata,
  committedAtMs: 1_700_000_000_000,
});

const key = (o: StoredOffset) => `${o.topic}/${o.partition}`;
const sorted = (offsets: StoredOffset[]) => [...offsets].sort((a, b) => key(a).localeCompare(key(b)));
const byId = (groups: PersistedGroup[]) => [...groups].sort((a, b) => a.groupId.localeCompare(b.groupId));

/** The behaviour every {@link GroupStore} must have; each backend's test calls this once. */
export function runGroupStoreContract(name: string, open: () => Promise<GroupStoreHarness>): void {
  describe(`GroupStore contract: ${name}`, () => {
    let harness: GroupStoreHarness;
    let store: GroupStore;
    beforeEach(async () => {
      harness = await open();
      store = harness.store;
    });
    afterEach(async () => harness.cleanup());

    it("saves, replaces and loads groups, members with their bytes and static ids", async () => {
      await store.saveGroup(stable);
      await store.saveGroup(empty);
      const loaded = byId(await store.loadGroups());
      expect(loaded).toEqual(byId([stable, empty]));
      expect(loaded.find((g) => g.groupId === stable.groupId)?.members[0]?.assignment).not.toBe(stable.members[0]?.assignment);
      const next = { ...stable, generationId: 8, leaderId: "m-2", members: [member("m-2", "static-2", [9])] };
      await store.saveGroup(next);
      expect(byId(await store.loadGroups())).toEqual(byId([next, empty]));
    });

    it("commits offsets replacing earlier ones per partition, fetches by topic or all", async () => {
      await store.commitOffsets("g", [offset("t", 0, 1n, "meta"), offset("t", 1, 2n), offset("u", 0, 3n)]);
      await store.commitOffsets("g", [offset("t", 0, 10n)]);
      expect(sorted(await store.fetchOffsets("g", ["t"]))).toEqual([offset("t", 0, 10n), offset("t", 1, 2n)]);
      expect(sorted(await store.fetchOffsets("g", null))).toEqual([offset("t", 0, 10n), offset("t", 1, 2n), offset("u", 0, 3n)]);
      expect(await store.fetchOffsets("g", ["none"])).toEqual([]);
      expect(await store.fetchOffsets("other", null)).toEqual([]);
    });

    it("deletes offsets by partition, ignoring partitions without a commit", async () => {
      await store.commitOffsets("g", [offset("t", 0, 1n), offset("t", 1, 2n), offset("u", 0, 3n)]);
      await store.deleteOffsets("g", [{ topic: "t", partition: 1 }, { topic: "v", partition: 0 }]);
      expect(sorted(await store.fetchOffsets("g", null)).map(key)).toEqual(["t/0", "u/0"]);
    });

    it("deleting a group removes its record and its offsets, and no other group's", async () => {
      await store.saveGroup(stable);
      await store.saveGroup(empty);
      await store.commitOffsets(stable.groupId, [offset("t", 0, 5n)]);
      await store.commitOffsets(empty.groupId, [offset("t", 0, 6n)]);
      await store.deleteGroup(stable.groupId);
      expect(await store.loadGroups()).toEqual([empty]);
      expect(await store.fetchOffsets(stable.groupId, null)).toEqual([]);
      expect(await store.fetchOffsets(empty.groupId, null)).toEqual([offset("t", 0, 6n)]);
    });

    it("commits 300 partitions at once (more than one etcd transaction holds)", async () => {
      const many = Array.from({ length: 300 }, (_, p) => offset("wide", p, BigInt(p * 10)));
      await store.commitOffsets("wide-group", many);
      expect(sorted(await store.fetchOffsets("wide-group", ["wide"]))).toEqual(sorted(many));
    });

    it("keeps group ids and topics with any characters apart", async () => {
      const odd = ["a/b", "a", "ä ö", "x".repeat(200)];
      for (const id of odd) await store.commitOffsets(id, [offset("t", 0, BigInt(id.length))]);
      for (const id of odd) expect((await store.fetchOffsets(id, null)).map((o) => o.offset)).toEqual([BigInt(id.length)]);
    });

    it("keeps groups and offsets across a reopen (durable backends)", async () => {
      if (harness.reopen === undefined) {
        expect(name).toMatch(/memory/); // only the in-memory store may skip durability
        return;
      }
      await store.saveGroup(stable);
      await store.commitOffsets(stable.groupId, [offset("t", 0, 42n, "m")]);
      const again = await harness.reopen();
      expect(await again.loadGroups()).toEqual([stable]);
      expect(await again.fetchOffsets(stable.groupId, null)).toEqual([offset("t", 0, 42n, "m")]);
    });
  });
}
