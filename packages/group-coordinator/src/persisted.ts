import { ClassicGroup } from "./group.js";
import type { PersistedGroup } from "./group-store.js";
import { GroupMember } from "./member.js";

const NO_BYTES = new Uint8Array(0);

/**
 * A snapshot of `group` for the store. `assignments`, when given, replaces the members'
 * assignments (the leader's SyncGroup is stored before it is applied).
 */
export function toPersistedGroup(group: ClassicGroup, assignments?: ReadonlyMap<string, Uint8Array>): PersistedGroup {
  const protocolName = group.protocolName ?? "";
  return {
    groupId: group.groupId,
    state: group.size > 0 ? "Stable" : "Empty",
    protocolType: group.protocolType ?? "",
    protocolName,
    leaderId: group.leaderId ?? "",
    generationId: group.generationId,
    members: [...group.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      sessionTimeoutMs: m.sessionTimeoutMs,
      rebalanceTimeoutMs: m.rebalanceTimeoutMs,
      subscription: m.metadataFor(protocolName) ?? NO_BYTES,
      assignment: assignments?.get(m.memberId) ?? m.assignment,
    })),
  };
}

/**
 * Rebuilds a group from the store, as Kafka does when it loads its offsets topic: Stable with
 * its members (each supporting only the selected protocol) when it has members, else Empty.
 * A record with members but no selected protocol cannot be Stable and is restored empty.
 */
export function restoreGroup(record: PersistedGroup): ClassicGroup {
  const group = new ClassicGroup(record.groupId);
  group.generationId = record.generationId;
  group.protocolType = record.protocolType === "" ? null : record.protocolType;
  const members = record.protocolName === "" ? [] : record.members;
  for (const m of members) {
    const member = new GroupMember({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      sessionTimeoutMs: m.sessionTimeoutMs,
      rebalanceTimeoutMs: m.rebalanceTimeoutMs,
      protocolType: record.protocolType,
      protocols: [{ name: record.protocolName, metadata: m.subscription }],
    });
    member.assignment = m.assignment;
    group.add(member);
  }
  if (group.size > 0) {
    group.protocolName = record.protocolName;
    if (group.has(record.leaderId)) group.leaderId = record.leaderId;
    group.state = "Stable";
  }
  group.subscribedTopics = group.computeSubscribedTopics();
  group.stored = true;
  return group;
}
