/**
 * The acknowledgement checker: what a producer was told (delivery reports) against what the log
 * holds (everything consumed from the beginning of each partition).
 *
 * A broker is right when:
 * - every acknowledged (topic, partition, offset) is in the log, with the acknowledged value;
 * - no offset is read twice and the offsets of each partition run from the log start without a
 *   hole;
 * - within a partition, acknowledged offsets grow in the order the acknowledgements arrived (one
 *   producer, one connection: the broker answers in order), and values sit in the order they
 *   were sent, except where the client retried a request after an error answer: librdkafka
 *   without idempotence may build the next request before the failed one is answered, so a
 *   retried value can land after values sent later ("retrying may cause reordering unless
 *   enable.idempotence is set", librdkafka's CONFIGURATION.md). Those are counted, not failed;
 * - nothing in the log is a value the producer never sent.
 * Without idempotence a retried request may be stored twice: values that were never acknowledged
 * (or whose delivery failed) may appear, and an acknowledged value may appear at a second offset
 * (its first attempt landed, its answer was lost). Those are counted, not failed.
 */

/** A delivery report without error: the broker said the value is at (topic, partition, offset). */
export interface Ack {
  topic: string;
  partition: number;
  offset: number;
  value: string;
  /** The producer's send order (across all partitions). */
  seq: number;
  /** The order in which the delivery reports arrived (undefined: same as `seq`). */
  reported?: number;
}

/** A delivery report with an error: the client gave up on the value. It may still be stored. */
export interface Failure {
  topic: string;
  value: string;
  error: string;
}

/** One record read back. */
export interface ReadBack {
  topic: string;
  partition: number;
  offset: number;
  value: string;
}

export interface AckReport {
  /** Acknowledgements recorded (distinct topic/partition/offset). */
  acknowledged: number;
  /** Delivery reports with an error. */
  failed: number;
  /** Records read back. */
  readBack: number;
  /** Acknowledged places absent from the log: data loss. */
  missing: Ack[];
  /** Acknowledged places that hold another value: data loss or an offset handed out twice. */
  mismatched: { ack: Ack; found: string }[];
  /** Two acknowledgements naming the same place with different values. */
  conflictingAcks: { first: Ack; second: Ack }[];
  /** Places read more than once (by the consumed stream itself). */
  duplicateOffsets: { topic: string; partition: number; offset: number; values: string[] }[];
  /** Holes in a partition's offsets: `expected` was the next offset, `found` came instead. */
  gaps: { topic: string; partition: number; expected: number; found: number }[];
  /**
   * Two acknowledged values of a partition whose offsets are in the other order than their
   * acknowledgements (or than their sends, on a partition the client never retried).
   */
  orderViolations: { topic: string; partition: number; lower: Ack; higher: Ack }[];
  /** Values stored after values sent later, on partitions the client retried after an error answer. Allowed. */
  retryReorders: number;
  /** Values in the log never acknowledged: reported failed, or never reported. Allowed. */
  unacknowledgedStored: number;
  /** …of which the client had reported as failed. */
  failedButStored: number;
  /** Acknowledged values that also appear at another place (a retried first attempt). Allowed. */
  ackedRepeats: number;
  /** Values in the log this producer never sent (not acknowledged, not failed, not `sent`). */
  foreign: ReadBack[];
}

export interface CheckOptions {
  /** First offset of each "topic/partition" (default 0: the log was never truncated). */
  logStart?: ReadonlyMap<string, number>;
  /**
   * Values the producer sent (all of them). When given, a value read back that is not among
   * them is `foreign`; when not, values that are neither acknowledged nor failed are foreign.
   */
  sent?: (value: string) => boolean;
  /**
   * "topic/partition" names where the client retried a produce request after an error answer
   * (send order may differ there). Not given: every partition may have been retried.
   */
  retried?: (topicPartition: string) => boolean;
}

const place = (m: { topic: string; partition: number; offset: number }) => `${m.topic}/${m.partition}@${m.offset}`;
const partitionOf = (m: { topic: string; partition: number }) => `${m.topic}/${m.partition}`;

/** Collects acknowledgements and failures as they come; check() compares them with the log. */
export class AckChecker {
  private readonly acks = new Map<string, Ack>();
  private readonly conflicts: { first: Ack; second: Ack }[] = [];
  private readonly failures: Failure[] = [];

  ack(a: Ack): void {
    const key = place(a);
    const first = this.acks.get(key);
    if (first === undefined) this.acks.set(key, a);
    else if (first.value !== a.value) this.conflicts.push({ first, second: a });
  }

  fail(f: Failure): void {
    this.failures.push(f);
  }

  get acknowledged(): number {
    return this.acks.size;
  }

  get failed(): number {
    return this.failures.length;
  }

  /** Acknowledged places per "topic/partition": the highest acknowledged offset + 1. */
  ackedEnds(): Map<string, number> {
    const ends = new Map<string, number>();
    for (const a of this.acks.values()) ends.set(partitionOf(a), Math.max(ends.get(partitionOf(a)) ?? 0, a.offset + 1));
    return ends;
  }

  check(consumed: readonly ReadBack[], options: CheckOptions = {}): AckReport {
    const report: AckReport = {
      acknowledged: this.acks.size,
      failed: this.failures.length,
      readBack: consumed.length,
      missing: [],
      mismatched: [],
      conflictingAcks: [...this.conflicts],
      duplicateOffsets: [],
      gaps: [],
      orderViolations: [],
      retryReorders: 0,
      unacknowledgedStored: 0,
      failedButStored: 0,
      ackedRepeats: 0,
      foreign: [],
    };

    // the consumed stream on its own: duplicates and holes per partition
    const byPlace = new Map<string, ReadBack[]>();
    const byPartition = new Map<string, ReadBack[]>();
    for (const r of consumed) {
      const k = place(r);
      const same = byPlace.get(k);
      if (same === undefined) byPlace.set(k, [r]);
      else same.push(r);
      const p = partitionOf(r);
      let list = byPartition.get(p);
      if (list === undefined) byPartition.set(p, (list = []));
      list.push(r);
    }
    for (const [, rs] of byPlace) {
      if (rs.length > 1) report.duplicateOffsets.push({ topic: rs[0]!.topic, partition: rs[0]!.partition, offset: rs[0]!.offset, values: rs.map((r) => r.value) });
    }
    for (const [p, rs] of byPartition) {
      const offsets = [...new Set(rs.map((r) => r.offset))].sort((a, b) => a - b);
      let expected = options.logStart?.get(p) ?? 0;
      for (const o of offsets) {
        if (o !== expected) report.gaps.push({ topic: rs[0]!.topic, partition: rs[0]!.partition, expected, found: o });
        expected = o + 1;
      }
    }

    // every acknowledgement against the log
    for (const a of this.acks.values()) {
      const found = byPlace.get(place(a));
      if (found === undefined) report.missing.push(a);
      else if (found.every((r) => r.value !== a.value)) report.mismatched.push({ ack: a, found: found[0]!.value });
    }

    // order: per partition, by offset, acknowledgements arrived in order, and sends did unless retried
    const acksByPartition = new Map<string, Ack[]>();
    for (const a of this.acks.values()) {
      let list = acksByPartition.get(partitionOf(a));
      if (list === undefined) acksByPartition.set(partitionOf(a), (list = []));
      list.push(a);
    }
    for (const [p, as] of acksByPartition) {
      const sorted = as.sort((x, y) => x.offset - y.offset);
      const retried = options.retried?.(p) ?? true;
      for (let i = 1; i < sorted.length; i++) {
        const lower = sorted[i - 1]!;
        const higher = sorted[i]!;
        const violation = { topic: higher.topic, partition: higher.partition, lower, higher };
        if ((higher.reported ?? higher.seq) < (lower.reported ?? lower.seq)) report.orderViolations.push(violation);
        else if (higher.seq < lower.seq) {
          if (retried) report.retryReorders++;
          else report.orderViolations.push(violation);
        }
      }
    }

    // what else the log holds
    const ackedPlaceOfValue = new Map<string, string>();
    for (const a of this.acks.values()) ackedPlaceOfValue.set(`${a.topic}\u0000${a.value}`, place(a));
    const failedValues = new Set(this.failures.map((f) => `${f.topic}\u0000${f.value}`));
    for (const r of consumed) {
      const tv = `${r.topic}\u0000${r.value}`;
      const ackedAt = ackedPlaceOfValue.get(tv);
      if (ackedAt !== undefined) {
        if (ackedAt !== place(r)) report.ackedRepeats++;
        continue;
      }
      const known = options.sent !== undefined ? options.sent(r.value) : failedValues.has(tv);
      if (!known) {
        report.foreign.push(r);
        continue;
      }
      report.unacknowledgedStored++;
      if (failedValues.has(tv)) report.failedButStored++;
    }
    return report;
  }
}

/**
 * Records a consumer read earlier (while the broker was failing) that the final log does not hold
 * at the same place: a fetch that served data which was later lost or replaced.
 */
export function readsNotInLog(reads: readonly ReadBack[], log: readonly ReadBack[], limit = 20): string[] {
  const byPlace = new Map(log.map((r) => [place(r), r.value]));
  const lines: string[] = [];
  for (const r of reads) {
    const found = byPlace.get(place(r));
    if (found !== r.value) lines.push(`read ${r.value} at ${place(r)}, the log has ${found ?? "nothing"} there`);
  }
  return lines.length > limit ? [...lines.slice(0, limit), `… and ${lines.length - limit} more`] : lines;
}

/** Every failure kind of a report, one line each (empty when the broker kept its promises). */
export function problemsOf(report: AckReport, limit = 20): string[] {
  const lines = [
    ...report.missing.map((a) => `missing: ${a.value} acknowledged at ${place(a)}`),
    ...report.mismatched.map(({ ack, found }) => `mismatched: ${ack.value} acknowledged at ${place(ack)}, log has ${found}`),
    ...report.conflictingAcks.map(({ first, second }) => `conflicting acks: ${first.value} and ${second.value} both at ${place(first)}`),
    ...report.duplicateOffsets.map((d) => `duplicate offset: ${place(d)} read ${d.values.length} times (${d.values.join(", ")})`),
    ...report.gaps.map((g) => `gap: ${g.topic}/${g.partition} expected offset ${g.expected}, next was ${g.found}`),
    ...report.orderViolations.map(
      (o) =>
        `order: ${o.higher.value} (sent as ${o.higher.seq}, acknowledged as ${o.higher.reported ?? o.higher.seq}) at ${place(o.higher)} ` +
        `after ${o.lower.value} (sent as ${o.lower.seq}, acknowledged as ${o.lower.reported ?? o.lower.seq}) at ${place(o.lower)}`,
    ),
    ...report.foreign.map((r) => `foreign: ${r.value} at ${place(r)} was never sent`),
  ];
  return lines.length > limit ? [...lines.slice(0, limit), `… and ${lines.length - limit} more`] : lines;
}

/** The counts of a report on one line, for the test log. */
export function summaryOf(report: AckReport): string {
  return [
    `acknowledged ${report.acknowledged}`,
    `failed ${report.failed}`,
    `read back ${report.readBack}`,
    `missing ${report.missing.length}`,
    `mismatched ${report.mismatched.length}`,
    `duplicate offsets ${report.duplicateOffsets.length}`,
    `gaps ${report.gaps.length}`,
    `order violations ${report.orderViolations.length}`,
    `reordered by client retries ${report.retryReorders}`,
    `unacknowledged but stored ${report.unacknowledgedStored} (${report.failedButStored} reported failed)`,
    `acknowledged values stored twice ${report.ackedRepeats}`,
    `foreign ${report.foreign.length}`,
  ].join(", ");
}
