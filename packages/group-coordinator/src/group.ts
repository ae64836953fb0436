import type { JoinGroupResponseMember } from "@kafscale/protocol";
import type { TimerHandle } from "./clock.js";
import { isValidTransition } from "./group-state.js";
import type { GroupState } from "./group-state.js";
import type { GroupMember, MemberProtocol } from "./member.js";
import { CONSUMER_PROTOCOL_TYPE, subscribedTopics } from "./subscriptions.js";

/**
 * One classic group and its members (Kafka's `GroupMetadata`): the data and the rules that depend
 * on nothing but the group. Transitions that involve timers, parked requests or the store live in
 * rebalance.ts, propagation.ts and membership.ts.
 */
export class ClassicGroup {
  state: GroupState = "Empty";
  generationId = 0;
  /** Protocol type of the members ("consumer" for consumers); null before the first member. */
  protocolType: string | null = null;
  /** The protocol selected for the current generation; null when there is none. */
  protocolName: string | null = null;
  leaderId: string | null = null;
  /** Members by member id, in the order they were added. */
  readonly members = new Map<string, GroupMember>();
  /** Member id of each static member, by group instance id. */
  readonly staticMembers = new Map<string, string>();
  /** Member ids handed out with MEMBER_ID_REQUIRED whose owners have not joined with them yet. */
  readonly pendingMembers = new Set<string>();
  /** Members of the current generation that have not sent SyncGroup yet. */
  readonly pendingSyncMembers = new Set<string>();
  /** True when a member joined during the initial delayed join, which then waits once more. */
  newMemberAdded = false;
  /** Set while the join phase is the initial delayed join: what is left of the rebalance timeout. */
  initialDelay: { readonly remainingMs: number } | null = null;
  /** Topics the members subscribed to in this generation; null when unknown (not "consumer"). */
  subscribedTopics: ReadonlySet<string> | null = null;
  /** Whether the store holds a record of this group. */
  stored = false;
  /** Serializes this group's store writes, so they land in the order they were made. */
  saveChain: Promise<unknown> = Promise.resolve();
  /** Store writes of this group not settled yet. */
  writesInFlight = 0;
  joinTimer: TimerHandle | undefined = undefined;
  syncTimer: TimerHandle | undefined = undefined;
  readonly pendingMemberTimers = new Map<string, TimerHandle>();
  private readonly protocolVotes = new Map<string, number>();

  constructor(readonly groupId: string) {}

  get size(): number {
    return this.members.size;
  }

  is(state: GroupState): boolean {
    return this.state === state;
  }

  has(memberId: string): boolean {
    return this.members.has(memberId);
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  /** Moves to `next`; throws on a transition Kafka does not allow (a coordinator bug). */
  transitionTo(next: GroupState): void {
    if (!isValidTransition(this.state, next)) {
      throw new Error(`group ${this.groupId} cannot move from ${this.state} to ${next}`);
    }
    this.state = next;
  }

  /** Whether a rebalance may start now. */
  canRebalance(): boolean {
    return isValidTransition(this.state, "PreparingRebalance");
  }

  add(member: GroupMember): void {
    if (member.groupInstanceId !== null) {
      if (this.staticMembers.has(member.groupInstanceId)) {
        throw new Error(`static member ${member.groupInstanceId} is already in group ${this.groupId}`);
      }
      this.staticMembers.set(member.groupInstanceId, member.memberId);
    }
    if (this.members.size === 0) this.protocolType = member.protocolType;
    if (this.leaderId === null) this.leaderId = member.memberId;
    this.members.set(member.memberId, member);
    this.countVotes(member.protocols, 1);
    this.pendingMembers.delete(member.memberId);
  }

  /** Removes a member or a pending member; a removed leader is replaced by the oldest member. */
  remove(memberId: string): GroupMember | undefined {
    const member = this.members.get(memberId);
    if (member !== undefined) {
      this.members.delete(memberId);
      this.countVotes(member.protocols, -1);
      if (member.groupInstanceId !== null && this.staticMembers.get(member.groupInstanceId) === memberId) {
        this.staticMembers.delete(member.groupInstanceId);
      }
    }
    if (this.leaderId === memberId) this.leaderId = this.members.keys().next().value ?? null;
    this.pendingMembers.delete(memberId);
    this.pendingSyncMembers.delete(memberId);
    return member;
  }

  /** Gives a static member a new member id, keeping its place, leadership and assignment. */
  replaceStaticMember(groupInstanceId: string, oldMemberId: string, newMemberId: string): GroupMember {
    const member = this.members.get(oldMemberId);
    if (member === undefined) throw new Error(`cannot replace unknown member ${oldMemberId}`);
    this.members.delete(oldMemberId);
    member.memberId = newMemberId;
    this.members.set(newMemberId, member);
    if (this.leaderId === oldMemberId) this.leaderId = newMemberId;
    this.staticMembers.set(groupInstanceId, newMemberId);
    if (this.pendingSyncMembers.delete(oldMemberId)) this.pendingSyncMembers.add(newMemberId);
    return member;
  }

  updateMember(
    member: GroupMember,
    protocols: readonly MemberProtocol[],
    rebalanceTimeoutMs: number,
    sessionTimeoutMs: number,
  ): void {
    this.countVotes(member.protocols, -1);
    member.protocols = protocols;
    this.countVotes(protocols, 1);
    member.rebalanceTimeoutMs = rebalanceTimeoutMs;
    member.sessionTimeoutMs = sessionTimeoutMs;
  }

  /** The member id a static member currently has. */
  currentStaticMemberId(groupInstanceId: string): string | undefined {
    return this.staticMembers.get(groupInstanceId);
  }

  /**
   * Whether a member with these protocols may join: any non-empty type and list when the group
   * is empty, otherwise the group's type and at least one protocol every member supports.
   */
  supportsProtocols(protocolType: string, protocolNames: readonly string[]): boolean {
    if (this.is("Empty")) return protocolType !== "" && protocolNames.length > 0;
    return (
      this.protocolType === protocolType &&
      protocolNames.some((name) => (this.protocolVotes.get(name) ?? 0) === this.members.size)
    );
  }

  /** Protocols every member supports. */
  candidateProtocols(): Set<string> {
    const all = new Set<string>();
    for (const [name, count] of this.protocolVotes) if (count === this.members.size) all.add(name);
    return all;
  }

  /**
   * The protocol for the next generation: among the protocols every member supports, each
   * member votes for its most preferred one and the most votes win (ties: the earliest vote).
   */
  selectProtocol(): string {
    const candidates = this.candidateProtocols();
    const votes = new Map<string, number>();
    for (const member of this.members.values()) {
      const vote = member.vote(candidates);
      if (vote !== undefined) votes.set(vote, (votes.get(vote) ?? 0) + 1);
    }
    let best: string | undefined;
    let bestVotes = 0;
    for (const [name, count] of votes) {
      if (count > bestVotes) {
        best = name;
        bestVotes = count;
      }
    }
    if (best === undefined) throw new Error(`group ${this.groupId} has no protocol all members support`);
    return best;
  }

  numAwaitingJoin(): number {
    let n = 0;
    for (const member of this.members.values()) if (member.isAwaitingJoin) n++;
    return n;
  }

  /** Every member has sent JoinGroup in this join phase and no MEMBER_ID_REQUIRED is outstanding. */
  hasAllMembersJoined(): boolean {
    return this.numAwaitingJoin() === this.members.size && this.pendingMembers.size === 0;
  }

  notYetRejoinedMembers(): GroupMember[] {
    return [...this.members.values()].filter((m) => !m.isAwaitingJoin);
  }

  /** The largest rebalance timeout of the members (0 without members). */
  rebalanceTimeoutMs(): number {
    let max = 0;
    for (const member of this.members.values()) max = Math.max(max, member.rebalanceTimeoutMs);
    return max;
  }

  /** Keeps the leader if it rejoined, else picks a member that did; false when none did. */
  maybeElectNewJoinedLeader(): boolean {
    if (this.leaderId === null) return false;
    if (this.members.get(this.leaderId)?.isAwaitingJoin === true) return true;
    for (const member of this.members.values()) {
      if (member.isAwaitingJoin) {
        this.leaderId = member.memberId;
        return true;
      }
    }
    return false;
  }

  /** Ends the join phase: the next generation, with a selected protocol, or Empty without members. */
  initNextGeneration(): void {
    this.generationId += 1;
    if (this.members.size > 0) {
      this.protocolName = this.selectProtocol();
      this.transitionTo("CompletingRebalance");
    } else {
      this.protocolName = null;
      this.transitionTo("Empty");
    }
    this.subscribedTopics = this.computeSubscribedTopics();
    this.pendingSyncMembers.clear();
  }

  /** The members as the leader's JoinGroup response lists them, with the selected protocol's metadata. */
  currentMemberMetadata(): JoinGroupResponseMember[] {
    const protocol = this.protocolName ?? "";
    return [...this.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: m.metadataFor(protocol) ?? new Uint8Array(0),
    }));
  }

  /** Whether a consumer of this generation subscribes to `topic`; false when unknown. */
  isSubscribedToTopic(topic: string): boolean {
    return this.subscribedTopics?.has(topic) ?? false;
  }

  /** Recomputes the subscribed topics from the members' metadata for the selected protocol. */
  computeSubscribedTopics(): ReadonlySet<string> | null {
    if (this.protocolType !== CONSUMER_PROTOCOL_TYPE) return null;
    if (this.members.size === 0) return new Set();
    if (this.protocolName === null) return null;
    const topics = new Set<string>();
    for (const member of this.members.values()) {
      const metadata = member.metadataFor(this.protocolName);
      const memberTopics = metadata === undefined ? null : subscribedTopics(metadata);
      if (memberTopics === null) return null;
      for (const t of memberTopics) topics.add(t);
    }
    return topics;
  }

  private countVotes(protocols: readonly MemberProtocol[], delta: number): void {
    for (const name of new Set(protocols.map((p) => p.name))) {
      const count = (this.protocolVotes.get(name) ?? 0) + delta;
      if (count === 0) this.protocolVotes.delete(name);
      else this.protocolVotes.set(name, count);
    }
  }
}
