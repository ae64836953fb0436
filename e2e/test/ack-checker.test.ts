import { describe, expect, it } from "vitest";
import { AckChecker, problemsOf, readsNotInLog, summaryOf, type Ack, type ReadBack } from "../src/ack-checker.js";

const T = "t";
const ack = (partition: number, offset: number, value: string, seq: number): Ack => ({ topic: T, partition, offset, value, seq });
const read = (partition: number, offset: number, value: string): ReadBack => ({ topic: T, partition, offset, value });

/** Partition 0 holds v0, v2, v4 at 0..2; partition 1 holds v1, v3 at 0..1; all acknowledged. */
function healthy(): { checker: AckChecker; log: ReadBack[] } {
  const checker = new AckChecker();
  const acks = [ack(0, 0, "v0", 0), ack(1, 0, "v1", 1), ack(0, 1, "v2", 2), ack(1, 1, "v3", 3), ack(0, 2, "v4", 4)];
  for (const a of acks) checker.ack(a);
  return { checker, log: acks.map((a) => read(a.partition, a.offset, a.value)) };
}

/** Hand-made logs, one per failure kind, so the end-to-end tests can trust a clean report. */
describe("AckChecker", () => {
  it("finds nothing wrong when the log holds exactly what was acknowledged", () => {
    const { checker, log } = healthy();
    const report = checker.check(log);
    expect(problemsOf(report)).toEqual([]);
    expect(report).toMatchObject({ acknowledged: 5, failed: 0, readBack: 5, unacknowledgedStored: 0, ackedRepeats: 0 });
    expect(summaryOf(report)).toContain("acknowledged 5, failed 0, read back 5, missing 0");
    expect(checker.ackedEnds()).toEqual(new Map([["t/0", 3], ["t/1", 2]]));
  });

  it("reports an acknowledged message missing from the end of a partition", () => {
    const { checker, log } = healthy();
    const report = checker.check(log.filter((r) => !(r.partition === 0 && r.offset === 2)));
    expect(report.missing).toEqual([ack(0, 2, "v4", 4)]);
    expect(report.gaps).toEqual([]);
    expect(problemsOf(report)).toEqual(["missing: v4 acknowledged at t/0@2"]);
  });

  it("reports a hole in the middle of a partition as a gap and the acknowledged message as missing", () => {
    const { checker, log } = healthy();
    const report = checker.check(log.filter((r) => !(r.partition === 0 && r.offset === 1)));
    expect(report.missing.map((a) => a.value)).toEqual(["v2"]);
    expect(report.gaps).toEqual([{ topic: T, partition: 0, expected: 1, found: 2 }]);
  });

  it("reports a log that does not start at the log start offset as a gap", () => {
    const checker = new AckChecker();
    checker.ack(ack(0, 5, "a", 0));
    expect(checker.check([read(0, 5, "a")]).gaps).toEqual([{ topic: T, partition: 0, expected: 0, found: 5 }]);
    expect(checker.check([read(0, 5, "a")], { logStart: new Map([["t/0", 5]]) }).gaps).toEqual([]);
  });

  it("reports an acknowledged offset that holds another value", () => {
    const { checker, log } = healthy();
    const report = checker.check(log.map((r) => (r.value === "v3" ? { ...r, value: "other" } : r)), { sent: () => true });
    expect(report.mismatched).toEqual([{ ack: ack(1, 1, "v3", 3), found: "other" }]);
    expect(report.missing).toEqual([]);
    expect(problemsOf(report)).toEqual(["mismatched: v3 acknowledged at t/1@1, log has other"]);
  });

  it("reports an offset read twice", () => {
    const { checker, log } = healthy();
    const report = checker.check([...log, read(1, 0, "v1")]);
    expect(report.duplicateOffsets).toEqual([{ topic: T, partition: 1, offset: 0, values: ["v1", "v1"] }]);
    expect(report.gaps).toEqual([]);
    expect(problemsOf(report)).toEqual(["duplicate offset: t/1@0 read 2 times (v1, v1)"]);
  });

  it("reports two acknowledgements of different values at one offset", () => {
    const { checker, log } = healthy();
    checker.ack(ack(0, 1, "v9", 9));
    const report = checker.check(log);
    expect(report.conflictingAcks).toEqual([{ first: ack(0, 1, "v2", 2), second: ack(0, 1, "v9", 9) }]);
    expect(report.acknowledged).toBe(5);
  });

  it("reports acknowledged values stored out of send order on a partition the client never retried", () => {
    const checker = new AckChecker();
    const acks = [ack(0, 0, "a", 0), ack(0, 1, "c", 2), ack(0, 2, "b", 1), ack(1, 0, "d", 3)];
    for (const a of acks) checker.ack(a);
    const report = checker.check(
      acks.map((a) => read(a.partition, a.offset, a.value)),
      { retried: () => false },
    );
    expect(report.orderViolations).toEqual([{ topic: T, partition: 0, lower: acks[1], higher: acks[2] }]);
    expect(problemsOf(report)).toEqual(["order: b (sent as 1, acknowledged as 1) at t/0@2 after c (sent as 2, acknowledged as 2) at t/0@1"]);
  });

  it("counts, without failing, a retried value that landed after values sent later", () => {
    // b's request failed and was retried after c's request (built before b's answer) succeeded
    const checker = new AckChecker();
    const acks = [ack(0, 0, "a", 0), { ...ack(0, 1, "c", 2), reported: 1 }, { ...ack(0, 2, "b", 1), reported: 2 }];
    for (const a of acks) checker.ack(a);
    const log = acks.map((a) => read(a.partition, a.offset, a.value));
    const report = checker.check(log, { retried: (p) => p === "t/0" });
    expect(problemsOf(report)).toEqual([]);
    expect(report.retryReorders).toBe(1);
    expect(problemsOf(checker.check(log, { retried: () => false }))).toHaveLength(1);
  });

  it("reports offsets that do not grow in the order the acknowledgements arrived, retried or not", () => {
    // c was acknowledged before b but sits at a higher offset: the broker answered out of order
    const checker = new AckChecker();
    const acks = [{ ...ack(0, 0, "b", 1), reported: 2 }, { ...ack(0, 1, "c", 2), reported: 1 }];
    for (const a of acks) checker.ack(a);
    const report = checker.check(acks.map((a) => read(a.partition, a.offset, a.value)));
    expect(report.orderViolations).toHaveLength(1);
    expect(report.retryReorders).toBe(0);
  });

  it("counts, without failing, retried values stored twice and failed values that landed", () => {
    const checker = new AckChecker();
    for (const a of [ack(0, 0, "v0", 0), ack(1, 0, "v1", 1), ack(0, 2, "v2", 2), ack(1, 1, "v3", 3), ack(0, 4, "v4", 4)]) checker.ack(a);
    checker.fail({ topic: T, value: "f1", error: "Local: Message timed out" });
    // v2's first attempt landed at 1 (its answer was lost), the retry at 2; f1 failed but landed at 3
    const log = [read(0, 0, "v0"), read(0, 1, "v2"), read(0, 2, "v2"), read(0, 3, "f1"), read(0, 4, "v4"), read(1, 0, "v1"), read(1, 1, "v3")];
    const report = checker.check(log);
    expect(problemsOf(report)).toEqual([]);
    expect(report).toMatchObject({ acknowledged: 5, failed: 1, readBack: 7, unacknowledgedStored: 1, failedButStored: 1, ackedRepeats: 1 });
  });

  it("counts unacknowledged values the producer sent, and fails values nobody sent", () => {
    const { checker, log } = healthy();
    const withExtra = [...log, read(1, 2, "run-7"), read(1, 3, "garbage")];
    const report = checker.check(withExtra, { sent: (v) => v.startsWith("run-") });
    expect(report.unacknowledgedStored).toBe(1);
    expect(report.failedButStored).toBe(0);
    expect(report.foreign).toEqual([read(1, 3, "garbage")]);
    expect(problemsOf(report)).toEqual(["foreign: garbage at t/1@3 was never sent"]);
    // without `sent`, only acknowledged or failed values are known
    expect(checker.check(withExtra).foreign).toHaveLength(2);
  });

  it("keeps topics apart", () => {
    const checker = new AckChecker();
    checker.ack({ topic: "a", partition: 0, offset: 0, value: "x", seq: 0 });
    const report = checker.check([{ topic: "b", partition: 0, offset: 0, value: "x" }], { sent: () => true });
    expect(report.missing).toHaveLength(1);
    expect(report.unacknowledgedStored).toBe(1);
  });

  it("shortens long problem lists", () => {
    const checker = new AckChecker();
    for (let i = 0; i < 30; i++) checker.ack(ack(0, i, `v${i}`, i));
    const problems = problemsOf(checker.check([]), 5);
    expect(problems).toHaveLength(6);
    expect(problems.at(-1)).toBe("… and 25 more");
  });
});

describe("readsNotInLog()", () => {
  it("accepts reads the final log holds at the same places", () => {
    expect(readsNotInLog([read(0, 1, "b")], [read(0, 0, "a"), read(0, 1, "b")])).toEqual([]);
  });

  it("reports a read whose place holds another value or nothing in the final log", () => {
    expect(readsNotInLog([read(0, 1, "b"), read(1, 4, "x")], [read(0, 0, "a"), read(0, 1, "c")])).toEqual([
      "read b at t/0@1, the log has c there",
      "read x at t/1@4, the log has nothing there",
    ]);
  });
});
