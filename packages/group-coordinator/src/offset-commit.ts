import { ErrorCode } from "@kafscale/protocol";
import type { OffsetCommitRequest, OffsetCommitResponse } from "@kafscale/protocol";
import type { RequestContext } from "./context.js";
import type { ClassicGroup } from "./group.js";
import type { StoredOffset } from "./group-store.js";
import { forgetIfUnused, validateCurrentMember } from "./membership.js";
import { partitionCodes } from "./partition-check.js";
import type { CoordinatorRuntime } from "./runtime.js";

const utf8 = new TextEncoder();

/**
 * OffsetCommit (Kafka's handleCommitOffsets). A commit naming a member (generation >= 0, a
 * member id or a group instance id) must come from a current member of the current generation:
 * UNKNOWN_MEMBER_ID / FENCED_INSTANCE_ID / ILLEGAL_GENERATION otherwise, REBALANCE_IN_PROGRESS
 * in CompletingRebalance. A "simple" commit (generation -1, member id "") is accepted only while
 * the group has no members, and creates the group when it does not exist. The answer comes after
 * the store has the offsets.
 */
export async function handleOffsetCommit(
  rt: CoordinatorRuntime,
  req: OffsetCommitRequest,
  ctx: RequestContext,
): Promise<OffsetCommitResponse> {
  const v = ctx.apiVersion;
  const codes = await partitionCodes(rt, req.topics);
  const respond = (): OffsetCommitResponse => ({
    throttleTimeMs: 0,
    topics: req.topics.map((t, i) => ({
      name: t.name,
      partitions: t.partitions.map((p, j) => ({ partitionIndex: p.partitionIndex, errorCode: codes[i]?.[j] ?? ErrorCode.NONE })),
    })),
  });
  const checked = checkCommit(
    rt,
    req.groupId,
    v >= 1 ? (req.generationIdOrMemberEpoch ?? -1) : -1,
    v >= 1 ? (req.memberId ?? "") : "",
    v >= 7 ? (req.groupInstanceId ?? null) : null,
  );
  if (checked.group === undefined) {
    for (const row of codes) row.forEach((c, j) => (row[j] = c === ErrorCode.NONE ? checked.errorCode : c));
    return respond();
  }
  const group = checked.group;

  // The last entry of a partition wins; the store gets each partition once.
  const now = rt.clock.now();
  const entries = new Map<string, StoredOffset>();
  const accepted: [number, number][] = [];
  req.topics.forEach((t, i) =>
    t.partitions.forEach((p, j) => {
      const row = codes[i];
      if (row === undefined || row[j] !== ErrorCode.NONE) return;
      const metadata = p.committedMetadata ?? "";
      if (utf8.encode(metadata).length > rt.config.maxOffsetMetadataBytes) {
        row[j] = ErrorCode.OFFSET_METADATA_TOO_LARGE;
        return;
      }
      entries.set(`${t.name}\u0000${p.partitionIndex}`, {
        topic: t.name,
        partition: p.partitionIndex,
        offset: p.committedOffset,
        leaderEpoch: v >= 6 ? (p.committedLeaderEpoch ?? -1) : -1,
        metadata,
        committedAtMs: now,
      });
      accepted.push([i, j]);
    }),
  );
  if (entries.size === 0) {
    forgetIfUnused(rt, group);
    return respond();
  }

  // A group created by a simple commit gets a record, so that it lists and loads like Kafka's.
  let code = group.stored ? ErrorCode.NONE : await rt.persist(group);
  if (code === ErrorCode.NONE) {
    try {
      await rt.enqueue(group, () => rt.store.commitOffsets(group.groupId, [...entries.values()]));
    } catch (err) {
      code = rt.storeError(err, group.groupId, "commitOffsets");
    }
  }
  if (code !== ErrorCode.NONE) {
    forgetIfUnused(rt, group);
    for (const [i, j] of accepted) {
      const row = codes[i];
      if (row !== undefined) row[j] = code;
    }
  }
  return respond();
}

function checkCommit(
  rt: CoordinatorRuntime,
  groupId: string,
  generationId: number,
  memberId: string,
  groupInstanceId: string | null,
): { errorCode: number; group?: ClassicGroup } {
  const status = rt.statusError(groupId);
  if (status !== ErrorCode.NONE) return { errorCode: status };
  let group = rt.groups.get(groupId);
  if (group === undefined) {
    // Without group management the commit creates the group; a member's commit for a group
    // that is gone comes from an older generation.
    if (generationId >= 0) return { errorCode: ErrorCode.ILLEGAL_GENERATION };
    group = rt.getOrCreateGroup(groupId);
  }
  if (group.is("Dead")) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE };
  if (generationId >= 0 || memberId !== "" || groupInstanceId !== null) {
    const memberError = validateCurrentMember(group, memberId, groupInstanceId);
    if (memberError !== ErrorCode.NONE) return { errorCode: memberError };
    if (generationId !== group.generationId) return { errorCode: ErrorCode.ILLEGAL_GENERATION };
  } else if (!group.is("Empty")) {
    // Only members may commit for a group that has members.
    return { errorCode: ErrorCode.UNKNOWN_MEMBER_ID };
  }
  switch (group.state) {
    case "Empty":
      return { errorCode: ErrorCode.NONE, group };
    case "Stable":
    case "PreparingRebalance": {
      // Commits are allowed while rebalancing; heartbeats tell the member to rejoin.
      const member = group.members.get(memberId);
      if (member !== undefined) rt.timers.resetSession(group, member);
      return { errorCode: ErrorCode.NONE, group };
    }
    case "CompletingRebalance":
      return { errorCode: ErrorCode.REBALANCE_IN_PROGRESS };
    case "Dead":
      return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE };
  }
}
