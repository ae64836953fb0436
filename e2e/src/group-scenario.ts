import { expect } from "vitest";
import { at, duplicatesOf, expectSameContent, type Consumed, type OutMessage } from "./messages.js";
import { eventually } from "./suite.js";

/**
 * One consumer-group member driven by a real client. It commits each message's offset
 * synchronously before it counts the message as consumed, and after a failed commit it drops
 * that partition's messages until its next assignment (the client then restarts from the
 * committed offset). So, if the broker's group coordinator is right, every message is counted
 * exactly once across all members, whatever the rebalances. (A client that cannot do that is
 * run with GroupScenarioClient.atLeastOnce.)
 */
export interface GroupMember {
  readonly name: string;
  /** Messages whose offsets this member committed (atLeastOnce: that it processed). */
  consumed(): readonly Consumed[];
  /** Partitions of its latest assignment (undefined before the first). */
  assigned(): readonly number[] | undefined;
  /** Leaves the group cleanly (LeaveGroup). */
  stop(): Promise<void>;
  /** What to print when a wait fails. */
  describe(): string;
}

export interface GroupScenarioClient {
  partitions: number;
  /** Starts a member of the group (subscribed to the topic, earliest when nothing is committed). */
  startMember(name: string): Promise<GroupMember>;
  /** Produces keyed messages to the topic and returns them when all are acknowledged. */
  produce(messages: OutMessage[]): Promise<void>;
  /** The group's committed offsets per partition, read through the client. */
  committed(): Promise<Map<number, number>>;
  /** The partitions' end offsets (high watermarks), read through the client. */
  endOffsets(): Promise<Map<number, number>>;
  /**
   * For a client whose consumer is at-least-once around rebalances (it delivers what it fetched
   * for partitions it lost, and may commit an older offset after another member committed a
   * newer one): duplicates while members join and leave are reported but not failed, and the
   * group may stop with committed offsets below the end. Gaps still fail, and the new member
   * must still resume exactly at the committed offsets.
   */
  atLeastOnce?: boolean;
  /** Called whenever the members hold a balanced assignment (e.g. to check DescribeGroups). */
  onBalanced?(members: readonly GroupMember[]): Promise<void>;
}

/** Each member's latest assignment: disjoint, covering every partition, none empty. */
function balanced(members: readonly GroupMember[], partitions: number): boolean {
  const lists = members.map((m) => m.assigned());
  if (lists.some((l) => l === undefined || l.length === 0)) return false;
  const all = lists.flatMap((l) => [...l!]).sort((a, b) => a - b);
  return all.length === partitions && all.every((p, i) => p === i);
}

/** "p0: 0-7, 12-20; p1: ..." in consumption order: where a member's offsets jumped or went back. */
function rangesOf(consumed: readonly { partition: number; offset: number }[]): string {
  const byPartition = new Map<number, number[]>();
  for (const m of consumed) byPartition.set(m.partition, [...(byPartition.get(m.partition) ?? []), m.offset]);
  return [...byPartition]
    .sort(([a], [b]) => a - b)
    .map(([p, offsets]) => {
      const ranges: string[] = [];
      let start = offsets[0]!;
      let prev = start;
      for (const o of [...offsets.slice(1), NaN]) {
        if (o === prev + 1) {
          prev = o;
          continue;
        }
        ranges.push(start === prev ? `${start}` : `${start}-${prev}`);
        start = prev = o;
      }
      return `p${p}: ${ranges.join(", ")}`;
    })
    .join("; ");
}

function describeAll(members: readonly GroupMember[]): string {
  return members
    .map((m) => `${m.name}: assigned ${JSON.stringify(m.assigned())}, consumed ${m.consumed().length} [${rangesOf(m.consumed())}]\n${m.describe()}`)
    .join("\n");
}

async function waitBalanced(what: string, members: readonly GroupMember[], partitions: number, onBalanced?: (members: readonly GroupMember[]) => Promise<void>): Promise<void> {
  await eventually(
    () => `${what}: members never held a disjoint assignment of all ${partitions} partitions\n${describeAll(members)}`,
    () => (balanced(members, partitions) ? true : undefined),
    45_000,
  );
  await onBalanced?.(members);
}

async function waitConsumed(what: string, members: readonly GroupMember[], count: number): Promise<void> {
  await eventually(
    () => `${what}: members committed ${members.reduce((n, m) => n + m.consumed().length, 0)} of ${count} messages\n${describeAll(members)}`,
    () => (new Set(members.flatMap((m) => m.consumed().map(at))).size >= count ? true : undefined),
    45_000,
  );
}

/**
 * 1 member, then 2, then 3 (each join rebalances), then one leaves (rebalance again), with
 * messages produced before and between; every message is committed exactly once. Then the group
 * stops, its committed offsets equal the end offsets, and a new member resumes exactly there.
 */
export async function runGroupScenario(prefix: string, client: GroupScenarioClient): Promise<void> {
  const { partitions } = client;
  const keyed = (tag: string, n: number) =>
    Array.from({ length: n }, (_, i) => ({ key: `key-${i % 12}`, value: `${prefix}-${tag}|key-${i % 12}|${Math.floor(i / 12)}|${"group payload ".repeat(4)}` }));
  const members: GroupMember[] = [];
  const started: GroupMember[] = [];
  const start = async (name: string) => {
    const m = await client.startMember(name);
    members.push(m);
    started.push(m);
    return m;
  };
  try {
    const a = keyed("a", 120);
    await client.produce(a);
    const m1 = await start("member-1");
    await waitBalanced("member-1 alone", [m1], partitions, client.onBalanced);
    await eventually(() => `member-1 consumed nothing\n${describeAll([m1])}`, () => (m1.consumed().length > 0 ? true : undefined));

    const m2 = await start("member-2");
    await waitBalanced("member-2 joined", [m1, m2], partitions, client.onBalanced);

    const b = keyed("b", 120);
    await client.produce(b);
    const m3 = await start("member-3");
    await waitBalanced("member-3 joined", [m1, m2, m3], partitions, client.onBalanced);
    await waitConsumed("3 members", members, a.length + b.length);

    await m3.stop();
    members.splice(members.indexOf(m3), 1);
    await waitBalanced("member-3 left", [m1, m2], partitions, client.onBalanced);
    const c = keyed("c", 60);
    await client.produce(c);
    await waitConsumed("after member-3 left", started, a.length + b.length + c.length);
    await m1.stop();
    await m2.stop();
    members.length = 0;

    const all = started.flatMap((m) => m.consumed());
    const duplicates = duplicatesOf(all.map(at));
    if (client.atLeastOnce) {
      if (duplicates.length > 0) console.warn(`${prefix}: ${duplicates.length} messages delivered twice around rebalances (at-least-once client)`);
      expectSameContent([...new Map(all.map((m) => [at(m), m])).values()], [...a, ...b, ...c]);
    } else {
      expect(duplicates, "messages committed twice").toEqual([]);
      expectSameContent(all, [...a, ...b, ...c]);
    }

    const ends = await client.endOffsets();
    const committed = await client.committed();
    const written = [...ends.keys()].filter((p) => ends.get(p)! > 0).sort();
    expect(written.length, "partitions holding messages").toBeGreaterThan(1);
    const committedView = Object.fromEntries(written.map((p) => [p, committed.get(p)]));
    if (client.atLeastOnce) {
      for (const p of written) expect(committed.get(p), `committed offset of partition ${p}`).toBeLessThanOrEqual(ends.get(p)!);
    } else {
      expect(committedView, "committed offsets after the group stopped").toEqual(Object.fromEntries(written.map((p) => [p, ends.get(p)])));
    }

    // a new member resumes exactly at the committed offsets: every offset from there to the end, once
    const d = keyed("d", 40);
    await client.produce(d);
    const endsAfter = await client.endOffsets();
    const m4 = await start("member-4");
    const expectedOffsets = [...endsAfter].flatMap(([p, end]) => {
      const from = Math.max(committed.get(p) ?? 0, 0);
      return Array.from({ length: end - from }, (_, i) => `${p}@${from + i}`);
    });
    await waitConsumed("member-4 resumed", [m4], expectedOffsets.length);
    await new Promise((r) => setTimeout(r, 500)); // anything more would be a re-delivery
    await m4.stop();
    members.length = 0;
    expect(duplicatesOf(m4.consumed().map(at)), "member-4 duplicates").toEqual([]);
    expect(m4.consumed().map(at).sort(), `member-4 reads from the committed offsets ${JSON.stringify(committedView)}`).toEqual(expectedOffsets.sort());
    const m4Values = new Set(m4.consumed().map((m) => m.value));
    expect(d.filter((m) => !m4Values.has(m.value)), "messages produced after the group stopped, not read").toEqual([]);
  } finally {
    for (const m of members) await m.stop().catch(() => {});
  }
}
