import type { GroupStore, PersistedGroup, StoredOffset, TopicPartition } from "./group-store.js";

/** A {@link GroupStore} in memory, for tests and single-process setups. */
export interface MemoryGroupStore extends GroupStore {
  /** A copy of the stored group record, if any. */
  group(groupId: string): PersistedGroup | undefined;
}

const offsetKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

function copyGroup(group: PersistedGroup): PersistedGroup {
  return {
    ...group,
    members: group.members.map((m) => ({ ...m, subscription: m.subscription.slice(), assignment: m.assignment.slice() })),
  };
}

/** Creates an empty {@link MemoryGroupStore}. Values are copied in and out, as a real store would. */
export function createMemoryGroupStore(): MemoryGroupStore {
  const groups = new Map<string, PersistedGroup>();
  const offsets = new Map<string, Map<string, StoredOffset>>();

  return {
    group: (groupId) => {
      const g = groups.get(groupId);
      return g === undefined ? undefined : copyGroup(g);
    },
    loadGroups: async () => [...groups.values()].map(copyGroup),
    saveGroup: async (group) => {
      groups.set(group.groupId, copyGroup(group));
    },
    deleteGroup: async (groupId) => {
      groups.delete(groupId);
      offsets.delete(groupId);
    },
    commitOffsets: async (groupId, entries) => {
      let byPartition = offsets.get(groupId);
      if (byPartition === undefined) {
        byPartition = new Map();
        offsets.set(groupId, byPartition);
      }
      for (const e of entries) byPartition.set(offsetKey(e.topic, e.partition), { ...e });
    },
    fetchOffsets: async (groupId, topics) => {
      const wanted = topics === null ? null : new Set(topics);
      return [...(offsets.get(groupId)?.values() ?? [])]
        .filter((o) => wanted === null || wanted.has(o.topic))
        .map((o) => ({ ...o }));
    },
    deleteOffsets: async (groupId, partitions: readonly TopicPartition[]) => {
      const byPartition = offsets.get(groupId);
      if (byPartition === undefined) return;
      for (const p of partitions) byPartition.delete(offsetKey(p.topic, p.partition));
    },
  };
}
