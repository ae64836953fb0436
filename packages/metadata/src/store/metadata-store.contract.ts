import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isMetadataError, RevisionConflictError, TopicExistsError, TopicNotFoundError } from "../errors.js";
import type { MetadataErrorCode } from "../errors.js";
import {
  SegmentInfoSchema,
  BrokerRegistrationSchema,
  CommittedOffsetSchema,
  ConsumerGroupSchema,
  GroupState,
  PartitionAssignmentSchema,
} from "../gen/kafscale/metadata/v1/metadata_pb.js";
import type { ManualClock } from "../manual-clock.js";
import type { KvStore } from "../kv/kv-store.js";
import { createMetadataStore } from "./metadata-store.js";
import type { MetadataStore } from "./metadata-store.js";
import type { TopicEvent } from "./watch-topics.js";

/** What a backend gives the typed-store contract for one test. */
export interface MetadataStoreHarness {
  /** An open, empty key-value store. */
  readonly kv: KvStore;
  /** Durable backends: closes the current store if still open and opens the same data again. */
  readonly reopen?: () => Promise<KvStore>;
  /** Closes whatever the harness opened and deletes whatever it created. */
  readonly cleanup: () => Promise<void>;
  /** Set when the backend runs on this manual clock (the typed store then uses it too). */
  readonly clock?: ManualClock;
}

/** Tuning for backends with coarse leases. */
export interface MetadataStoreContractOptions {
  /** Broker lease TTL the tests use (default 300 ms). */
  readonly leaseTtlMs?: number;
  /** The backend keeps data across a reopen: the restart test runs (its harness must give `reopen`). */
  readonly durable?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => e,
  );
}

async function expectCode(promise: Promise<unknown>, code: MetadataErrorCode): Promise<void> {
  const err = await caught(promise);
  expect(isMetadataError(err, code), `expected ${code}, got ${String(err)}`).toBe(true);
}

const offset = (n: bigint, metadata = "") => create(CommittedOffsetSchema, { offset: n, metadata, leaderEpoch: -1, committedAt: timestampFromMs(1_700_000_000_000) });

/**
 * The behaviour of {@link MetadataStore} over every {@link KvStore} backend. Call it from a
 * backend's test file with a function that opens a fresh, empty store per test.
 */
export function runMetadataStoreContract(
  name: string,
  open: () => Promise<MetadataStoreHarness>,
  options: MetadataStoreContractOptions = {},
): void {
  const ttl = options.leaseTtlMs ?? 300;

  describe(`MetadataStore contract: ${name}`, () => {
    let h: MetadataStoreHarness;
    let kv: KvStore;
    let store: MetadataStore;
    const storeOver = (k: KvStore) => createMetadataStore(k, h.clock === undefined ? {} : { clock: h.clock });
    const pass = (ms: number) => (h.clock !== undefined ? h.clock.advance(ms) : sleep(ms));

    beforeEach(async () => {
      h = await open();
      kv = h.kv;
      store = storeOver(kv);
    });
    afterEach(async () => {
      await h.cleanup();
    });

    describe("createTopic()", () => {
      it("writes only the config; every partition starts in the initial state at the creation revision", async () => {
        const { value, revision } = await store.createTopic({ name: "orders", partitions: 3, retentionMs: 604_800_000n, config: { "cleanup.policy": "delete" } });
        expect(value).toMatchObject({ name: "orders", partitions: 3, replicationFactor: 1, retentionMs: 604_800_000n, config: { "cleanup.policy": "delete" } });
        expect(value.topicId).toMatch(UUID);
        expect(value.createdAt).toBeDefined();
        expect(await store.getTopic("orders")).toEqual({ value, revision });
        const states = await store.listPartitionStates("orders");
        expect(states.map((s) => [s.value.topic, s.value.partition, s.value.leaderBroker, s.value.leaderEpoch, s.value.logEndOffset, s.revision])).toEqual([
          ["orders", 0, -1, 0, 0n, revision],
          ["orders", 1, -1, 0, 0n, revision],
          ["orders", 2, -1, 0, 0n, revision],
        ]);
        // Partition keys appear when first written (so a topic of any size is one small transaction).
        expect((await kv.range("/kafscale/topics/orders/")).map((k) => k.key)).toEqual(["/kafscale/topics/orders/config"]);
        expect(await store.getPartitionState("orders", 2)).toEqual(states[2]);
        expect(await store.getPartitionState("orders", 3)).toBeNull();
      });

      it("creates, grows, writes and deletes a topic of 1000 partitions (more than one etcd transaction may hold)", async () => {
        const { revision } = await store.createTopic({ name: "big", partitions: 1000 });
        const states = await store.listPartitionStates("big");
        expect(states.map((s) => s.value.partition)).toEqual(Array.from({ length: 1000 }, (_, p) => p));
        expect(states.every((s) => s.revision === revision && s.value.logEndOffset === 0n && s.value.leaderBroker === -1)).toBe(true);
        const last = states[999]!;
        const written = await store.putPartitionState({ ...last.value, logEndOffset: 7n }, last.revision);
        const grown = await store.addPartitions("big", 2000);
        const after = await store.listPartitionStates("big");
        expect(after).toHaveLength(2000);
        expect([after[999]!.value.logEndOffset, after[999]!.revision, after[1999]!.revision]).toEqual([7n, written, revision]);
        expect(grown.value.partitions).toBe(2000);
        await store.deleteTopic("big");
        expect(await store.listPartitionStates("big")).toEqual([]);
        expect(await kv.range("/kafscale/topics/big/")).toEqual([]);
      });

      it("keeps a given topic id and gives every other topic a new one", async () => {
        const given = "0b6f7a9e-3c1d-4e2f-9a8b-7c6d5e4f3a2b";
        expect((await store.createTopic({ name: "a", partitions: 1, topicId: given })).value.topicId).toBe(given);
        const b = (await store.createTopic({ name: "b", partitions: 1 })).value.topicId;
        const c = (await store.createTopic({ name: "c", partitions: 1 })).value.topicId;
        expect(new Set([given, b, c]).size).toBe(3);
      });

      it("throws TopicExistsError for an existing topic and leaves it as it was", async () => {
        const first = await store.createTopic({ name: "orders", partitions: 2 });
        const err = await caught(store.createTopic({ name: "orders", partitions: 5 }));
        expect(err).toBeInstanceOf(TopicExistsError);
        expect(err).toMatchObject({ code: "TOPIC_EXISTS", topic: "orders", message: 'topic "orders" already exists' });
        expect(await store.getTopic("orders")).toEqual(first);
        expect(await store.listPartitionStates("orders")).toHaveLength(2);
      });

      it("lets exactly one of 10 concurrent creates of one topic win", async () => {
        const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => store.createTopic({ name: "race", partitions: i + 1 })));
        const won = results.filter((r) => r.status === "fulfilled");
        expect(won).toHaveLength(1);
        expect(results.filter((r) => r.status === "rejected" && r.reason instanceof TopicExistsError)).toHaveLength(9);
        const partitions = (await store.getTopic("race"))!.value.partitions;
        expect(await store.listPartitionStates("race")).toHaveLength(partitions);
      });

      it.each([
        ["", "INVALID_TOPIC_NAME"],
        [".", "INVALID_TOPIC_NAME"],
        ["..", "INVALID_TOPIC_NAME"],
        ["a/b", "INVALID_TOPIC_NAME"],
        ["a b", "INVALID_TOPIC_NAME"],
        ["ü", "INVALID_TOPIC_NAME"],
        ["x".repeat(250), "INVALID_TOPIC_NAME"],
      ] as const)("refuses the topic name %j with %s", async (topic, code) => {
        await expectCode(store.createTopic({ name: topic, partitions: 1 }), code);
        await expectCode(store.getTopic(topic), code);
      });

      it("accepts every allowed character and 249-character names", async () => {
        await store.createTopic({ name: "Az09._-", partitions: 1 });
        await store.createTopic({ name: "x".repeat(249), partitions: 1 });
        expect((await store.listTopics()).map((t) => t.value.name)).toEqual(["Az09._-", "x".repeat(249)]);
      });

      it.each([0, -1, 1.5, Number.NaN])("refuses %s partitions (INVALID_ARGUMENT)", async (partitions) => {
        await expectCode(store.createTopic({ name: "t", partitions }), "INVALID_ARGUMENT");
      });
    });

    describe("getTopic() and listTopics()", () => {
      it("returns null for a missing topic", async () => {
        expect(await store.getTopic("missing")).toBeNull();
      });

      it("lists the configs (not the partitions) by name", async () => {
        for (const t of ["b", "a", "a.b", "a-b"]) await store.createTopic({ name: t, partitions: 2 });
        expect((await store.listTopics()).map((t) => t.value.name)).toEqual(["a", "a-b", "a.b", "b"]);
      });
    });

    describe("updateTopicConfig()", () => {
      it("replaces the config at the expected revision and refuses a stale one", async () => {
        const { value, revision } = await store.createTopic({ name: "t", partitions: 1 });
        const changed = { ...value, retentionMs: 1000n, config: { "cleanup.policy": "compact" } };
        const r2 = await store.updateTopicConfig(changed, revision);
        expect(r2).toBeGreaterThan(revision);
        expect(await store.getTopic("t")).toEqual({ value: changed, revision: r2 });
        const err = await caught(store.updateTopicConfig({ ...value, retentionMs: 5n }, revision));
        expect(err).toBeInstanceOf(RevisionConflictError);
        expect(err).toMatchObject({ code: "REVISION_CONFLICT", key: "/kafscale/topics/t/config", expectedRevision: revision });
        expect((await store.getTopic("t"))!.value.retentionMs).toBe(1000n);
      });

      it("refuses to change the topic id or the partition count", async () => {
        const { value, revision } = await store.createTopic({ name: "t", partitions: 1 });
        await expectCode(store.updateTopicConfig({ ...value, partitions: 2 }, revision), "INVALID_ARGUMENT");
        await expectCode(store.updateTopicConfig({ ...value, topicId: "00000000-0000-4000-8000-000000000000" }, revision), "INVALID_ARGUMENT");
      });

      it("throws TopicNotFoundError for a missing topic", async () => {
        const { value, revision } = await store.createTopic({ name: "t", partitions: 1 });
        await store.deleteTopic("t");
        expect(await caught(store.updateTopicConfig(value, revision))).toBeInstanceOf(TopicNotFoundError);
      });
    });

    describe("deleteTopic()", () => {
      it("removes config, partition states and assignments in one revision; offsets stay", async () => {
        await store.createTopic({ name: "orders", partitions: 3 });
        await store.createTopic({ name: "orders-eu", partitions: 1 });
        await store.putAssignment("orders", 1, create(PartitionAssignmentSchema, { brokerId: 1, epoch: 1 }), 0);
        await store.putAssignment("orders-eu", 0, create(PartitionAssignmentSchema, { brokerId: 1, epoch: 1 }), 0);
        await store.commitOffsets("g", [{ topic: "orders", partition: 0, offset: offset(5n) }]);
        const revision = await store.deleteTopic("orders");
        expect(await store.getTopic("orders")).toBeNull();
        expect(await store.listPartitionStates("orders")).toEqual([]);
        expect(await store.listAssignments("orders")).toEqual([]);
        expect(await kv.range("/kafscale/topics/orders/")).toEqual([]);
        expect((await store.fetchOffset("g", "orders", 0))!.value.offset).toBe(5n);
        expect((await store.listTopics()).map((t) => t.value.name)).toEqual(["orders-eu"]);
        expect(await store.listPartitionStates("orders-eu")).toHaveLength(1);
        expect(await store.listAssignments()).toHaveLength(1);
        expect(revision).toBeGreaterThan(0);
      });

      it("lets the topic be created again, with a new id", async () => {
        const first = await store.createTopic({ name: "t", partitions: 2 });
        await store.deleteTopic("t");
        const second = await store.createTopic({ name: "t", partitions: 1 });
        expect(second.value.topicId).not.toBe(first.value.topicId);
        expect(await store.listPartitionStates("t")).toHaveLength(1);
      });

      it("throws TopicNotFoundError for a missing topic and RevisionConflictError for a stale revision", async () => {
        expect(await caught(store.deleteTopic("missing"))).toBeInstanceOf(TopicNotFoundError);
        const { value, revision } = await store.createTopic({ name: "t", partitions: 1 });
        await store.updateTopicConfig({ ...value, retentionMs: 1n }, revision);
        expect(await caught(store.deleteTopic("t", revision))).toBeInstanceOf(RevisionConflictError);
        expect(await store.getTopic("t")).not.toBeNull();
      });
    });

    describe("addPartitions()", () => {
      it("grows the topic, creating only the new partitions", async () => {
        const { revision } = await store.createTopic({ name: "t", partitions: 2 });
        const p0 = (await store.getPartitionState("t", 0))!;
        await store.putPartitionState({ ...p0.value, logEndOffset: 42n, highWatermark: 42n }, p0.revision);
        const grown = await store.addPartitions("t", 5, revision);
        expect(grown.value.partitions).toBe(5);
        expect(await store.getTopic("t")).toEqual(grown);
        const states = await store.listPartitionStates("t");
        expect(states.map((s) => [s.value.partition, s.value.logEndOffset])).toEqual([[0, 42n], [1, 0n], [2, 0n], [3, 0n], [4, 0n]]);
        expect(states.slice(2).every((s) => s.revision === revision)).toBe(true); // never written: the topic's creation revision
        expect(grown.revision).toBeGreaterThan(revision);
      });

      it("refuses a stale revision, a count that does not grow, and a missing topic", async () => {
        const { revision } = await store.createTopic({ name: "t", partitions: 2 });
        await store.addPartitions("t", 3);
        expect(await caught(store.addPartitions("t", 4, revision))).toBeInstanceOf(RevisionConflictError);
        await expectCode(store.addPartitions("t", 3), "INVALID_ARGUMENT");
        await expectCode(store.addPartitions("t", 1), "INVALID_ARGUMENT");
        expect(await caught(store.addPartitions("missing", 4))).toBeInstanceOf(TopicNotFoundError);
        expect((await store.getTopic("t"))!.value.partitions).toBe(3);
      });
    });

    describe("partition states", () => {
      it("lists partitions in numeric order (not key order)", async () => {
        await store.createTopic({ name: "t", partitions: 12 });
        expect((await store.listPartitionStates("t")).map((s) => s.value.partition)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      });

      it("writes at the expected revision and returns the new one", async () => {
        await store.createTopic({ name: "t", partitions: 1 });
        const read = (await store.getPartitionState("t", 0))!;
        const state = { ...read.value, leaderBroker: 1, leaderEpoch: 1, logEndOffset: 10n, highWatermark: 10n };
        const revision = await store.putPartitionState(state, read.revision);
        expect(await store.getPartitionState("t", 0)).toEqual({ value: state, revision });
        expect(await store.getPartitionState("t", 1)).toBeNull();
      });

      it("lets exactly one of 10 concurrent writers with the same expected revision win", async () => {
        await store.createTopic({ name: "t", partitions: 1 });
        const read = (await store.getPartitionState("t", 0))!;
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) => store.putPartitionState({ ...read.value, logEndOffset: BigInt(i + 1) }, read.revision)),
        );
        const won = results.flatMap((r, i) => (r.status === "fulfilled" ? [i] : []));
        expect(won).toHaveLength(1);
        const losers = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
        expect(losers).toHaveLength(9);
        for (const l of losers) expect(l.reason).toMatchObject({ code: "REVISION_CONFLICT", key: "/kafscale/topics/t/partitions/0", expectedRevision: read.revision });
        expect((await store.getPartitionState("t", 0))!.value.logEndOffset).toBe(BigInt(won[0]! + 1));
      });

      it("fences a writer whose assignment changed (expectedAssignmentRevision)", async () => {
        await store.createTopic({ name: "t", partitions: 1 });
        const a1 = await store.putAssignment("t", 0, create(PartitionAssignmentSchema, { brokerId: 1, epoch: 1 }), 0);
        const read = (await store.getPartitionState("t", 0))!;
        const r1 = await store.putPartitionState({ ...read.value, logEndOffset: 1n }, read.revision, { expectedAssignmentRevision: a1 });
        await store.putAssignment("t", 0, create(PartitionAssignmentSchema, { brokerId: 2, epoch: 2 }), a1);
        const err = await caught(store.putPartitionState({ ...read.value, logEndOffset: 2n }, r1, { expectedAssignmentRevision: a1 }));
        expect(err).toMatchObject({ code: "REVISION_CONFLICT", key: "/kafscale/assignments/t/0" });
        expect((await store.getPartitionState("t", 0))!.value.logEndOffset).toBe(1n);
      });

      it("creates a missing partition key only for an existing topic and partition", async () => {
        await store.createTopic({ name: "t", partitions: 1 });
        const state = (await store.getPartitionState("t", 0))!.value;
        expect(await caught(store.putPartitionState({ ...state, topic: "missing" }, 0))).toBeInstanceOf(TopicNotFoundError);
        await expectCode(store.putPartitionState({ ...state, partition: 1 }, 0), "INVALID_ARGUMENT");
        await store.putPartitionState(state, 0);
        expect(await caught(store.putPartitionState(state, 0))).toBeInstanceOf(RevisionConflictError);
      });

      it("refuses a writer holding a revision from before the topic was deleted and created again", async () => {
        await store.createTopic({ name: "t", partitions: 2 });
        const stale0 = (await store.getPartitionState("t", 0))!;
        const stale1 = (await store.getPartitionState("t", 1))!;
        await store.deleteTopic("t");
        const again = await store.createTopic({ name: "t", partitions: 2 });
        expect(await caught(store.putPartitionState({ ...stale0.value, logEndOffset: 5n }, stale0.revision))).toBeInstanceOf(RevisionConflictError);
        expect(await caught(store.updateSegments({ ...stale1.value, logEndOffset: 5n }, stale1.revision, {}))).toBeInstanceOf(RevisionConflictError);
        const fresh = (await store.getPartitionState("t", 0))!;
        expect([fresh.revision, fresh.value.logEndOffset]).toEqual([again.revision, 0n]);
        await store.putPartitionState({ ...fresh.value, logEndOffset: 5n }, fresh.revision);
      });

      it("lets a write of a never-written partition race a change of the topic's config", async () => {
        const created = await store.createTopic({ name: "t", partitions: 1 });
        const p0 = (await store.getPartitionState("t", 0))!;
        await store.updateTopicConfig({ ...created.value, retentionMs: 1n }, created.revision);
        const revision = await store.putPartitionState({ ...p0.value, logEndOffset: 3n }, p0.revision);
        expect(await store.getPartitionState("t", 0)).toEqual({ value: { ...p0.value, logEndOffset: 3n }, revision });
      });
    });

    describe("segments", () => {
      const seg = (base: bigint, last: bigint) => create(SegmentInfoSchema, { baseOffset: base, lastOffset: last, sizeBytes: 100n, messageCount: 1 });

      it("adds segments with the partition's state in one conditional write, and lists them in offset order", async () => {
        await store.createTopic({ name: "t", partitions: 2 });
        let p0 = (await store.getPartitionState("t", 0))!;
        let rev = await store.updateSegments({ ...p0.value, logEndOffset: 10n }, p0.revision, { add: [seg(0n, 9n)] });
        rev = await store.updateSegments({ ...p0.value, logEndOffset: 10_000_000_000n }, rev, { add: [seg(10n, 9_999_999_999n)] });
        rev = await store.updateSegments({ ...p0.value, logEndOffset: 10_000_000_100n }, rev, { add: [seg(10_000_000_000n, 10_000_000_099n)] });
        expect((await store.listSegments("t", 0)).map((s) => s.baseOffset)).toEqual([0n, 10n, 10_000_000_000n]);
        expect(await store.listSegments("t", 1)).toEqual([]);
        p0 = (await store.getPartitionState("t", 0))!;
        expect([p0.value.logEndOffset, p0.revision]).toEqual([10_000_000_100n, rev]);
      });

      it("refuses a stale revision and then changes nothing", async () => {
        await store.createTopic({ name: "t", partitions: 1 });
        const p0 = (await store.getPartitionState("t", 0))!;
        await store.updateSegments({ ...p0.value, logEndOffset: 5n }, p0.revision, { add: [seg(0n, 4n)] });
        await expect(store.updateSegments({ ...p0.value, logEndOffset: 9n }, p0.revision, { add: [seg(5n, 8n)] })).rejects.toBeInstanceOf(RevisionConflictError);
        expect((await store.listSegments("t", 0)).map((s) => s.baseOffset)).toEqual([0n]);
        expect((await store.getPartitionState("t", 0))!.value.logEndOffset).toBe(5n);
      });

      it("removes segments, and deleteTopic removes them all", async () => {
        await store.createTopic({ name: "t", partitions: 1 });
        await store.createTopic({ name: "t2", partitions: 1 });
        const p0 = (await store.getPartitionState("t", 0))!;
        let rev = await store.updateSegments(p0.value, p0.revision, { add: [seg(0n, 4n), seg(5n, 8n)] });
        rev = await store.updateSegments({ ...p0.value, logStartOffset: 5n }, rev, { remove: [0n] });
        expect((await store.listSegments("t", 0)).map((s) => s.baseOffset)).toEqual([5n]);
        const q0 = (await store.getPartitionState("t2", 0))!;
        await store.updateSegments(q0.value, q0.revision, { add: [seg(0n, 1n)] });
        await store.deleteTopic("t");
        expect(await kv.range("/kafscale/segments/t/")).toEqual([]);
        expect((await store.listSegments("t2", 0)).map((s) => s.baseOffset)).toEqual([0n]);
      });

      it("removes more segments at once than one transaction holds, and refuses too many additions", async () => {
        await store.createTopic({ name: "t", partitions: 1 });
        const p0 = (await store.getPartitionState("t", 0))!;
        let rev = p0.revision;
        for (let base = 0n; base < 300n; base += 100n) {
          rev = await store.updateSegments({ ...p0.value, logEndOffset: base + 100n }, rev, { add: Array.from({ length: 100 }, (_, i) => seg(base + BigInt(i), base + BigInt(i))) });
        }
        expect(await store.listSegments("t", 0)).toHaveLength(300);
        const removed = Array.from({ length: 299 }, (_, i) => BigInt(i));
        rev = await store.updateSegments({ ...p0.value, logStartOffset: 299n, logEndOffset: 301n }, rev, { remove: removed, add: [seg(300n, 300n)] });
        expect((await store.listSegments("t", 0)).map((s) => s.baseOffset)).toEqual([299n, 300n]);
        expect(await store.getPartitionState("t", 0)).toMatchObject({ revision: rev, value: { logStartOffset: 299n } });
        const tooMany = Array.from({ length: 128 }, (_, i) => seg(1000n + BigInt(i), 1000n + BigInt(i)));
        await expectCode(store.updateSegments(p0.value, rev, { add: tooMany }), "INVALID_ARGUMENT");
      });
    });

    describe("assignments", () => {
      it("puts, gets and lists assignments by topic and partition, revision-checked", async () => {
        await store.createTopic({ name: "b", partitions: 2 });
        await store.createTopic({ name: "a", partitions: 1 });
        const assignment = create(PartitionAssignmentSchema, { brokerId: 7, epoch: 3, assignedAt: timestampFromMs(1_700_000_000_000) });
        const r = await store.putAssignment("b", 1, assignment, 0);
        await store.putAssignment("b", 0, assignment, 0);
        await store.putAssignment("a", 0, assignment, 0);
        expect(await store.getAssignment("b", 1)).toEqual({ value: assignment, revision: r });
        expect((await store.listAssignments()).map((e) => [e.topic, e.partition])).toEqual([["a", 0], ["b", 0], ["b", 1]]);
        expect(await caught(store.putAssignment("b", 1, assignment, 0))).toBeInstanceOf(RevisionConflictError);
        expect(await caught(store.putAssignment("missing", 0, assignment, 0))).toBeInstanceOf(TopicNotFoundError);
      });
    });

    describe("offsets", () => {
      const ids = ["plain", "a/b", "a", "a/offsets/t", "a%2Fb", "100%", "späti-ümlaut", "日本語/グループ", "emoji 😀", " spaced ", ""];

      it("keeps offsets of groups with '/', '%', unicode and empty ids apart", async () => {
        for (const [i, id] of ids.entries()) {
          await store.commitOffsets(id, [{ topic: "t", partition: 0, offset: offset(BigInt(i), id) }]);
        }
        for (const [i, id] of ids.entries()) {
          const fetched = await store.fetchOffsets(id);
          expect(fetched.map((o) => [o.topic, o.partition, o.value.offset, o.value.metadata])).toEqual([["t", 0, BigInt(i), id]]);
          expect((await store.fetchOffset(id, "t", 0))!.value.offset).toBe(BigInt(i));
        }
        expect(await store.listCommittedOffsetGroups()).toEqual([...ids].sort());
      });

      it("encodes group ids so no key holds a raw '/' from an id", async () => {
        await store.commitOffsets("a/b", [{ topic: "t", partition: 3, offset: offset(1n) }]);
        await store.putGroup(create(ConsumerGroupSchema, { groupId: "a/b" }), 0);
        expect((await kv.range("/kafscale/consumers/")).map((k) => k.key)).toEqual([
          "/kafscale/consumers/a%2Fb/metadata",
          "/kafscale/consumers/a%2Fb/offsets/t/3",
        ]);
      });

      it("returns null for a partition the group never committed", async () => {
        expect(await store.fetchOffset("never", "t", 0)).toBeNull();
        expect(await store.fetchOffsets("never")).toEqual([]);
      });

      it("commits many partitions in one revision and fetches them by topic and partition", async () => {
        const revision = await store.commitOffsets("g", [
          { topic: "b", partition: 10, offset: offset(3n) },
          { topic: "b", partition: 2, offset: offset(2n) },
          { topic: "a", partition: 0, offset: offset(1n) },
          { topic: "b", partition: 2, offset: offset(9n) },
        ]);
        const all = await store.fetchOffsets("g");
        expect(all.map((o) => [o.topic, o.partition, o.value.offset, o.revision])).toEqual([
          ["a", 0, 1n, revision],
          ["b", 2, 9n, revision],
          ["b", 10, 3n, revision],
        ]);
        expect((await store.fetchOffsets("g", "b")).map((o) => o.partition)).toEqual([2, 10]);
        expect(await store.fetchOffsets("g", "c")).toEqual([]);
      });

      it("commits and deletes the offsets of more partitions than one transaction holds", async () => {
        const commits = Array.from({ length: 300 }, (_, p) => ({ topic: "t", partition: p, offset: offset(BigInt(p)) }));
        await store.commitOffsets("g", commits, { expectedGroupRevision: 0 });
        const fetched = await store.fetchOffsets("g");
        expect(fetched.map((o) => [o.partition, o.value.offset])).toEqual(commits.map((c) => [c.partition, c.offset.offset]));
        await store.deleteOffsets("g", "t", Array.from({ length: 300 }, (_, p) => p));
        expect(await store.fetchOffsets("g")).toEqual([]);
      });

      it("deletes the offsets of some partitions", async () => {
        await store.commitOffsets("g", [0, 1, 2].map((p) => ({ topic: "t", partition: p, offset: offset(BigInt(p)) })));
        await store.commitOffsets("g", [{ topic: "u", partition: 1, offset: offset(1n) }]);
        await store.deleteOffsets("g", "t", [0, 2, 5]);
        expect((await store.fetchOffsets("g")).map((o) => [o.topic, o.partition])).toEqual([["t", 1], ["u", 1]]);
        await store.deleteOffsets("g", "t", [1]);
        await store.deleteOffsets("g", "u", [1]);
        expect(await store.listCommittedOffsetGroups()).toEqual([]);
      });

      it("refuses a commit when the group metadata moved on (expectedGroupRevision)", async () => {
        const r = await store.putGroup(create(ConsumerGroupSchema, { groupId: "g", generationId: 1 }), 0);
        await store.commitOffsets("g", [{ topic: "t", partition: 0, offset: offset(1n) }], { expectedGroupRevision: r });
        await store.putGroup(create(ConsumerGroupSchema, { groupId: "g", generationId: 2 }), r);
        const err = await caught(store.commitOffsets("g", [{ topic: "t", partition: 0, offset: offset(2n) }], { expectedGroupRevision: r }));
        expect(err).toMatchObject({ code: "REVISION_CONFLICT", key: "/kafscale/consumers/g/metadata" });
        expect((await store.fetchOffset("g", "t", 0))!.value.offset).toBe(1n);
      });
    });

    describe("groups", () => {
      const group = (groupId: string, generationId = 1) =>
        create(ConsumerGroupSchema, { groupId, state: GroupState.STABLE, protocolType: "consumer", protocol: "range", generationId });

      it("creates with revision 0, updates at the read revision, refuses stale writes", async () => {
        const r1 = await store.putGroup(group("g/1"), 0);
        expect(await store.getGroup("g/1")).toEqual({ value: group("g/1"), revision: r1 });
        expect(await caught(store.putGroup(group("g/1"), 0))).toBeInstanceOf(RevisionConflictError);
        const r2 = await store.putGroup(group("g/1", 2), r1);
        expect(await caught(store.putGroup(group("g/1", 3), r1))).toBeInstanceOf(RevisionConflictError);
        expect(await store.getGroup("g/1")).toEqual({ value: group("g/1", 2), revision: r2 });
        expect(await store.getGroup("missing")).toBeNull();
      });

      it("lists groups with metadata by id", async () => {
        for (const id of ["b", "a/x", "a", "ä"]) await store.putGroup(group(id), 0);
        await store.commitOffsets("offsets-only", [{ topic: "t", partition: 0, offset: offset(1n) }]);
        expect((await store.listGroups()).map((g) => g.value.groupId)).toEqual(["a", "a/x", "b", "ä"]);
      });

      it("deletes a group's metadata and offsets, and nothing of other groups", async () => {
        for (const id of ["g", "g/x", "g2"]) {
          await store.putGroup(group(id), 0);
          await store.commitOffsets(id, [{ topic: "t", partition: 0, offset: offset(1n) }]);
        }
        await store.deleteGroup("g");
        expect(await store.getGroup("g")).toBeNull();
        expect(await store.fetchOffsets("g")).toEqual([]);
        expect((await store.listGroups()).map((g) => g.value.groupId)).toEqual(["g/x", "g2"]);
        expect(await store.listCommittedOffsetGroups()).toEqual(["g/x", "g2"]);
        await store.deleteGroup("never-existed");
      });

      it("deletes only at the expected revision when one is given", async () => {
        const r1 = await store.putGroup(group("g"), 0);
        await store.putGroup(group("g", 2), r1);
        expect(await caught(store.deleteGroup("g", r1))).toBeInstanceOf(RevisionConflictError);
        expect(await store.getGroup("g")).not.toBeNull();
      });
    });

    describe("brokers", () => {
      const registration = (brokerId: number) =>
        create(BrokerRegistrationSchema, { brokerId, host: `broker-${brokerId}`, port: 9092, version: "0.1.0", startedAt: timestampFromMs(1_700_000_000_000) });

      it("registers brokers under leases, lists them by id, removes them on close()", async () => {
        const b2 = await store.registerBroker(registration(2), ttl);
        const b1 = await store.registerBroker(registration(1), ttl);
        expect((await store.listBrokers()).map((b) => [b.value.brokerId, b.value.host])).toEqual([[1, "broker-1"], [2, "broker-2"]]);
        expect((await kv.get("/kafscale/brokers/1"))!.leaseId).toBe(b1.leaseId);
        await b1.close();
        expect((await store.listBrokers()).map((b) => b.value.brokerId)).toEqual([2]);
        await b2.close();
        expect(await store.listBrokers()).toEqual([]);
      });

      it("refuses a second live registration of one id (BROKER_ID_IN_USE)", async () => {
        const b = await store.registerBroker(registration(1), ttl);
        await expectCode(store.registerBroker(registration(1), ttl), "BROKER_ID_IN_USE");
        await b.close();
        const again = await store.registerBroker(registration(1), ttl);
        await again.close();
      });

      it("keeps the registration alive over many TTLs", async () => {
        const b = await store.registerBroker(registration(1), ttl);
        for (let i = 0; i < 8; i++) await pass(ttl / 2);
        expect(b.alive).toBe(true);
        expect(await store.listBrokers()).toHaveLength(1);
        await b.close();
      });

      it("reports a lost lease through onLost", async () => {
        let lost: unknown;
        const b = await store.registerBroker(registration(1), ttl, { onLost: (err) => (lost = err) });
        await kv.revokeLease(b.leaseId); // as if the lease had expired during a long pause
        expect(await store.listBrokers()).toEqual([]);
        for (let i = 0; i < 20 && lost === undefined; i++) await pass(ttl / 2);
        expect(isMetadataError(lost, "LEASE_NOT_FOUND")).toBe(true);
        expect(b.alive).toBe(false);
        await b.close();
      });

      it("stops its keepalives and reports the loss when the store closes", async () => {
        let lost: unknown;
        const b = await store.registerBroker(registration(1), ttl, { onLost: (err) => (lost = err) });
        await kv.close();
        for (let i = 0; i < 20 && lost === undefined; i++) await pass(ttl / 2);
        expect(isMetadataError(lost, "CLOSED")).toBe(true);
        expect(b.alive).toBe(false);
        await b.close();
      });
    });

    describe("watchTopics()", () => {
      it("reports topics created, changed and deleted, and nothing else", async () => {
        const events: TopicEvent[] = [];
        const stop = await store.watchTopics((e) => events.push(e));
        const created = await store.createTopic({ name: "t", partitions: 2 });
        const p0 = (await store.getPartitionState("t", 0))!;
        await store.putPartitionState({ ...p0.value, logEndOffset: 5n }, p0.revision);
        await store.commitOffsets("g", [{ topic: "t", partition: 0, offset: offset(1n) }]);
        const changed = await store.updateTopicConfig({ ...created.value, retentionMs: 1n }, created.revision);
        const grown = await store.addPartitions("t", 3);
        const deleted = await store.deleteTopic("t");
        for (let i = 0; i < 100 && events.length < 4; i++) await sleep(10);
        expect(events.map((e) => [e.type, e.topic, e.revision])).toEqual([
          ["created", "t", created.revision],
          ["changed", "t", changed],
          ["changed", "t", grown.revision],
          ["deleted", "t", deleted],
        ]);
        const first = events[0]!;
        expect(first.type !== "deleted" && first.config.topicId).toBe(created.value.topicId);
        await stop();
      });
    });

    (options.durable === true ? describe : registerNothing)("restart (durable backends)", () => {
      it("keeps topics, partition states, assignments, groups and offsets", async () => {
        if (h.reopen === undefined) throw new Error("a durable backend's harness must give reopen()");
        await store.createTopic({ name: "orders", partitions: 3, config: { "cleanup.policy": "delete" } });
        const p1 = (await store.getPartitionState("orders", 1))!;
        await store.putPartitionState({ ...p1.value, leaderBroker: 1, logEndOffset: 99n, highWatermark: 99n }, p1.revision);
        await store.putAssignment("orders", 1, create(PartitionAssignmentSchema, { brokerId: 1, epoch: 4 }), 0);
        await store.putGroup(create(ConsumerGroupSchema, { groupId: "billing/eu", generationId: 3, state: GroupState.STABLE }), 0);
        await store.commitOffsets("billing/eu", [{ topic: "orders", partition: 1, offset: offset(42n, "m") }]);
        await store.commitOffsets("日本", [{ topic: "orders", partition: 0, offset: offset(7n) }]);
        const snapshot = async (s: MetadataStore) => ({
          topics: await s.listTopics(),
          partitions: await s.listPartitionStates("orders"),
          assignments: await s.listAssignments(),
          groups: await s.listGroups(),
          offsets: [await s.fetchOffsets("billing/eu"), await s.fetchOffsets("日本")],
          offsetGroups: await s.listCommittedOffsetGroups(),
        });
        const before = await snapshot(store);
        kv = await h.reopen();
        store = storeOver(kv);
        expect(await snapshot(store)).toEqual(before);
        expect(before.offsets[0]![0]!.value.offset).toBe(42n);
        await expectCode(store.createTopic({ name: "orders", partitions: 1 }), "TOPIC_EXISTS");
      });
    });
  });
}

/** Stands in for `describe` when a group of tests does not apply to a backend: nothing is registered. */
function registerNothing(_name: string, _tests: () => void): void {}
