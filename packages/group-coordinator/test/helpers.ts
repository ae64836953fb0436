import { ConsumerProtocolAssignment, ConsumerProtocolSubscription, ErrorCode } from "@kafscale/protocol";
import type { JoinGroupRequest, JoinGroupResponse, SyncGroupResponse } from "@kafscale/protocol";
import { createGroupCoordinator, createManualClock, createMemoryGroupStore } from "../src/index.js";
import type {
  GroupCoordinator,
  GroupCoordinatorOptions,
  GroupStore,
  ManualClock,
  MemoryGroupStore,
  RequestContext,
} from "../src/index.js";

export const GROUP = "g";
export const SESSION_MS = 10_000;
export const REBALANCE_MS = 20_000;
export const INITIAL_DELAY_MS = 100;

export function ctx(apiVersion: number, clientId = "client"): RequestContext {
  return { apiVersion, clientId, clientHost: "/127.0.0.1" };
}

/** JoinGroup metadata of a consumer: INT16 version, then ConsumerProtocolSubscription. */
export function subscription(topics: string[], version = 1): Uint8Array {
  const body = ConsumerProtocolSubscription.encode({ topics, userData: null, ownedPartitions: [] }, version);
  return withVersion(version, body);
}

/** SyncGroup assignment of a consumer: INT16 version, then ConsumerProtocolAssignment. */
export function assignment(partitions: Record<string, number[]>, version = 1): Uint8Array {
  const assignedPartitions = Object.entries(partitions).map(([topic, ps]) => ({ topic, partitions: ps }));
  return withVersion(version, ConsumerProtocolAssignment.encode({ assignedPartitions, userData: null }, version));
}

export function decodeAssignment(bytes: Uint8Array): Record<string, number[]> {
  const version = new DataView(bytes.buffer, bytes.byteOffset).getInt16(0);
  const decoded = ConsumerProtocolAssignment.decode(bytes.subarray(2), version);
  return Object.fromEntries(decoded.assignedPartitions.map((tp) => [tp.topic, tp.partitions]));
}

function withVersion(version: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(2 + body.length);
  new DataView(out.buffer).setInt16(0, version);
  out.set(body, 2);
  return out;
}

export function joinRequest(over: Partial<JoinGroupRequest> = {}): JoinGroupRequest {
  return {
    groupId: GROUP,
    sessionTimeoutMs: SESSION_MS,
    rebalanceTimeoutMs: REBALANCE_MS,
    memberId: "",
    groupInstanceId: null,
    protocolType: "consumer",
    protocols: [{ name: "range", metadata: subscription(["t"]) }],
    ...over,
  };
}

export interface Harness {
  clock: ManualClock;
  store: MemoryGroupStore;
  coord: GroupCoordinator;
}

/** A started coordinator on a manual clock and a memory store. */
export async function setup(
  options: Partial<GroupCoordinatorOptions> = {},
  shared?: { clock?: ManualClock; store?: MemoryGroupStore },
): Promise<Harness> {
  const clock = shared?.clock ?? createManualClock(1_700_000_000_000);
  const store = shared?.store ?? createMemoryGroupStore();
  const coord = createGroupCoordinator({ store, clock, initialRebalanceDelayMs: INITIAL_DELAY_MS, ...options });
  await coord.start();
  return { clock, store, coord };
}

/** Follows a promise so a test can ask whether it has settled yet. */
export function track<T>(promise: Promise<T>): { readonly settled: boolean; readonly value: T; readonly promise: Promise<T> } {
  let settled = false;
  let value: T | undefined;
  promise.then(
    (v) => {
      settled = true;
      value = v;
    },
    () => {
      settled = true;
    },
  );
  return {
    get settled() {
      return settled;
    },
    get value() {
      if (!settled) throw new Error("not settled yet");
      return value as T;
    },
    promise,
  };
}

/**
 * Sends JoinGroup as a v4+ client does: with no member id first, then again with the id that
 * MEMBER_ID_REQUIRED handed out. Returns the (possibly parked) second answer.
 */
export async function joinWithId(
  coord: GroupCoordinator,
  over: Partial<JoinGroupRequest> = {},
  apiVersion = 5,
  clientId = "client",
): Promise<{ memberId: string; response: Promise<JoinGroupResponse> }> {
  const first = await coord.joinGroup(joinRequest({ ...over, memberId: "" }), ctx(apiVersion, clientId));
  if (first.errorCode !== ErrorCode.MEMBER_ID_REQUIRED) throw new Error(`expected MEMBER_ID_REQUIRED, got ${first.errorCode}`);
  return {
    memberId: first.memberId,
    response: coord.joinGroup(joinRequest({ ...over, memberId: first.memberId }), ctx(apiVersion, clientId)),
  };
}

export interface StableMember {
  memberId: string;
  generationId: number;
  join: JoinGroupResponse;
  sync: SyncGroupResponse;
}

/**
 * Brings `count` members into a Stable group: they join (v5), the initial delay passes, the
 * leader assigns partition i of "t" to member i, everyone syncs.
 */
export async function stableGroup(h: Harness, count: number, over: Partial<JoinGroupRequest> = {}): Promise<StableMember[]> {
  const joins: { memberId: string; response: Promise<JoinGroupResponse> }[] = [];
  for (let i = 0; i < count; i++) joins.push(await joinWithId(h.coord, over, 5, `client-${i}`));
  await h.clock.advance(INITIAL_DELAY_MS * (count + 1));
  const responses = await Promise.all(joins.map((j) => j.response));
  const leader = responses.find((r) => r.leader === r.memberId);
  if (leader === undefined) throw new Error("no leader");
  const assignments = leader.members.map((m, i) => ({ memberId: m.memberId, assignment: assignment({ t: [i] }) }));
  const syncs = responses.map((r) =>
    h.coord.syncGroup(
      {
        groupId: GROUP,
        generationId: r.generationId,
        memberId: r.memberId,
        groupInstanceId: over.groupInstanceId ?? null,
        assignments: r.memberId === leader.memberId ? assignments : [],
      },
      ctx(5),
    ),
  );
  const synced = await Promise.all(syncs);
  return responses.map((r, i) => ({ memberId: r.memberId, generationId: r.generationId, join: r, sync: synced[i] as SyncGroupResponse }));
}

export function heartbeat(h: Harness, m: { memberId: string; generationId: number }, apiVersion = 3): Promise<number> {
  return h.coord
    .heartbeat({ groupId: GROUP, generationId: m.generationId, memberId: m.memberId, groupInstanceId: null }, ctx(apiVersion))
    .then((r) => r.errorCode);
}

export async function describe1(h: Harness, groupId = GROUP) {
  const r = await h.coord.describeGroups({ groups: [groupId] }, ctx(5));
  const g = r.groups[0];
  if (g === undefined) throw new Error("no group described");
  return g;
}

/** A store whose operations can be held until the test lets them go. */
export function gatedStore(inner: GroupStore): GroupStore & { hold(): void; release(): Promise<void>; fail(err: Error | null): void } {
  let held: (() => void)[] | null = null;
  let failure: Error | null = null;
  const gate = async <T>(op: () => Promise<T>): Promise<T> => {
    if (held !== null) await new Promise<void>((resolve) => held?.push(resolve));
    if (failure !== null) throw failure;
    return op();
  };
  return {
    loadGroups: () => gate(() => inner.loadGroups()),
    saveGroup: (g) => gate(() => inner.saveGroup(g)),
    deleteGroup: (id) => gate(() => inner.deleteGroup(id)),
    commitOffsets: (id, o) => gate(() => inner.commitOffsets(id, o)),
    fetchOffsets: (id, t) => gate(() => inner.fetchOffsets(id, t)),
    deleteOffsets: (id, p) => gate(() => inner.deleteOffsets(id, p)),
    hold: () => {
      held ??= [];
    },
    release: async () => {
      const waiting = held ?? [];
      held = null;
      for (const resolve of waiting) resolve();
      await new Promise((r) => setImmediate(r));
    },
    fail: (err) => {
      failure = err;
    },
  };
}
