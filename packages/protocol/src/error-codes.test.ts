import { describe, expect, it } from "vitest";
import { ErrorCode, KAFKA_ERRORS, errorInfo, isRetriable, type KafkaErrorInfo } from "./error-codes.js";

// Well-known codes, each checked against Kafka 3.9's Errors.java and the exception class it maps to.
const WELL_KNOWN: ReadonlyArray<readonly [code: number, name: string, retriable: boolean]> = [
  [-1, "UNKNOWN_SERVER_ERROR", false],
  [0, "NONE", false],
  [1, "OFFSET_OUT_OF_RANGE", false],
  [2, "CORRUPT_MESSAGE", true],
  [3, "UNKNOWN_TOPIC_OR_PARTITION", true],
  [5, "LEADER_NOT_AVAILABLE", true],
  [6, "NOT_LEADER_OR_FOLLOWER", true],
  [7, "REQUEST_TIMED_OUT", true],
  [8, "BROKER_NOT_AVAILABLE", false],
  [9, "REPLICA_NOT_AVAILABLE", true],
  [10, "MESSAGE_TOO_LARGE", false],
  [13, "NETWORK_EXCEPTION", true],
  [14, "COORDINATOR_LOAD_IN_PROGRESS", true],
  [15, "COORDINATOR_NOT_AVAILABLE", true],
  [16, "NOT_COORDINATOR", true],
  [17, "INVALID_TOPIC_EXCEPTION", false],
  [19, "NOT_ENOUGH_REPLICAS", true],
  [20, "NOT_ENOUGH_REPLICAS_AFTER_APPEND", true],
  [22, "ILLEGAL_GENERATION", false],
  [25, "UNKNOWN_MEMBER_ID", false],
  [27, "REBALANCE_IN_PROGRESS", false],
  [29, "TOPIC_AUTHORIZATION_FAILED", false],
  [35, "UNSUPPORTED_VERSION", false],
  [36, "TOPIC_ALREADY_EXISTS", false],
  [41, "NOT_CONTROLLER", true],
  [47, "INVALID_PRODUCER_EPOCH", false],
  [51, "CONCURRENT_TRANSACTIONS", true],
  [56, "KAFKA_STORAGE_ERROR", true],
  [58, "SASL_AUTHENTICATION_FAILED", false],
  [74, "FENCED_LEADER_EPOCH", true],
  [75, "UNKNOWN_LEADER_EPOCH", true],
  [79, "MEMBER_ID_REQUIRED", false],
  [87, "INVALID_RECORD", false],
  [89, "THROTTLING_QUOTA_EXCEEDED", true],
  [90, "PRODUCER_FENCED", false],
  [100, "UNKNOWN_TOPIC_ID", true],
  [103, "INCONSISTENT_TOPIC_ID", true],
  [110, "FENCED_MEMBER_EPOCH", false],
  [113, "STALE_MEMBER_EPOCH", false],
  [120, "TRANSACTION_ABORTABLE", false],
  [121, "INVALID_RECORD_STATE", false],
  [122, "SHARE_SESSION_NOT_FOUND", true],
  [123, "INVALID_SHARE_SESSION_EPOCH", true],
  [124, "FENCED_STATE_EPOCH", false],
  [125, "INVALID_VOTER_KEY", false],
  [126, "DUPLICATE_VOTER", false],
  [127, "VOTER_NOT_FOUND", false],
];

describe("errorInfo()", () => {
  it.each(WELL_KNOWN)("code %i is %s (retriable: %s)", (code, name, retriable) => {
    const info = errorInfo(code);
    expect(info).toBeDefined();
    expect(info?.code).toBe(code);
    expect(info?.name).toBe(name);
    expect(info?.retriable).toBe(retriable);
  });

  it("carries Kafka's default message text", () => {
    expect(errorInfo(3)?.message).toBe("This server does not host this topic-partition.");
    expect(errorInfo(7)?.message).toBe("The request timed out.");
    expect(errorInfo(-1)?.message).toBe("The server experienced an unexpected error when processing the request.");
    expect(errorInfo(6)?.message).toBe(
      "For requests intended only for the leader, this error indicates that the broker is not the current leader. " +
        "For requests intended for any replica, this error indicates that the broker is not a replica of the topic partition.",
    );
    expect(errorInfo(24)?.message).toBe("The configured groupId is invalid.");
    expect(errorInfo(125)?.message).toBe("The voter key doesn't match the receiving replica's key.");
  });

  it("gives NONE an empty message, and every other code a non-empty one", () => {
    for (const e of KAFKA_ERRORS) {
      if (e.code === 0) expect(e.message).toBe("");
      else expect(e.message.length, e.name).toBeGreaterThan(0);
    }
  });

  it("returns the very object in KAFKA_ERRORS", () => {
    for (const e of KAFKA_ERRORS) expect(errorInfo(e.code)).toBe(e);
  });

  it.each([-2, 128, 129, 1000, 32767, -32768, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    "returns undefined for unknown code %s",
    (code) => {
      expect(errorInfo(code)).toBeUndefined();
    },
  );
});

describe("isRetriable()", () => {
  it.each(WELL_KNOWN)("code %i (%s) -> %s", (code, _name, retriable) => {
    expect(isRetriable(code)).toBe(retriable);
  });

  it("agrees with the table for every code", () => {
    for (const e of KAFKA_ERRORS) expect(isRetriable(e.code), e.name).toBe(e.retriable);
  });

  it("is false for NONE, UNKNOWN_SERVER_ERROR and unknown codes", () => {
    expect(isRetriable(ErrorCode.NONE)).toBe(false);
    expect(isRetriable(ErrorCode.UNKNOWN_SERVER_ERROR)).toBe(false);
    expect(isRetriable(128)).toBe(false);
    expect(isRetriable(-2)).toBe(false);
  });
});

describe("KAFKA_ERRORS", () => {
  it("runs contiguously from -1 to 127 in code order, with unique codes", () => {
    const codes = KAFKA_ERRORS.map((e) => e.code);
    expect(codes[0]).toBe(-1);
    expect(codes[codes.length - 1]).toBe(127);
    expect(KAFKA_ERRORS).toHaveLength(129);
    codes.forEach((code, i) => expect(code).toBe(i - 1));
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("has unique UPPER_SNAKE names", () => {
    const names = KAFKA_ERRORS.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/);
  });

  it("is frozen, table and entries alike", () => {
    expect(Object.isFrozen(KAFKA_ERRORS)).toBe(true);
    for (const e of KAFKA_ERRORS) expect(Object.isFrozen(e)).toBe(true);
  });

  it("has exactly the four fields of KafkaErrorInfo on each entry", () => {
    for (const e of KAFKA_ERRORS) {
      expect(Object.keys(e).sort()).toEqual(["code", "message", "name", "retriable"]);
      expect(typeof e.retriable).toBe("boolean");
    }
  });
});

describe("ErrorCode", () => {
  it("has one entry per KAFKA_ERRORS row, by the same name and code", () => {
    const fromConst = Object.entries(ErrorCode)
      .map(([name, code]) => [code, name] as const)
      .sort((a, b) => a[0] - b[0]);
    const fromTable = KAFKA_ERRORS.map((e: KafkaErrorInfo) => [e.code, e.name] as const);
    expect(fromConst).toEqual(fromTable);
  });

  it("names the well-known codes", () => {
    expect(ErrorCode.NONE).toBe(0);
    expect(ErrorCode.UNKNOWN_SERVER_ERROR).toBe(-1);
    expect(ErrorCode.OFFSET_OUT_OF_RANGE).toBe(1);
    expect(ErrorCode.NOT_LEADER_OR_FOLLOWER).toBe(6);
    expect(ErrorCode.UNKNOWN_TOPIC_ID).toBe(100);
    expect(ErrorCode.TRANSACTION_ABORTABLE).toBe(120);
    expect(ErrorCode.VOTER_NOT_FOUND).toBe(127);
  });

  it("works as a type of the known codes", () => {
    const code: ErrorCode = ErrorCode.NOT_LEADER_OR_FOLLOWER;
    // @ts-expect-error 128 is not a Kafka 3.9 error code
    const bad: ErrorCode = 128;
    expect(errorInfo(code)?.name).toBe("NOT_LEADER_OR_FOLLOWER");
    expect(errorInfo(bad)).toBeUndefined();
  });
});
