import type { ReadBack } from "./ack-checker.js";
import { parseKcatJson } from "./kcat.js";
import { LineProcess, run, runPython } from "./processes.js";

type MemberEvent =
  | { event: "consumed"; partition: number; offset: number; key: string | null; value: string }
  | { event: "commit_failed"; partition: number; offset: number; error: string[] }
  | { event: "assigned" | "revoked"; partitions: number[] }
  | { event: "error" | "closed" | "output"; [k: string]: unknown };

/**
 * A confluent-kafka group member (e2e/scripts/confluent_group_member.py) that commits each
 * message's offset synchronously before it reports the message: its "consumed" events are the
 * acknowledged commits.
 */
export class CommittingConsumer {
  private readonly proc: LineProcess<MemberEvent>;
  private readonly topic: string;

  constructor(
    readonly name: string,
    options: { bootstrap: string; topic: string; group: string },
  ) {
    this.topic = options.topic;
    this.proc = LineProcess.python<MemberEvent>(name, "confluent_group_member.py", { ...options, name, delay_ms: 0 });
  }

  /** Commits acknowledged so far. */
  get commits(): number {
    return this.proc.events.filter((e) => e.event === "consumed").length;
  }

  /** Commits that failed (the outcome is unknown to the client: it may have been applied). */
  get failedCommits(): number {
    return this.proc.events.filter((e) => e.event === "commit_failed").length;
  }

  /** Errors the consumer reported (fetch errors and the like), by message, with their counts. */
  errors(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const e of this.proc.events) if (e.event === "error") counts.set(String(e["error"]), (counts.get(String(e["error"])) ?? 0) + 1);
    return counts;
  }

  /** Every event, as JSON lines (for a file next to a failure). */
  eventLines(): string {
    return this.proc.events.map((e) => JSON.stringify(e)).join("\n");
  }

  async waitForCommits(count: number, timeoutMs = 60_000): Promise<void> {
    await this.proc.waitFor(`${count} acknowledged commits (have ${this.commits})`, () => this.commits >= count, timeoutMs);
  }

  /**
   * Per partition, the committed offsets the broker may hold: the last acknowledged commit, and
   * a later commit whose answer was an error (the broker may have applied it before failing).
   */
  lastCommits(): Map<number, { acked: number; unknown: number | undefined }> {
    const last = new Map<number, { acked: number; unknown: number | undefined }>();
    for (const e of this.proc.events) {
      if (e.event === "consumed") last.set(e.partition, { acked: e.offset + 1, unknown: undefined });
      else if (e.event === "commit_failed") last.set(e.partition, { acked: last.get(e.partition)?.acked ?? -1001, unknown: e.offset + 1 });
    }
    return last;
  }

  /** The messages this member read and committed, in order. */
  consumed(): ReadBack[] {
    const out: ReadBack[] = [];
    for (const e of this.proc.events) if (e.event === "consumed") out.push({ topic: this.topic, partition: e.partition, offset: e.offset, value: e.value });
    return out;
  }

  /** Per partition, the offset of the first message this member committed (where it started reading). */
  firstOffsets(): Map<number, number> {
    const first = new Map<number, number>();
    for (const e of this.proc.events) if (e.event === "consumed" && !first.has(e.partition)) first.set(e.partition, e.offset);
    return first;
  }

  stop(timeoutMs = 60_000): Promise<void> {
    return this.proc.stop(timeoutMs);
  }

  describe(): string {
    const lines = this.proc.describe().split("\n");
    const shown = lines.filter((l) => !l.includes('"consumed"'));
    return `${shown.join("\n")}\n(${lines.length - shown.length} consumed events not shown)`;
  }
}

/**
 * Every acknowledged commit is what the group holds: for each partition a member (the latest
 * first) committed, the committed offset is its last acknowledged commit, or a later commit whose
 * answer was an error (its outcome is unknown to the client). Returns the failures, one line each.
 */
export function commitMismatches(committed: ReadonlyMap<number, number>, members: readonly CommittingConsumer[]): string[] {
  const last = new Map<number, { acked: number; unknown: number | undefined }>();
  for (const m of members) for (const [p, c] of m.lastCommits()) last.set(p, c);
  const problems: string[] = [];
  for (const [p, { acked, unknown }] of last) {
    const got = committed.get(p);
    if (got !== acked && got !== unknown) problems.push(`partition ${p}: committed ${got}, last acknowledged commit ${acked}${unknown === undefined ? "" : ` (or ${unknown}, whose commit failed)`}`);
  }
  return problems;
}

/** A group's committed offsets and the topic's watermarks, through confluent-kafka. */
export async function offsetsOf(bootstrap: string, topic: string, group?: string): Promise<{ low: Map<number, number>; high: Map<number, number>; committed: Map<number, number> }> {
  const r = await runPython<{ low: Record<string, number>; high: Record<string, number>; committed?: Record<string, number> }>(
    "confluent_offsets.py",
    { bootstrap, topic, ...(group === undefined ? {} : { group }) },
    60_000,
  );
  const toMap = (o: Record<string, number> | undefined) => new Map(Object.entries(o ?? {}).map(([p, v]) => [Number(p), v]));
  return { low: toMap(r.low), high: toMap(r.high), committed: toMap(r.committed) };
}

/** Records in the partitions (high watermark − log start, summed). */
export function recordsIn(offsets: { low: ReadonlyMap<number, number>; high: ReadonlyMap<number, number> }): number {
  return [...offsets.high].reduce((n, [p, high]) => n + high - (offsets.low.get(p) ?? 0), 0);
}

/**
 * Everything in the topic, from the beginning of every partition to its end (kcat -C -e): with
 * `partitions`, one kcat per partition at once (with no segment cache every fetch reads S3, so
 * reading the partitions side by side is several times faster).
 */
export async function readAll(bootstrap: string, topic: string, partitions?: readonly number[], timeoutMs = 120_000): Promise<ReadBack[]> {
  const read = async (partition?: number) => {
    const args = ["-C", "-b", bootstrap, "-t", topic, ...(partition === undefined ? [] : ["-p", String(partition)]), "-o", "beginning", "-e", "-J", "-X", "fetch.wait.max.ms=100"];
    const result = await run("kcat", args, { timeoutMs });
    return parseKcatJson(result.stdout).map((m) => ({ topic, partition: m.partition, offset: m.offset, value: m.value }));
  };
  if (partitions === undefined) return read();
  return (await Promise.all(partitions.map((p) => read(p)))).flat();
}
