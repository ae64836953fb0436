import { create } from "@bufbuild/protobuf";
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import type { GroupStore, PersistedGroup, StoredOffset, TopicPartition } from "@kafscale/group-coordinator";
import {
  CommittedOffsetSchema,
  ConsumerGroupSchema,
  GroupMemberSchema,
  GroupState as ProtoGroupState,
  type MetadataStore,
} from "@kafscale/metadata";

const TO_PROTO: Record<string, ProtoGroupState> = {
  Empty: ProtoGroupState.EMPTY,
  PreparingRebalance: ProtoGroupState.PREPARING_REBALANCE,
  CompletingRebalance: ProtoGroupState.COMPLETING_REBALANCE,
  Stable: ProtoGroupState.STABLE,
  Dead: ProtoGroupState.DEAD,
};
const FROM_PROTO = new Map(Object.entries(TO_PROTO).map(([k, v]) => [v, k]));

/**
 * The group coordinator's persistence on the metadata store: `ConsumerGroup` records with their
 * members, and `CommittedOffset`s, under the reference design's keys. Writes are last-writer-wins
 * per group: this broker is the group's only coordinator.
 */
export class MetadataGroupStore implements GroupStore {
  constructor(private readonly metadata: MetadataStore) {}

  async loadGroups(): Promise<PersistedGroup[]> {
    const groups = await this.metadata.listGroups();
    return groups.map(({ value: g }) => ({
      groupId: g.groupId,
      state: (FROM_PROTO.get(g.state) ?? "Empty") as PersistedGroup["state"],
      protocolType: g.protocolType,
      protocolName: g.protocol,
      leaderId: g.leader,
      generationId: g.generationId,
      members: Object.entries(g.members).map(([memberId, m]) => ({
        memberId,
        groupInstanceId: m.groupInstanceId ?? null,
        clientId: m.clientId,
        clientHost: m.clientHost,
        sessionTimeoutMs: m.sessionTimeoutMs,
        rebalanceTimeoutMs: m.rebalanceTimeoutMs,
        subscription: m.subscriptions,
        assignment: m.assignments,
      })),
    }));
  }

  async saveGroup(group: PersistedGroup): Promise<void> {
    const now = timestampFromMs(Date.now());
    const record = create(ConsumerGroupSchema, {
      groupId: group.groupId,
      state: TO_PROTO[group.state] ?? ProtoGroupState.EMPTY,
      protocolType: group.protocolType,
      protocol: group.protocolName,
      leader: group.leaderId,
      generationId: group.generationId,
      rebalanceTimeoutMs: Math.max(0, ...group.members.map((m) => m.rebalanceTimeoutMs)),
      members: Object.fromEntries(
        group.members.map((m) => [
          m.memberId,
          create(GroupMemberSchema, {
            clientId: m.clientId,
            clientHost: m.clientHost,
            heartbeatAt: now,
            assignments: m.assignment,
            subscriptions: m.subscription,
            sessionTimeoutMs: m.sessionTimeoutMs,
            rebalanceTimeoutMs: m.rebalanceTimeoutMs,
            ...(m.groupInstanceId !== null ? { groupInstanceId: m.groupInstanceId } : {}),
          }),
        ]),
      ),
    });
    const current = await this.metadata.getGroup(group.groupId);
    await this.metadata.putGroup(record, current?.revision ?? 0);
  }

  async deleteGroup(groupId: string): Promise<void> {
    await this.metadata.deleteGroup(groupId);
  }

  async commitOffsets(groupId: string, offsets: readonly StoredOffset[]): Promise<void> {
    await this.metadata.commitOffsets(
      groupId,
      offsets.map((o) => ({
        topic: o.topic,
        partition: o.partition,
        offset: create(CommittedOffsetSchema, {
          offset: o.offset,
          metadata: o.metadata,
          committedAt: timestampFromMs(o.committedAtMs),
          leaderEpoch: o.leaderEpoch,
        }),
      })),
    );
  }

  async fetchOffsets(groupId: string, topics: readonly string[] | null): Promise<StoredOffset[]> {
    const entries = await this.metadata.fetchOffsets(groupId);
    const wanted = topics === null ? null : new Set(topics);
    return entries
      .filter((e) => wanted === null || wanted.has(e.topic))
      .map((e) => ({
        topic: e.topic,
        partition: e.partition,
        offset: e.value.offset,
        leaderEpoch: e.value.leaderEpoch,
        metadata: e.value.metadata,
        committedAtMs: e.value.committedAt === undefined ? 0 : Number(timestampMs(e.value.committedAt)),
      }));
  }

  async deleteOffsets(groupId: string, partitions: readonly TopicPartition[]): Promise<void> {
    const byTopic = new Map<string, number[]>();
    for (const p of partitions) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p.partition]);
    for (const [topic, ps] of byTopic) await this.metadata.deleteOffsets(groupId, topic, ps);
  }
}
